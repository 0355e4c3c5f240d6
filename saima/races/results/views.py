"""Result pages: leaderboards, unit pages, incentive regions, the verification kit.

Published results need no login; an unpublished result is seen by the race's organisers only.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.formats import money_label
from saima.org.models import Unit
from saima.org.permissions import may_view_unit_data
from saima.races.models import HEAVY, Objection, Race, Result
from saima.races.permissions import may_manage_race, may_object, may_view_result
from saima.races.results import charts, exports, selectors
from saima.races.results.exports import Table, table_response
from saima.races.results.selectors import objection_deadline
from saima.races.schemes.selectors import parse_scheme


def viewable_result(request: HttpRequest, pk: int) -> Result:
    """The result ``pk``, or 404 for a user who may not see it."""
    result = get_object_or_404(
        Result.objects.select_related("period__race__owner", "supersedes").defer(
            *HEAVY, "supersedes__inputs", "supersedes__outputs"
        ),
        pk=pk,
    )
    if not may_view_result(request.user, result):
        raise Http404
    return result


def _board_table(result: Result, rows: list[selectors.BoardRow], group_name: str) -> Table:
    body = [
        [
            r.rank,
            r.change,
            r.unit_code,
            r.unit_name,
            None if r.unreported else round(r.score, 4),
            r.selected,
            r.p05,
            r.p95,
            r.p_selected,
            {"red": "红榜", "black": "黑榜"}.get(r.listed, ""),
        ]
        for r in rows
    ]
    return Table(
        group_name,
        [
            "名次",
            "名次变化",
            "单位代码",
            "单位",
            "得分",
            "入选",
            "名次下限(5%)",
            "名次上限(95%)",
            "入选概率",
            "红黑榜",
        ],
        body,
    )


def board(request: HttpRequest, pk: int) -> HttpResponseBase:
    result = viewable_result(request, pk)
    scheme = parse_scheme(result.scheme_toml)
    group_code = request.GET.get("group") or scheme.groups[0].code
    if group_code not in {g.code for g in scheme.groups}:
        raise Http404
    data = selectors.board(result, group_code)
    if request.GET.get("format") in ("csv", "xlsx"):
        table = _board_table(result, data["rows"], data["group"].name)
        return table_response(
            table, request.GET["format"], f"board-{result.period.short_label}-{group_code}"
        )
    manager = may_manage_race(request.user, result.period.race)
    scored = [r for r in data["rows"] if not r.unreported]  # no score to chart for the unreported
    context = {
        "result": result,
        "period": result.period,
        "race": result.period.race,
        "scheme": scheme,
        "group_code": group_code,
        "chart": charts.board_chart(scored, data["group"].quota),
        "narrow_chart": charts.board_chart_narrow(scored, data["group"].quota),
        "narrow_chart_height": charts.narrow_chart_height(scored),
        "versions": selectors.versions_around(result, organiser=manager),
        "published_seq": selectors.published_seq(result),
        "manager": manager,
        "objection_deadline": objection_deadline(result),
        **data,
    }
    return render(request, "races/board.html", context)


def _unit_page(
    request: HttpRequest, pk: int, unit_code: str
) -> tuple[Result, Unit, dict[str, Any]]:
    """The result, the unit and its page's data, or 404 where the unit is not in the result."""
    result = viewable_result(request, pk)
    unit = get_object_or_404(Unit, code=unit_code)
    data = selectors.unit_page(result, unit)
    if data is None:
        raise Http404
    return result, unit, data


def unit_detail(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    result, unit, data = _unit_page(request, pk, unit_code)
    deadline = objection_deadline(result)
    context = {
        "result": result,
        "period": result.period,
        "race": result.period.race,
        "unit": unit,
        "history_chart": charts.history_chart(data["history"]),
        "contribution_chart": charts.contribution_chart(data["indicators"]),
        "may_object": may_object(request.user, result, unit.pk)
        and deadline is not None
        and timezone.now() <= deadline,
        "objection_deadline": deadline,
        "objections": Objection.objects.filter(result__period=result.period, unit=unit)
        if may_view_unit_data(request.user, unit)
        or may_manage_race(request.user, result.period.race)
        else [],
        **data,
    }
    return render(request, "races/unit_detail.html", context)


def unit_history_export(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    _result, unit, data = _unit_page(request, pk, unit_code)
    rows = [
        [h.result.period.short_label, h.rank, round(h.score, 4), h.selected, h.p_selected]
        for h in data["history"]
    ]
    table = Table(unit.name, ["周期", "名次", "得分", "入选", "入选概率"], rows)
    return table_response(table, request.GET.get("format", "csv"), f"history-{unit.code}")


def kit(request: HttpRequest, pk: int) -> HttpResponse:
    result = viewable_result(request, pk)
    response = HttpResponse(exports.kit_zip(result), content_type="application/zip")
    name = f"saima-{result.period.race.code}-{result.period.short_label}-v{result.version}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def incentives(request: HttpRequest, code: str) -> HttpResponseBase:
    race = get_object_or_404(Race.objects.select_related("owner"), code=code)
    data = selectors.incentives(race)
    if not data["periods"] and not may_manage_race(request.user, race):
        raise Http404
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = [
            [
                e["unit"].code,
                e["unit"].name,
                e["times"],
                "、".join(e["periods"]),
                e["land"],
                e["funds"],
            ]
            for e in data["cumulative"]
        ]
        table = Table(
            _("激励地区累计"),
            ["单位代码", "单位", "上榜次数", "上榜周期", "用地指标（亩）", "资金（元）"],
            rows,
        )
        return table_response(table, request.GET["format"], f"incentives-{race.code}")
    context = {
        "race": race,
        "manager": may_manage_race(request.user, race),
        **data,
        "funds_label": money_label(data["funds"]),
        "total_funds_label": money_label(data["total_funds"]),
    }
    return render(request, "races/incentives.html", context)
