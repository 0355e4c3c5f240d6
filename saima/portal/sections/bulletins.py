"""Bulletins and commendations on the portal (通报与表彰): the latest published quarterly
bulletin and annual commendation, every published one by year, their PDF and DOCX with the
SHA-256 recorded at publication, and the index of them as open data.

Only published bulletins appear: every query here starts from ``published()``. A draft (or one
being generated) answers 404 on the portal to everyone, its organisers included; they see it in
the app (``/bulletins/<id>/``).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from saima.bulletins.content import Content
from saima.bulletins.models import Bulletin, BulletinKind, BulletinStatus
from saima.core.exports import safe_download_name, stored_attachment
from saima.portal.cache import public_page
from saima.portal.opendata import (
    check_format,
    document_response,
    in_default_language,
    table_data_response,
)
from saima.portal.rendering import render_portal
from saima.portal.sections.base import ArchiveEntry, Dataset, Publication, Section

log = logging.getLogger(__name__)

SCHEMA_INDEX = "saima.bulletins.index/1"
FILES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
FILE_SECONDS = 86400  # a published file never changes

# (JSON key, CSV header) of a row of the index, in column order.
INDEX_COLUMNS = (
    ("id", "编号"),
    ("title", "标题"),
    ("doc_number", "发文字号"),
    ("kind", "类别"),
    ("kind_name", "类别名称"),
    ("issuer", "发文机关"),
    ("owner_code", "发文单位代码"),
    ("owner_name", "发文单位"),
    ("year", "年度"),
    ("quarter", "季度"),
    ("period", "期别"),
    ("issue_date", "成文日期"),
    ("published_at", "发布时间"),
    ("pdf_url", "PDF 地址"),
    ("pdf_sha256", "PDF SHA-256"),
    ("docx_url", "DOCX 地址"),
    ("docx_sha256", "DOCX SHA-256"),
)

# ---------------------------------------------------------------- reads


def published() -> QuerySet[Bulletin]:
    """Every published bulletin, newest period first (annual after the year's quarters)."""
    return (
        Bulletin.objects.filter(status=BulletinStatus.PUBLISHED, published_at__isnull=False)
        .select_related("owner")
        .order_by("-year", "-published_at", "-pk")
    )


def published_bulletin(pk: int) -> Bulletin:
    return get_object_or_404(published(), pk=pk)


def page_url(bulletin: Bulletin) -> str:
    return reverse("portal:bulletins:bulletin", args=[bulletin.pk])


def file_url(bulletin: Bulletin, fmt: str) -> str:
    return reverse("data:bulletins:file", args=[bulletin.pk, fmt])


def order(bulletin: Bulletin) -> tuple[int, int, int]:
    """Quarters 1–4, then the year's commendation."""
    return (bulletin.year, bulletin.quarter or 5, bulletin.pk)


def files(bulletin: Bulletin) -> list[dict[str, str]]:
    return [
        {"format": "PDF", "url": file_url(bulletin, "pdf"), "sha256": bulletin.pdf_sha256},
        {"format": "DOCX", "url": file_url(bulletin, "docx"), "sha256": bulletin.docx_sha256},
    ]


def index_row(bulletin: Bulletin, absolute: Any = str) -> dict[str, Any]:
    return {
        "id": bulletin.pk,
        "title": bulletin.title,
        "doc_number": bulletin.doc_number,
        "kind": bulletin.kind,
        "kind_name": str(bulletin.get_kind_display()),
        "issuer": bulletin.issuer,
        "owner_code": bulletin.owner.code,
        "owner_name": bulletin.owner.name,
        "year": bulletin.year,
        "quarter": bulletin.quarter,
        "period": str(bulletin.period_label),
        "issue_date": bulletin.issue_date.isoformat(),
        "published_at": bulletin.published_at.isoformat() if bulletin.published_at else None,
        "pdf_url": absolute(file_url(bulletin, "pdf")),
        "pdf_sha256": bulletin.pdf_sha256,
        "docx_url": absolute(file_url(bulletin, "docx")),
        "docx_sha256": bulletin.docx_sha256,
    }


# ---------------------------------------------------------------- the section's providers


def front() -> dict[str, Any] | None:
    latest = {
        kind: published().filter(kind=kind).order_by("-published_at", "-pk").first()
        for kind in (BulletinKind.QUARTERLY, BulletinKind.ANNUAL)
    }
    shown = [b for b in latest.values() if b is not None]
    if not shown:
        return None
    return {
        "bulletins": [{"bulletin": b, "url": page_url(b), "files": files(b)} for b in shown],
        "index_url": reverse("portal:bulletins:index"),
    }


def archive() -> list[ArchiveEntry]:
    return [
        ArchiveEntry(
            year=b.year,
            order=order(b),
            period_label=str(b.period_label),
            title=b.title,
            url=page_url(b),
            published_at=b.published_at,
            note=b.doc_number,
        )
        for b in published()
    ]


def datasets() -> list[Dataset]:
    newest = published().order_by("-published_at", "-pk").first()
    if newest is None:
        return []
    return [
        Dataset(
            title=_("已发布的通报与表彰（索引）"),
            period_label="",
            published_at=newest.published_at,
            digest="",
            page_url=reverse("portal:bulletins:index"),
            csv_url=reverse("data:bulletins:index", args=["csv"]),
            json_url=reverse("data:bulletins:index", args=["json"]),
        )
    ]


def publications(limit: int) -> list[Publication]:
    out = []
    for b in published().order_by("-published_at", "-pk")[:limit]:
        assert b.published_at is not None
        summary = _("%(issuer)s %(number)s，%(period)s · %(kind)s。PDF SHA-256 %(pdf)s") % {
            "issuer": b.issuer,
            "number": b.doc_number,
            "period": b.period_label,
            "kind": b.get_kind_display(),
            "pdf": b.pdf_sha256 or "—",
        }
        out.append(
            Publication(f"bulletins.bulletin.{b.pk}", b.title, page_url(b), b.published_at, summary)
        )
    return out


# ---------------------------------------------------------------- pages


@public_page()
def index_page(request: HttpRequest) -> HttpResponse:
    bulletins = list(published())
    years: dict[int, list[dict[str, Any]]] = {}
    for b in sorted(bulletins, key=order, reverse=True):
        years.setdefault(b.year, []).append({"bulletin": b, "url": page_url(b), "files": files(b)})
    context = {
        "years": [{"year": y, "entries": entries} for y, entries in years.items()],
        "csv_url": reverse("data:bulletins:index", args=["csv"]),
        "json_url": reverse("data:bulletins:index", args=["json"]),
    }
    return render_portal(request, "portal/bulletins/index.html", context)


@public_page()
def bulletin_page(request: HttpRequest, pk: int) -> HttpResponse:
    bulletin = published_bulletin(pk)
    version = bulletin.versions.order_by("-number").first()
    context = {
        "bulletin": bulletin,
        "files": files(bulletin),
        "header": version.header if version is not None else {},
        "content": Content.from_json(version.content) if version is not None else None,
    }
    return render_portal(request, "portal/bulletins/bulletin.html", context)


# ---------------------------------------------------------------- open data


@in_default_language
@public_page()
def index_data(request: HttpRequest, fmt: str) -> HttpResponse:
    check_format(fmt)
    rows = [index_row(b, request.build_absolute_uri) for b in published()]
    name = "bulletins-index"
    if fmt == "csv":
        return table_data_response(_("已发布的通报与表彰"), INDEX_COLUMNS, rows, name)
    document = {
        "schema": SCHEMA_INDEX,
        "columns": [key for key, _header in INDEX_COLUMNS],
        "rows": rows,
    }
    return document_response(document, name)


@require_safe
def file_data(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """A published bulletin's final PDF or DOCX, for everyone; a draft's files are never here."""
    if fmt not in FILES:
        raise Http404
    bulletin = published_bulletin(pk)
    stored = bulletin.pdf if fmt == "pdf" else bulletin.docx
    if not stored:
        raise Http404
    name = safe_download_name(f"{bulletin.doc_number} {bulletin.title}.{fmt}")
    try:
        response = stored_attachment(stored, name, FILES[fmt])
    except OSError as exc:  # gone from storage: `saima verify` names it; the visitor gets 404
        log.error("bulletin %s: published %s missing from storage", bulletin.pk, fmt)
        raise Http404 from exc
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=FILE_SECONDS)
    return response


SECTION = Section(
    code="bulletins",
    title=gettext_lazy("通报与表彰"),
    front_template="portal/bulletins/front.html",
    front=front,
    archive=archive,
    datasets=datasets,
    publications=publications,
    pages=[
        path("", index_page, name="index"),
        path("<int:pk>/", bulletin_page, name="bulletin"),
    ],
    data=[
        path("index.<str:fmt>", index_data, name="index"),
        path("<int:pk>.<str:fmt>", file_data, name="file"),
    ],
)
