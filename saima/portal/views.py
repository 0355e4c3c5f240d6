"""The portal's frame (公开门户): the front door, the archive by period, open data, the Atom feed
and the verification page. Each mechanism's own pages live in its section module."""

from __future__ import annotations

import itertools
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.http.request import split_domain_port
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from saima.core.audit import chain_head
from saima.core.checkpoints import public_key
from saima.core.views import home
from saima.portal.cache import public_page
from saima.portal.opendata import document_response, in_default_language
from saima.portal.rendering import render_portal
from saima.portal.sections import SECTIONS
from saima.portal.sections.base import ArchiveEntry

FEED_ENTRIES = 50


def front_door(request: HttpRequest) -> HttpResponseBase:
    """``/``: a visitor is sent to the portal in their language; a signed-in user gets the
    work home page. Without a session cookie nobody is signed in, and the session is not read."""
    if settings.SESSION_COOKIE_NAME in request.COOKIES and request.user.is_authenticated:
        return home(request)
    response = HttpResponseRedirect(reverse("portal:front"))
    response["Vary"] = "Cookie, Accept-Language"
    return response


@public_page()
def front(request: HttpRequest) -> HttpResponse:
    blocks = []
    for section in SECTIONS:
        context = section.front()
        if context is not None:
            blocks.append({"section": section, "template": section.front_template, **context})
    return render_portal(request, "portal/front.html", {"blocks": blocks})


def archive_years(entries: list[ArchiveEntry]) -> list[dict[str, Any]]:
    """Entries by year, newest year first, each year's entries newest period first."""
    ordered = sorted(entries, key=lambda e: e.order, reverse=True)
    return [
        {"year": year, "entries": list(group)}
        for year, group in itertools.groupby(ordered, key=lambda e: e.year)
    ]


@public_page()
def archive(request: HttpRequest) -> HttpResponse:
    entries = [entry for section in SECTIONS for entry in section.archive()]
    return render_portal(request, "portal/archive.html", {"years": archive_years(entries)})


@public_page()
def open_data(request: HttpRequest) -> HttpResponse:
    sections = [{"section": s, "datasets": s.datasets()} for s in SECTIONS]
    return render_portal(request, "portal/open_data.html", {"sections": sections})


@require_safe
def verify(request: HttpRequest) -> HttpResponse:
    """Kits and the audit chain's head: not kept, the head moves with every recorded event."""
    entries = [entry for section in SECTIONS for entry in section.archive()]
    context = {
        "head": chain_head(),
        "public_key": public_key(),
        "years": archive_years(entries),
    }
    response = render_portal(request, "portal/verify.html", context)
    response["Cache-Control"] = "no-cache"
    return response


@in_default_language
@public_page()
def catalogue(request: HttpRequest) -> HttpResponse:
    """Every open-data table, as JSON: the machine-readable index of ``/data/``."""
    tables = [
        {
            "section": s.code,
            "title": d.title,
            "period": d.period_label,
            "published_at": d.published_at.isoformat() if d.published_at else None,
            "digest": d.digest or None,
            "csv": request.build_absolute_uri(d.csv_url),
            "json": request.build_absolute_uri(d.json_url),
        }
        for s in SECTIONS
        for d in s.datasets()
    ]
    return document_response({"schema": "saima.catalogue/1", "tables": tables}, "catalogue")


@in_default_language
@public_page()
def feed(request: HttpRequest) -> HttpResponse:
    """Atom feed of publications and corrections, newest first (in the default language)."""
    entries = sorted(
        (p for s in SECTIONS for p in s.publications(FEED_ENTRIES)),
        key=lambda p: p.published_at,
        reverse=True,
    )[:FEED_ENTRIES]
    atom = Atom1Feed(
        title=_("赛马平台 · 公开发布"),
        link=request.build_absolute_uri(reverse("portal:front")),
        description=_("已发布与更正的赛马结果"),
        language=settings.LANGUAGE_CODE,
        feed_url=request.build_absolute_uri(reverse("data:feed")),
        feed_guid=request.build_absolute_uri(reverse("data:feed")),
        author_name=_("赛马平台"),  # RFC 4287: a feed names its author (its entries name none)
    )
    # RFC 4151: a tag's authority is a DNS name (no port), e.g. tag:saima.example.gov.cn,2026:…
    authority = split_domain_port(request.get_host())[0] or "localhost"
    for entry in entries:
        atom.add_item(
            title=entry.title,
            link=request.build_absolute_uri(entry.url),
            description=escape(entry.summary),  # <summary type="html">: plain text, escaped
            unique_id=f"tag:{authority},2026:{entry.key}",
            pubdate=entry.published_at,
            updateddate=entry.published_at,
        )
    return HttpResponse(
        atom.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8"
    )
