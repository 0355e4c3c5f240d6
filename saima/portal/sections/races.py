"""The indicator races on the portal (指标赛马): incentive regions, leaderboards with charts and
explanations, each race's periods and cumulative incentives, and their open data.

Only published results appear: every query here starts from ``published()``, and a page or a
table of an unpublished result answers 404, whoever asks (organisers see drafts in the app).
"""

from __future__ import annotations

import math
from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.core.audit import ChainHead
from saima.core.models import AuditEvent
from saima.portal.cache import public_page
from saima.portal.opendata import (
    check_format,
    document_response,
    in_default_language,
    table_data_response,
)
from saima.portal.rendering import render_portal
from saima.portal.sections.base import ArchiveEntry, Dataset, Publication, Section
from saima.races.models import HEAVY, Race, Result
from saima.races.results import charts, selectors
from saima.races.schemes.selectors import parse_scheme

SCHEMA_BOARD = "saima.races.board/1"
SCHEMA_INCENTIVES = "saima.races.incentives/1"

# (JSON key, CSV header) of a leaderboard row, in column order.
BOARD_COLUMNS = (
    ("rank", "名次"),
    ("change", "名次变化"),
    ("unit_code", "单位代码"),
    ("unit_name", "单位"),
    ("score", "得分"),
    ("selected", "入选"),
    ("tie", "并列名额线"),
    ("rank_p05", "名次下限(5%)"),
    ("rank_p95", "名次上限(95%)"),
    ("p_selected", "入选概率"),
    ("listed", "红黑榜"),
    ("unreported", "未报送数据"),
)
LISTED = {"red": "红榜", "black": "黑榜"}  # the CSV's words for the JSON's codes
INCENTIVE_COLUMNS = (
    ("unit_code", "单位代码"),
    ("unit_name", "单位"),
    ("times", "上榜次数"),
    ("periods", "上榜周期"),
    ("land_mu", "用地指标（亩）"),
    ("funds_yuan", "资金（元）"),
)

# ---------------------------------------------------------------- reads


def published() -> QuerySet[Result]:
    """Every published version (current or corrected since), without the heavy JSON."""
    return (
        Result.objects.filter(published_at__isnull=False)
        .defer(*HEAVY)
        .select_related("period__race__owner")
    )


def current() -> QuerySet[Result]:
    """The current version of each published period, newest period first."""
    return published().filter(is_current=True).order_by("-period__year", "-period__number", "pk")


def published_result(pk: int) -> Result:
    return get_object_or_404(published().select_related("supersedes"), pk=pk)


def public_race(code: str) -> Race:
    """A race with at least one published result, else 404."""
    race = get_object_or_404(Race.objects.select_related("owner"), code=code)
    if not Result.objects.filter(period__race=race, is_current=True).exists():
        raise Http404
    return race


def latest_by_race() -> list[Result]:
    """Each race's newest current result, newest first."""
    seen: set[int] = set()
    latest = []
    for result in current()[:200]:
        if result.period.race_id not in seen:
            seen.add(result.period.race_id)
            latest.append(result)
    return latest


def board_url(result: Result, group_code: str | None = None) -> str:
    if group_code is None:
        return reverse("portal:races:board", args=[result.pk])
    return reverse("portal:races:board_group", args=[result.pk, group_code])


def board_rows(result: Result, group_code: str) -> list[dict[str, Any]]:
    """The leaderboard as plain rows (numbers as numbers, no score for the unreported)."""
    rows = selectors.board(result, group_code)["rows"]
    return [
        {
            "rank": r.rank,
            "change": r.change,
            "unit_code": r.unit_code,
            "unit_name": r.unit_name,
            "score": None if r.unreported or math.isnan(r.score) else r.score,
            "selected": r.selected,
            "tie": r.tie,
            "rank_p05": r.p05,
            "rank_p95": r.p95,
            "p_selected": r.p_selected,
            "listed": r.listed,
            "unreported": r.unreported,
        }
        for r in rows
    ]


def result_facts(result: Result) -> dict[str, Any]:
    period, race = result.period, result.period.race
    return {
        "race": {
            "code": race.code,
            "name": race.name,
            "owner": {"code": race.owner.code, "name": race.owner.name},
        },
        "period": {"year": period.year, "number": period.number, "label": str(period.label)},
        "result": {
            "id": result.pk,
            "version": result.version,
            "digest": result.digest,
            "engine_version": result.engine_version,
            "published_at": result.published_at.isoformat() if result.published_at else None,
            "is_current": result.is_current,
            "supersedes": result.supersedes_id,
            "reason": result.reason,
        },
    }


