"""Published bulletins (季度通报, 年度表彰) and clarification notices (澄清正名公开通报): what the
portal shows, to everybody, no token needed.

- A bulletin is here once published, with the addresses of its final PDF and DOCX (public
  downloads under ``/data/bulletins/``) and the SHA-256 of each, as recorded in the audit chain
  at publication. Drafts are not in the API, whoever asks (their organisers read them on the web).
- A clarification notice is here only while the cleared person's consent to the public notice
  stands (``saima.safeguards.selectors.public_notices``): a withdrawn consent takes it out at
  once. The allegation itself is never published, only the clarification.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Path, Query, Router, Schema
from pydantic import Field

from saima.api.v1.auth import TOKEN_OR_ANONYMOUS
from saima.api.v1.common import Limit, Offset, PageMeta, page
from saima.api.v1.errors import responses
from saima.bulletins.models import Bulletin, BulletinKind, BulletinStatus
from saima.org.models import Unit
from saima.safeguards.models import ClarificationCase
from saima.safeguards.selectors import public_notices

router = Router(tags=["bulletins"], auth=TOKEN_OR_ANONYMOUS)

Id = Annotated[int, Path(ge=1, le=2**63 - 1)]
UnitCode = Annotated[
    str | None,
    Query(max_length=32, description="A unit's code: its own and its subtree's items."),
]
Year = Annotated[int | None, Query(ge=2000, le=2100)]


class FileOut(Schema):
    url: str = Field(description="The final file, public (no token, no login).")
    sha256: str = Field(description="SHA-256 of the file, recorded in the audit chain.")


class BulletinOut(Schema):
    id: int
    kind: BulletinKind = Field(description="quarterly (季度通报) or annual (年度表彰).")
    kind_name: str
    owner: str = Field(description="The issuing unit's code.")
    owner_name: str
    issuer: str = Field(description="The issuing office (发文机关).")
    doc_number: str = Field(description="The document number (发文字号), e.g. 浙发改〔2026〕43号.")
    title: str
    year: int
    quarter: int | None = Field(description="1–4 for a quarterly bulletin, null for annual.")
    period: str
    issue_date: dt.date
    published_at: dt.datetime
    pdf: FileOut
    docx: FileOut


class BulletinPage(PageMeta):
    items: list[BulletinOut]


class NoticeOut(Schema):
    id: int
    person: str = Field(description="The cleared cadre's name.")
    position: str
    unit: str
    unit_name: str
    finding: str = Field(description="false_accusation (诬告陷害) or untrue (反映失实).")
    finding_name: str
    statement: str = Field(description="The clarification as published (澄清内容).")
    clarified_at: dt.datetime


class NoticePage(PageMeta):
    items: list[NoticeOut]


# ---------------------------------------------------------------- bulletins


def published_bulletins() -> QuerySet[Bulletin]:
    return (
        Bulletin.objects.filter(status=BulletinStatus.PUBLISHED, published_at__isnull=False)
        .select_related("owner")
        .order_by("-published_at", "-pk")
    )


def _file(request: HttpRequest, bulletin: Bulletin, fmt: str, sha: str) -> dict[str, str]:
    url = reverse("data:bulletins:file", args=[bulletin.pk, fmt])
    return {"url": request.build_absolute_uri(url), "sha256": sha}


def _bulletin(request: HttpRequest, b: Bulletin) -> dict[str, Any]:
    return {
        "id": b.pk,
        "kind": b.kind,
        "kind_name": b.get_kind_display(),
        "owner": b.owner.code,
        "owner_name": b.owner.name,
        "issuer": b.issuer,
        "doc_number": b.doc_number,
        "title": b.title,
        "year": b.year,
        "quarter": b.quarter,
        "period": str(b.period_label),
        "issue_date": b.issue_date,
        "published_at": b.published_at,
        "pdf": _file(request, b, "pdf", b.pdf_sha256),
        "docx": _file(request, b, "docx", b.docx_sha256),
    }


@router.get(
    "/bulletins",
    response=responses(BulletinPage),
    url_name="bulletins",
    summary="Published bulletins and commendations (通报与表彰), newest first",
)
def list_bulletins(
    request: HttpRequest,
    owner: UnitCode = None,
    kind: Annotated[BulletinKind | None, Query()] = None,
    year: Year = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    bulletins = published_bulletins()
    if owner:
        bulletins = bulletins.filter(owner__code=owner) if "\x00" not in owner else bulletins.none()
    if kind:
        bulletins = bulletins.filter(kind=kind)
    if year:
        bulletins = bulletins.filter(year=year)
    listed = page(bulletins, limit, offset)
    return {**listed, "items": [_bulletin(request, b) for b in listed["items"]]}


@router.get(
    "/bulletins/{bulletin_id}",
    response=responses(BulletinOut, 404),
    url_name="bulletin",
    summary="One published bulletin, with its files' addresses and SHA-256",
)
def get_bulletin(request: HttpRequest, bulletin_id: Id) -> dict[str, Any]:
    found = published_bulletins().filter(pk=bulletin_id).first()
    if found is None:
        raise Http404
    return _bulletin(request, found)


# ---------------------------------------------------------------- clarification notices


def _notice(case: ClarificationCase) -> dict[str, Any]:
    return {
        "id": case.pk,
        "person": case.person.name,
        "position": case.person.position,
        "unit": case.unit.code,
        "unit_name": case.unit.name,
        "finding": case.finding,
        "finding_name": case.get_finding_display(),
        "statement": case.statement,
        "clarified_at": case.clarified_at,
    }


@router.get(
    "/clarification-notices",
    response=responses(NoticePage),
    url_name="clarification-notices",
    summary="Clarification notices (澄清正名公开通报) whose person's consent stands",
    tags=["safeguards"],
)
def list_notices(
    request: HttpRequest,
    unit: UnitCode = None,
    year: Year = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    notices = public_notices()
    if unit:
        path = _unit_path(unit)
        notices = notices.filter(unit__path__startswith=path) if path else notices.none()
    if year:
        notices = notices.filter(clarified_at__year=year)
    listed = page(notices, limit, offset)
    return {**listed, "items": [_notice(c) for c in listed["items"]]}


def _unit_path(code: str) -> str | None:
    """The unit's tree path, or None when no unit has that code (a NUL is no code: PostgreSQL
    text cannot hold one, so it is not asked)."""
    if "\x00" in code:
        return None
    return Unit.objects.filter(code=code).values_list("path", flat=True).first()


@router.get(
    "/clarification-notices/{notice_id}",
    response=responses(NoticeOut, 404),
    url_name="clarification-notice",
    summary="One clarification notice (gone once the consent is withdrawn)",
    tags=["safeguards"],
)
def get_notice(request: HttpRequest, notice_id: Id) -> dict[str, Any]:
    found = public_notices().filter(pk=notice_id).first()
    if found is None:
        raise Http404
    return _notice(found)
