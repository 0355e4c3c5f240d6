"""Conduct awards on the portal (作风建设): the published rounds (评定) of each scope with their
snail awards (蜗牛奖) and red-flag awards (红旗奖), zero harvests (零收获), and the rotating red
flag (流动红旗): who holds it now and who held it before. Open data: each scope's awards and
the flag's history, as CSV and JSON.

Only published rounds appear; an unpublished round or a scope with none answers 404 to
everyone. Nothing about clues or those who reported them is read here: not a clue's text,
source, date or count (the quarter's clue counts stay in the app, for the officers), and not
the clue an award rests on. An award shows its unit, the person named, and the reason the
office wrote for the public (``Award.reason``, 事由（公开）); a round shows the note the office
published with it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.conduct import selectors
from saima.conduct.models import AwardKind, AwardRound, FlagHolding
from saima.org.models import Unit
from saima.portal.cache import public_page
from saima.portal.opendata import (
    check_format,
    document_response,
    in_default_language,
    table_data_response,
)
from saima.portal.rendering import render_portal
from saima.portal.sections.base import ArchiveEntry, Dataset, Publication, Section

SCHEMA_AWARDS = "saima.conduct.awards/1"
SCHEMA_FLAG = "saima.conduct.flag/1"

# (JSON key, CSV header), in column order.
AWARD_COLUMNS = (
    ("year", "年度"),
    ("quarter", "季度"),
    ("kind", "奖项代码"),
    ("kind_label", "奖项"),
    ("unit_code", "单位代码"),
    ("unit_name", "获奖单位"),
    ("person", "责任人"),
    ("reason", "事由"),
    ("published_on", "发布日期"),
)
FLAG_COLUMNS = (
    ("year", "年度"),
    ("quarter", "季度"),
    ("unit_code", "单位代码"),
    ("unit_name", "持旗单位"),
    ("reason", "事由"),
    ("published_on", "发布日期"),
)

# ---------------------------------------------------------------- reads


def quarter_label(year: int, quarter: int) -> str:
    return _("%(year)s年第%(q)s季度") % {"year": year, "q": quarter}


def published_on_at(day: dt.date | None) -> dt.datetime | None:
    """A round is published on a day (the app keeps no time): the start of that day."""
    if day is None:
        return None
    return timezone.make_aware(dt.datetime.combine(day, dt.time()))


def scopes() -> list[Unit]:
    """Every scope with a published round, in the tree's order."""
    return list(selectors.public_owners().order_by("path"))


def public_scope(code: str) -> Unit:
    scope = get_object_or_404(Unit, code=code)
    if not selectors.published_rounds(scope).exists():
        raise Http404
    return scope


def public_round(pk: int) -> AwardRound:
    return get_object_or_404(selectors.published_rounds(), pk=pk)


def newest_rounds() -> QuerySet[AwardRound]:
    return selectors.published_rounds().order_by("-published_on", "-year", "-quarter", "-pk")


def round_url(award_round: AwardRound) -> str:
    return reverse("portal:conduct:round", args=[award_round.pk])


def scope_url(scope: Unit) -> str:
    return reverse("portal:conduct:scope", args=[scope.code])


def round_summary(award_round: AwardRound) -> str:
    """One line: the awards by kind and the flag, or zero harvest."""
    awards = list(award_round.awards.all())
    parts = []
    for kind in (AwardKind.RED_FLAG, AwardKind.SNAIL):
        names = [a.unit.name for a in awards if a.kind == kind]
        if names:
            parts.append(f"{kind.label}：" + "、".join(names))
    holding = flag_of(award_round)
    if holding is not None:
        parts.append(_("流动红旗：%(unit)s") % {"unit": holding.unit.name})
    if not awards:
        parts.insert(0, _("零收获（本季度未评出奖项）"))
    return "；".join(parts)


