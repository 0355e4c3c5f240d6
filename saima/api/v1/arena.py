"""Arena contests (擂台赛): revealed contests and their frozen results — ranking, each
contestant's panel, criterion and per-method figures, the panels' agreement (Kendall's W), and
the judges' figures to those who may see them.

What a caller sees is what ``saima.arena.selectors.result_table`` gives the same user on the
web, every check through ``saima.arena.permissions``: a contest's result is public only once it
is revealed and released; before release its organisers and watchers see it, and a contestant's
own people see their own line.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.http import Http404, HttpRequest
from ninja import Path, Router

from saima.api.v1.arena_schemas import ContestDetail, ContestPage
from saima.api.v1.auth import TOKEN_OR_ANONYMOUS, actor_of
from saima.api.v1.common import Limit, Offset, page
from saima.api.v1.errors import responses
from saima.arena import selectors
from saima.arena.models import Contest, ContestStatus
from saima.arena.permissions import is_contestant_user, is_public, may_view_results

router = Router(tags=["arena"], auth=TOKEN_OR_ANONYMOUS)

ContestId = Annotated[int, Path(ge=1, le=2**63 - 1)]


def _contest(contest: Contest) -> dict[str, Any]:
    return {
        "id": contest.pk,
        "title": contest.title,
        "date": contest.date,
        "venue": contest.venue,
        "level": contest.level,
        "owner": contest.owner.code,
        "owner_name": contest.owner.name,
        "series": contest.series.name if contest.series is not None else None,
        "method": contest.method,
        "released": is_public(contest),
        "revealed_at": contest.revealed_at,
        "released_at": contest.released_at if is_public(contest) else None,
    }


def _revealed(actor: Any) -> list[Contest]:
    """Revealed contests whose result the caller sees: all of it (released, or the contest's
    organisers and watchers), or its own contestants' lines."""
    contests = selectors.contests_visible(actor).filter(status=ContestStatus.REVEALED)
    return [c for c in contests if may_view_results(actor, c) or is_contestant_user(actor, c)]


@router.get(
    "/contests",
    response=responses(ContestPage),
    url_name="contests",
    summary="Revealed arena contests (擂台赛): released ones, and those of the caller's scope",
)
def list_contests(request: HttpRequest, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    actor = actor_of(request)
    listed = page(_revealed(actor), limit, offset)
    return {**listed, "items": [_contest(c) for c in listed["items"]]}


def _prefixed(row: dict[str, Any], prefix: str) -> dict[str, float]:
    return {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}


@router.get(
    "/contests/{contest_id}",
    response=responses(ContestDetail, 404),
    url_name="contest",
    summary="A revealed contest with its frozen result",
)
def get_contest(request: HttpRequest, contest_id: ContestId) -> dict[str, Any]:
    actor = actor_of(request)
    contest = next((c for c in _revealed(actor) if c.pk == contest_id), None)
    table = selectors.result_table(contest, actor) if contest is not None else None
    if contest is None or table is None:
        raise Http404
    rows = []
    for row in table.rows:
        contestant = row["object"]
        rows.append(
            {
                "contestant": row["id"],
                "unit": contestant.unit.code,
                "unit_name": contestant.unit.name,
                "presenter": contestant.person.name if contestant.person_id else None,
                "topic": contestant.topic,
                "position": contestant.position,
                "rank": row["rank"],
                "score": row["score"],
                "top_marks": row["top_marks"],
                "panels": _prefixed(row, "panel:"),
                "criteria": _prefixed(row, "criterion:"),
                "methods": {
                    method: {
                        "score": row[f"{method}:score"],
                        "rank": row[f"{method}:rank"],
                        "panels": _prefixed(row, f"{method}:panel:"),
                    }
                    for method in table.methods
                    if f"{method}:score" in row
                },
            }
        )
    frozen = table.result
    return {
        **_contest(contest),
        "result": {
            "version": frozen.version,
            "method": frozen.method,
            "engine_version": frozen.engine_version,
            "digest": frozen.digest,
            "created_at": frozen.created_at,
            "partial": table.partial,
            "criteria": [
                {
                    "code": c["code"],
                    "name": c.get("name", c["code"]),
                    "maximum": float(c["maximum"]),
                    "weight": float(c["weight"]),
                }
                for c in table.criteria
            ],
            "panels": [
                {
                    "code": p["code"],
                    "name": p.get("name", p["code"]),
                    "weight": float(p["weight"]),
                    "kendall_w": p.get("kendall_w"),
                    "judges_in_w": p.get("judges_in_w"),
                }
                for p in table.panels
            ],
            "judges": [
                {
                    "seat": j["seat"],
                    "name": j["name"],
                    "panel": j["panel"],
                    "spearman": j.get("spearman"),
                    "outlier": bool(j.get("outlier")),
                }
                for j in table.judges
            ],
            "rows": rows,
        },
    }
