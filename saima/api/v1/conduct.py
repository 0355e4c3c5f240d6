"""Conduct awards (作风建设评定): published award rounds with their awards, and the rotating red
flag's holders (流动红旗) — what the public page 作风建设评定结果 shows, to everybody, no token
needed. Unpublished rounds, clues and rectifications are not in the API (they are the discipline
officers' work, on the web); ``saima.conduct.permissions`` says published rounds are public.
Nothing about clues is here, not even a round's counts of clues received and substantiated: the
portal does not publish them either (docs/portal.md), and a count per quarter and scope can
tell who reported whom in a small unit.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from saima.api.v1.auth import TOKEN_OR_ANONYMOUS
from saima.api.v1.common import Limit, Offset, PageMeta, page
from saima.api.v1.errors import responses
from saima.conduct import selectors
from saima.conduct.models import AwardKind, AwardRound

router = Router(tags=["conduct"], auth=TOKEN_OR_ANONYMOUS)

OwnerCode = Annotated[str, Path(max_length=32)]


class AwardOut(Schema):
    kind: AwardKind = Field(description="red_flag (红旗奖) or snail (蜗牛奖).")
    kind_name: str
    unit: str
    unit_name: str
    person: str | None = Field(description="The person answerable (责任人), if named.")
    reason: str = Field(description="The public reason (事由).")


class FlagOut(Schema):
    unit: str
    unit_name: str
    reason: str


class AwardRoundOut(Schema):
    id: int
    owner: str = Field(description="The scope's unit code (评定范围).")
    owner_name: str
    year: int
    quarter: int
    starts_on: dt.date
    ends_on: dt.date
    published_on: dt.date
    note: str
    zero_harvest: bool = Field(description="Published with no award at all (零收获).")
    awards: list[AwardOut]
    flag: FlagOut | None = Field(description="The rotating red flag awarded in this round.")


class AwardRoundPage(PageMeta):
    items: list[AwardRoundOut]


class FlagHolderOut(FlagOut):
    round: int
    year: int
    quarter: int


class FlagHistoryOut(Schema):
    owner: str
    owner_name: str
    holders: list[FlagHolderOut] = Field(description="Newest first; the first holds it now.")


def _round(r: AwardRound) -> dict[str, Any]:
    awards = list(r.awards.all())
    flag = getattr(r, "flag", None)
    return {
        "id": r.pk,
        "owner": r.owner.code,
        "owner_name": r.owner.name,
        "year": r.year,
        "quarter": r.quarter,
        "starts_on": r.starts_on,
        "ends_on": r.ends_on,
        "published_on": r.published_on,
        "note": r.note,
        "zero_harvest": not awards,
        "awards": [
            {
                "kind": a.kind,
                "kind_name": a.get_kind_display(),
                "unit": a.unit.code,
                "unit_name": a.unit.name,
                "person": a.person.name if a.person is not None else None,
                "reason": a.reason,
            }
            for a in awards
        ],
        "flag": {"unit": flag.unit.code, "unit_name": flag.unit.name, "reason": flag.reason}
        if flag is not None
        else None,
    }


@router.get(
    "/award-rounds",
    response=responses(AwardRoundPage),
    url_name="award-rounds",
    summary="Published conduct award rounds (作风建设评定) with their awards",
)
def list_award_rounds(
    request: HttpRequest,
    owner: Annotated[str | None, Query(max_length=32, description="A scope's unit code.")] = None,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    rounds = selectors.published_rounds()
    if owner:
        rounds = rounds.filter(owner__code=owner)
    if year:
        rounds = rounds.filter(year=year)
    listed = page(rounds, limit, offset)
    return {**listed, "items": [_round(r) for r in listed["items"]]}


@router.get(
    "/award-rounds/{round_id}",
    response=responses(AwardRoundOut, 404),
    url_name="award-round",
    summary="One published award round",
)
def get_award_round(
    request: HttpRequest, round_id: Annotated[int, Path(ge=1, le=2**63 - 1)]
) -> dict[str, Any]:
    found = selectors.published_rounds().filter(pk=round_id).first()
    if found is None:
        raise Http404
    return _round(found)


@router.get(
    "/flags/{owner}",
    response=responses(FlagHistoryOut, 404),
    url_name="flag-holders",
    summary="The rotating red flag's holders (流动红旗) in a scope, newest first",
)
def get_flag_holders(request: HttpRequest, owner: OwnerCode) -> dict[str, Any]:
    unit = selectors.public_owners().filter(code=owner).first()
    if unit is None:
        raise Http404
    return {
        "owner": unit.code,
        "owner_name": unit.name,
        "holders": [
            {
                "round": h.round_id,
                "year": h.round.year,
                "quarter": h.round.quarter,
                "unit": h.unit.code,
                "unit_name": h.unit.name,
                "reason": h.reason,
            }
            for h in selectors.flag_history(unit)
        ],
    }