def round_note(award_round: AwardRound) -> str:
    """A short note for the archive: how many of each award, or zero harvest."""
    awards = list(award_round.awards.all())
    if not awards:
        return _("零收获")
    counts = [
        _("%(kind)s %(n)s 个") % {"kind": kind.label, "n": n}
        for kind in (AwardKind.RED_FLAG, AwardKind.SNAIL)
        if (n := sum(1 for a in awards if a.kind == kind))
    ]
    return " · ".join(counts)


def flag_of(award_round: AwardRound) -> FlagHolding | None:
    try:
        return award_round.flag
    except FlagHolding.DoesNotExist:
        return None


def scope_facts(scope: Unit) -> dict[str, Any]:
    return {"code": scope.code, "name": scope.name}


def award_rows(rounds: list[AwardRound]) -> list[dict[str, Any]]:
    return [
        {
            "year": r.year,
            "quarter": r.quarter,
            "kind": a.kind,
            "kind_label": str(a.get_kind_display()),
            "unit_code": a.unit.code,
            "unit_name": a.unit.name,
            "person": a.person.name if a.person else "",
            "reason": a.reason,
            "published_on": r.published_on.isoformat() if r.published_on else None,
        }
        for r in rounds
        for a in r.awards.all()
    ]


def flag_rows(history: list[FlagHolding]) -> list[dict[str, Any]]:
    return [
        {
            "year": h.round.year,
            "quarter": h.round.quarter,
            "unit_code": h.unit.code,
            "unit_name": h.unit.name,
            "reason": h.reason,
            "published_on": h.round.published_on.isoformat() if h.round.published_on else None,
        }
        for h in history
    ]


# ---------------------------------------------------------------- the section's providers


def front() -> dict[str, Any] | None:
    """Each scope: the flag's holder, the latest round and, when that was a zero harvest, the
    latest round that awarded something."""
    blocks = []
    for scope in scopes():
        rounds = list(selectors.published_rounds(scope)[:8])
        recent = rounds[:1]
        if rounds and not rounds[0].awards.all():
            recent += [r for r in rounds[1:] if r.awards.all()][:1]
        history = selectors.flag_history(scope)
        blocks.append(
            {
                "scope": scope,
                "url": scope_url(scope),
                "holder": history[0] if history else None,
                "latest": rounds[0] if rounds else None,
                "latest_url": round_url(rounds[0]) if rounds else "",
                "recent": [{"round": r, "url": round_url(r)} for r in recent],
            }
        )
    return {"scopes": blocks} if blocks else None


def archive() -> list[ArchiveEntry]:
    return [
        ArchiveEntry(
            year=r.year,
            order=(r.year, r.quarter, r.pk),
            period_label=quarter_label(r.year, r.quarter),
            title=_("%(scope)s作风建设评定") % {"scope": r.owner.name},
            url=round_url(r),
            published_at=published_on_at(r.published_on),
            note=round_note(r),
        )
        for r in selectors.published_rounds()
    ]


def datasets() -> list[Dataset]:
    out = []
    for scope in scopes():
        latest = selectors.published_rounds(scope).order_by("-published_on").first()
        published_at = published_on_at(latest.published_on) if latest else None
        for table, title in (
            ("awards", _("%(scope)s作风建设奖项")),
            ("flag", _("%(scope)s流动红旗历任持有单位")),
        ):
            out.append(
                Dataset(
                    title=title % {"scope": scope.name},
                    period_label="",
                    published_at=published_at,
                    digest="",
                    page_url=scope_url(scope),
                    csv_url=reverse(f"data:conduct:{table}", args=[scope.code, "csv"]),
                    json_url=reverse(f"data:conduct:{table}", args=[scope.code, "json"]),
                )
            )
    return out


def publications(limit: int) -> list[Publication]:
    out = []
    for r in newest_rounds()[:limit]:
        published_at = published_on_at(r.published_on)
        assert published_at is not None
        title = _("%(scope)s作风建设评定 · %(period)s") % {
            "scope": r.owner.name,
            "period": quarter_label(r.year, r.quarter),
        }
        out.append(
            Publication(
                f"conduct.round.{r.pk}", title, round_url(r), published_at, round_summary(r)
            )
        )
    return out