def publication_head(result: Result) -> ChainHead | None:
    """The audit chain's head right after ``result`` was published: that event's own hash (one
    query, where ``published_seq`` and ``chain_head(at_seq=…)`` take two)."""
    event = (
        AuditEvent.objects.filter(
            action="races.result.publish", object_type="races.result", object_id=str(result.pk)
        )
        .order_by("-seq")
        .only("seq", "hash", "at")
        .first()
    )
    return ChainHead(event.seq, event.hash, event.at) if event else None


def scheme_group(result: Result, group_code: str | None) -> tuple[Any, Any]:
    """The result's scheme and the asked group (its first by default), or 404."""
    scheme = parse_scheme(result.scheme_toml)
    code = group_code or scheme.groups[0].code
    group = next((g for g in scheme.groups if g.code == code), None)
    if group is None:
        raise Http404
    return scheme, group


# ---------------------------------------------------------------- the section's providers


def front() -> dict[str, Any] | None:
    latest = latest_by_race()
    if not latest:
        return None
    selected = selectors.selected_units_by_group(latest)
    boards = []
    for result in latest:
        scheme = parse_scheme(result.scheme_toml)
        boards.append(
            {
                "result": result,
                "race": result.period.race,
                "groups": [{"group": g, "url": board_url(result, g.code)} for g in scheme.groups],
                "selected": selected.get(result.pk, []),
            }
        )
    return {"boards": boards}


def archive() -> list[ArchiveEntry]:
    return [
        ArchiveEntry(
            year=r.period.year,
            order=(r.period.year, r.period.number, r.pk),
            period_label=str(r.period.label),
            title=r.period.race.name,
            url=board_url(r),
            published_at=r.published_at,
            note=_("第 %(v)s 版（更正）") % {"v": r.version} if r.version > 1 else "",
            kit_url=reverse("races:kit", args=[r.pk]),
        )
        for r in current()
    ]


def datasets() -> list[Dataset]:
    out = []
    races: dict[int, Race] = {}
    for r in current():
        races.setdefault(r.period.race_id, r.period.race)
        for g in parse_scheme(r.scheme_toml).groups:
            out.append(
                Dataset(
                    title=f"{r.period.race.name} · {g.name}",
                    period_label=str(r.period.label),
                    published_at=r.published_at,
                    digest=r.digest,
                    page_url=board_url(r, g.code),
                    csv_url=reverse("data:races:board", args=[r.pk, g.code, "csv"]),
                    json_url=reverse("data:races:board", args=[r.pk, g.code, "json"]),
                )
            )
    for race in races.values():
        out.append(
            Dataset(
                title=_("%(race)s · 激励地区累计") % {"race": race.name},
                period_label="",
                published_at=None,
                digest="",
                page_url=reverse("portal:races:race", args=[race.code]),
                csv_url=reverse("data:races:incentives", args=[race.code, "csv"]),
                json_url=reverse("data:races:incentives", args=[race.code, "json"]),
            )
        )
    return out


def publications(limit: int) -> list[Publication]:
    results = list(published().order_by("-published_at", "-pk")[:limit])
    selected = selectors.selected_units_by_group(results)
    out = []
    for r in results:
        assert r.published_at is not None
        listed = "；".join(
            f"{g['name']}：" + "、".join(row.name for row in g["units"])
            for g in selected.get(r.pk, [])
        )
        title = f"{r.period.race.name} · {r.period.label}"
        if r.version > 1:
            title += " · " + _("第 %(v)s 版（更正）") % {"v": r.version}
        summary = _("入选激励地区 — %(listed)s。SHA-256 %(digest)s") % {
            "listed": listed or "—",
            "digest": r.digest,
        }
        out.append(
            Publication(f"races.result.{r.pk}", title, board_url(r), r.published_at, summary)
        )
    return out


# ---------------------------------------------------------------- pages