# ---------------------------------------------------------------- pages


@public_page()
def index_page(request: HttpRequest) -> HttpResponse:
    context = {"blocks": (front() or {}).get("scopes", [])}
    return render_portal(request, "portal/conduct/index.html", context)


@public_page()
def scope_page(request: HttpRequest, code: str) -> HttpResponse:
    scope = public_scope(code)
    history = selectors.flag_history(scope)
    rounds = [
        {"round": r, "flag": flag_of(r), "url": round_url(r)}
        for r in selectors.published_rounds(scope)
    ]
    context = {
        "scope": scope,
        "holder": history[0] if history else None,
        "history": history,
        "rounds": rounds,
        "tables": [
            (_("奖项"), reverse("data:conduct:awards", args=[scope.code, "csv"]), "csv"),
            (_("奖项"), reverse("data:conduct:awards", args=[scope.code, "json"]), "json"),
            (_("流动红旗"), reverse("data:conduct:flag", args=[scope.code, "csv"]), "csv"),
            (_("流动红旗"), reverse("data:conduct:flag", args=[scope.code, "json"]), "json"),
        ],
    }
    return render_portal(request, "portal/conduct/scope.html", context)


@public_page()
def round_page(request: HttpRequest, pk: int) -> HttpResponse:
    award_round = public_round(pk)
    awards = list(award_round.awards.all())
    context = {
        "round": award_round,
        "scope": award_round.owner,
        "scope_url": scope_url(award_round.owner),
        "period": quarter_label(award_round.year, award_round.quarter),
        "red_flags": [a for a in awards if a.kind == AwardKind.RED_FLAG],
        "snails": [a for a in awards if a.kind == AwardKind.SNAIL],
        "flag": flag_of(award_round),
    }
    return render_portal(request, "portal/conduct/round.html", context)


# ---------------------------------------------------------------- open data


@in_default_language
@public_page()
def awards_data(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    check_format(fmt)
    scope = public_scope(code)
    rounds = list(selectors.published_rounds(scope))
    rows = award_rows(rounds)
    name = f"{scope.code}-conduct-awards"
    if fmt == "csv":
        return table_data_response(_("作风建设奖项"), AWARD_COLUMNS, rows, name)
    document = {
        "schema": SCHEMA_AWARDS,
        "scope": scope_facts(scope),
        "rounds": [
            {
                "id": r.pk,
                "year": r.year,
                "quarter": r.quarter,
                "published_on": r.published_on.isoformat() if r.published_on else None,
                "zero_harvest": not r.awards.all(),
                "note": r.note,
                "awards": len(r.awards.all()),
            }
            for r in rounds
        ],
        "columns": [key for key, _header in AWARD_COLUMNS],
        "rows": rows,
    }
    return document_response(document, name)


@in_default_language
@public_page()
def flag_data(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    check_format(fmt)
    scope = public_scope(code)
    history = selectors.flag_history(scope)
    rows = flag_rows(history)
    name = f"{scope.code}-rotating-flag"
    if fmt == "csv":
        return table_data_response(_("流动红旗历任持有单位"), FLAG_COLUMNS, rows, name)
    document = {
        "schema": SCHEMA_FLAG,
        "scope": scope_facts(scope),
        "holder": rows[0] if rows else None,
        "columns": [key for key, _header in FLAG_COLUMNS],
        "rows": rows,
    }
    return document_response(document, name)


SECTION = Section(
    code="conduct",
    title=gettext_lazy("作风建设"),
    front_template="portal/conduct/front.html",
    front=front,
    archive=archive,
    datasets=datasets,
    publications=publications,
    pages=[
        path("", index_page, name="index"),
        path("rounds/<int:pk>/", round_page, name="round"),
        path("<str:code>/", scope_page, name="scope"),
    ],
    data=[
        path("<str:code>/awards.<str:fmt>", awards_data, name="awards"),
        path("<str:code>/flag.<str:fmt>", flag_data, name="flag"),
    ],
)