@public_page()
def board_page(request: HttpRequest, pk: int, group: str | None = None) -> HttpResponse:
    result = published_result(pk)
    scheme, group_obj = scheme_group(result, group)
    data = selectors.board(result, group_obj.code)
    scored = [r for r in data["rows"] if not r.unreported]
    context = {
        "result": result,
        "period": result.period,
        "race": result.period.race,
        "scheme": scheme,
        "group_code": group_obj.code,
        "group_links": [(g, board_url(result, g.code)) for g in scheme.groups],
        "chart": charts.board_chart(scored, group_obj.quota),
        "narrow_chart": charts.board_chart_narrow(scored, group_obj.quota),
        "narrow_chart_height": charts.narrow_chart_height(scored),
        "versions": selectors.versions_around(result, organiser=False),
        "publication_head": publication_head(result),
        "objection_deadline": selectors.objection_deadline(result),
        "csv_url": reverse("data:races:board", args=[result.pk, group_obj.code, "csv"]),
        "json_url": reverse("data:races:board", args=[result.pk, group_obj.code, "json"]),
        **data,
    }
    return render_portal(request, "portal/races/board.html", context)


@public_page()
def race_page(request: HttpRequest, code: str) -> HttpResponse:
    race = public_race(code)
    data = selectors.incentives(race)
    results = [p["result"] for p in data["periods"]]
    groups = {r.pk: parse_scheme(r.scheme_toml).groups for r in results}
    periods = [
        {
            **p,
            "links": [(g, board_url(p["result"], g.code)) for g in groups[p["result"].pk]],
        }
        for p in data["periods"]
    ]
    context = {
        **data,
        "race": race,
        "periods": periods,
        "csv_url": reverse("data:races:incentives", args=[race.code, "csv"]),
        "json_url": reverse("data:races:incentives", args=[race.code, "json"]),
    }
    return render_portal(request, "portal/races/race.html", context)


# ---------------------------------------------------------------- open data


@in_default_language
@public_page()
def board_data(request: HttpRequest, pk: int, group: str, fmt: str) -> HttpResponse:
    check_format(fmt)
    result = published_result(pk)
    _scheme, group_obj = scheme_group(result, group)
    rows = board_rows(result, group_obj.code)
    name = f"{result.period.race.code}-{result.period.short_label}-v{result.version}-{group}"
    if fmt == "csv":
        words = [{**row, "listed": LISTED.get(row["listed"], "")} for row in rows]
        return table_data_response(group_obj.name, BOARD_COLUMNS, words, name)
    document = {
        "schema": SCHEMA_BOARD,
        **result_facts(result),
        "group": {"code": group_obj.code, "name": group_obj.name, "quota": group_obj.quota},
        "columns": [key for key, _header in BOARD_COLUMNS],
        "rows": rows,
    }
    return document_response(document, name)


@in_default_language
@public_page()
def incentives_data(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    check_format(fmt)
    race = public_race(code)
    data = selectors.incentives(race)
    rows = [
        {
            "unit_code": e["unit"].code,
            "unit_name": e["unit"].name,
            "times": e["times"],
            "periods": e["periods"],
            "land_mu": float(e["land"]),
            "funds_yuan": float(e["funds"]),
        }
        for e in data["cumulative"]
    ]
    name = f"{race.code}-incentives"
    if fmt == "csv":
        csv_rows = [{**row, "periods": "、".join(row["periods"])} for row in rows]
        return table_data_response(_("激励地区累计"), INCENTIVE_COLUMNS, csv_rows, name)
    document = {
        "schema": SCHEMA_INCENTIVES,
        "race": {"code": race.code, "name": race.name},
        "reward_per_listing": {
            "land_mu": float(data["land"]),
            "funds_yuan": float(data["funds"]),
        },
        "periods": [
            {
                **result_facts(p["result"]),
                "selected": [
                    {
                        "unit_code": row.unit.code,
                        "unit_name": row.name,
                        "group": row.group_code,
                        "rank": row.rank,
                        "score": row.score,
                    }
                    for row in p["rows"]
                ],
            }
            for p in data["periods"]
        ],
        "columns": [key for key, _header in INCENTIVE_COLUMNS],
        "rows": rows,
    }
    return document_response(document, name)


SECTION = Section(
    code="races",
    title=gettext_lazy("指标赛马"),
    front_template="portal/races/front.html",
    front=front,
    archive=archive,
    datasets=datasets,
    publications=publications,
    pages=[
        path("results/<int:pk>/", board_page, name="board"),
        path("results/<int:pk>/groups/<str:group>/", board_page, name="board_group"),
        path("<slug:code>/", race_page, name="race"),
    ],
    data=[
        path("results/<int:pk>/<str:group>.<str:fmt>", board_data, name="board"),
        path("<slug:code>/incentives.<str:fmt>", incentives_data, name="incentives"),
    ],
)
