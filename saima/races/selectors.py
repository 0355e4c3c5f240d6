"""Reads for the races pages. Board and unit pages run a fixed number of queries, whatever the
number of units (a test counts them)."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils.translation import gettext

from saima.core.formats import money_label
from saima.engine import Scheme
from saima.org.models import PeerGroup, Role, Unit
from saima.org.permissions import AnyUser, scope_filter, units_organised_by
from saima.races.anomalies import previous_period, values_by_unit
from saima.races.models import (
    HEAVY,
    Period,
    PeriodStatus,
    Race,
    Reminder,
    Report,
    ReportStatus,
    Result,
    ResultRow,
)
from saima.races.schemes import list_size, parse_scheme

# ---------------------------------------------------------------- races and periods


def races_managed_by(user: AnyUser) -> QuerySet[Race]:
    if getattr(user, "is_superuser", False):
        return Race.objects.select_related("owner")
    owners = units_organised_by(user)
    return Race.objects.filter(owner__in=owners).select_related("owner")


def races_public() -> QuerySet[Race]:
    return Race.objects.filter(periods__results__is_current=True).distinct().select_related("owner")


def race_list(user: AnyUser) -> list[dict[str, Any]]:
    """Every race the user may see, with its newest period and current board."""
    managed = set(races_managed_by(user).values_list("pk", flat=True))
    races = Race.objects.filter(
        Q(pk__in=managed) | Q(pk__in=races_public().values("pk"))
    ).select_related("owner")
    out = []
    for race in races:
        latest = race.periods.order_by("-year", "-number").first()
        board = current_results(race).last()
        out.append({"race": race, "latest": latest, "board": board, "managed": race.pk in managed})
    return out


def periods_of(race: Race) -> list[dict[str, Any]]:
    periods = list(race.periods.order_by("-year", "-number"))
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for period_id, status, n in (
        Report.objects.filter(period__race=race)
        .values_list("period_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts[period_id][status] = n
    current = {
        r.period_id: r
        for r in Result.objects.filter(period__race=race, is_current=True).defer(*HEAVY)
    }
    return [
        {
            "period": p,
            "counts": counts[p.pk],
            "total": sum(counts[p.pk].values()),
            "current": current.get(p.pk),
        }
        for p in periods
    ]


def current_results(race: Race) -> QuerySet[Result]:
    return (
        Result.objects.filter(period__race=race, is_current=True)
        .defer(*HEAVY)
        .select_related("period__race")
        .order_by("period__year", "period__number")
    )


def reporter_open_reports(user: AnyUser) -> QuerySet[Report]:
    """Open reports of the units this user reports for (their to-do list)."""
    condition = scope_filter(user, [Role.REPORTER], field="unit__path")
    if not getattr(user, "is_authenticated", False):
        return Report.objects.none()
    if getattr(user, "is_superuser", False):
        return Report.objects.none()
    return (
        Report.objects.filter(condition, period__status=PeriodStatus.OPEN)
        .select_related("period__race", "unit")
        .order_by("period__deadline")
    )


# ---------------------------------------------------------------- a period at a glance


@dataclass
class StatusRow:
    report: Report
    flags: int = 0
    reminders: int = 0
    last_reminder: Any = None


def period_status(period: Period, flags: dict[int, list[Any]] | None = None) -> dict[str, Any]:
    reports = list(
        Report.objects.filter(period=period)
        .select_related("unit")
        .order_by("group_code", "unit__path")
    )
    reminders: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in Reminder.objects.filter(period=period).order_by("sent_at"):
        reminders[reminder.unit_id].append(reminder)
    rows = [
        StatusRow(
            r,
            len((flags or {}).get(r.unit_id, [])),
            len(reminders[r.unit_id]),
            reminders[r.unit_id][-1].sent_at if reminders[r.unit_id] else None,
        )
        for r in reports
    ]
    counts = Counter(r.status for r in reports)
    summary = [(status, label, counts.get(status, 0)) for status, label in ReportStatus.choices]
    return {"rows": rows, "summary": summary, "total": len(reports)}


@dataclass
class FieldRow:
    code: str
    name: str
    unit: str
    help: str
    direction: str
    value: float | None
    last: float | None
    note: str = ""
    flags: list[Any] = field(default_factory=list)


def report_fields(report: Report, scheme: Scheme, flags: list[Any] | None = None) -> list[FieldRow]:
    current = {v.indicator: v for v in report.values.all()}
    last = values_by_unit(previous_period(report.period)).get(report.unit_id, {})
    rows = []
    for i in scheme.indicators:
        value = current.get(i.code)
        rows.append(
            FieldRow(
                i.code,
                i.name,
                i.unit,
                i.help,
                i.direction,
                value.value if value else None,
                last.get(i.code),
                value.note if value else "",
                [f for f in (flags or []) if f.indicator == i.code],
            )
        )
    return rows


# ---------------------------------------------------------------- boards


def previous_current(result: Result) -> Result | None:
    before = previous_period(result.period)
    if before is None:
        return None
    return Result.objects.filter(period=before, is_current=True).defer(*HEAVY).first()


@dataclass
class BoardRow:
    unit_code: str
    unit_name: str
    rank: int
    score: float
    selected: bool
    tie: bool
    p05: float | None
    p95: float | None
    p_selected: float | None
    change: int | None  # positive = moved up
    listed: str = ""  # "red" | "black" | ""


def board(result: Result, group_code: str) -> dict[str, Any]:
    """The group's leaderboard, rank change since the last period, and the 红黑榜."""
    rows = list(
        ResultRow.objects.filter(result=result, group_code=group_code)
        .select_related("unit")
        .defer("detail")
        .order_by("rank", "unit__path")
    )
    previous = previous_current(result)
    before: dict[int, int] = {}
    if previous is not None:
        before = dict(
            ResultRow.objects.filter(result=previous, group_code=group_code).values_list(
                "unit_id", "rank"
            )
        )
    scheme = parse_scheme(result.scheme_toml)
    top, bottom = list_size(scheme)
    size = len(rows)
    out = []
    for row in rows:
        listed = (
            "red"
            if top and row.rank <= top
            else ("black" if bottom and row.rank > size - bottom else "")
        )
        change = before[row.unit_id] - row.rank if row.unit_id in before else None
        out.append(
            BoardRow(
                row.unit.code,
                row.unit.name,
                row.rank,
                row.score,
                row.selected,
                row.tie_at_boundary,
                row.rank_p05,
                row.rank_p95,
                row.p_selected,
                change,
                listed,
            )
        )
    group = next((g for g in scheme.groups if g.code == group_code), None)
    return {
        "rows": out,
        "group": group,
        "previous": previous,
        "top": top,
        "bottom": bottom,
        "red": [r for r in out if r.listed == "red"],
        "black": [r for r in out if r.listed == "black"][::-1],
    }


def board_chart(rows: list[BoardRow], quota: int) -> dict[str, Any]:
    """ECharts option: scores as bars (selected in red), below them rank intervals (p5–p95).

    On a narrow screen (a judge's or official's phone) the unit names turn 60° and the legend
    moves out of the way, through ECharts' own media queries.
    """
    score_label, rank_label = gettext("得分"), gettext("名次")
    interval_label = gettext("排名区间（5%–95%）")
    names = [r.unit_name for r in rows]
    bars = [
        {"value": round(r.score, 2), "itemStyle": {"color": "#b3261e" if r.selected else "#9aa4ae"}}
        for r in rows
    ]
    intervals = [
        [r.p05, r.p95, r.p05, r.p95] if r.p05 is not None else ["-", "-", "-", "-"] for r in rows
    ]
    base = {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [score_label, interval_label, rank_label], "top": 0},
        "grid": [
            {"left": 50, "right": 20, "top": 40, "height": "38%"},
            {"left": 50, "right": 20, "top": "58%", "height": "28%"},
        ],
        "xAxis": [
            {"type": "category", "data": names, "gridIndex": 0, "axisLabel": {"show": False}},
            {
                "type": "category",
                "data": names,
                "gridIndex": 1,
                "axisLabel": {
                    "rotate": 60 if len(names) > 12 else 0,
                    "interval": 0 if len(names) <= 40 else "auto",
                },
            },
        ],
        "yAxis": [
            {"type": "value", "name": score_label, "gridIndex": 0},
            {
                "type": "value",
                "name": rank_label,
                "gridIndex": 1,
                "inverse": True,
                "min": 1,
                "splitLine": {"show": False},
            },
        ],
        "series": [
            {
                "name": score_label,
                "type": "bar",
                "data": bars,
                "color": "#9aa4ae",
                "xAxisIndex": 0,
                "yAxisIndex": 0,
                "markLine": {
                    "silent": True,
                    "symbol": "none",
                    "lineStyle": {"type": "dashed", "color": "#b3261e"},
                    "label": {"formatter": gettext("名额 %(n)s") % {"n": quota}, "position": "end"},
                    "data": [{"xAxis": max(0, min(quota, len(names)) - 1)}],
                }
                if rows and quota
                else {},
            },
            {
                "name": interval_label,
                "type": "candlestick",
                "data": intervals,
                "xAxisIndex": 1,
                "yAxisIndex": 1,
                "barMaxWidth": 6,
                "itemStyle": {
                    "color": "#1d4f91",
                    "color0": "#1d4f91",
                    "borderColor": "#1d4f91",
                    "borderColor0": "#1d4f91",
                },
            },
            {
                "name": rank_label,
                "type": "scatter",
                "data": [r.rank for r in rows],
                "xAxisIndex": 1,
                "yAxisIndex": 1,
                "symbolSize": 6,
                "itemStyle": {"color": "#b3261e"},
            },
        ],
    }
    narrow = {
        "legend": {"top": 0, "itemGap": 6, "textStyle": {"fontSize": 10}},
        "grid": [
            {"left": 36, "right": 8, "top": 56, "height": "34%"},
            {"left": 36, "right": 8, "top": "56%", "height": "26%"},
        ],
        "xAxis": [{}, {"axisLabel": {"rotate": 60, "interval": 0, "fontSize": 10}}],
        "yAxis": [{}, {"name": ""}],  # the legend names the rank dots; the name would hit labels
    }
    return {"baseOption": base, "media": [{"query": {"maxWidth": 560}, "option": narrow}]}


# ---------------------------------------------------------------- unit page


def unit_page(result: Result, unit: Unit) -> dict[str, Any] | None:
    row = ResultRow.objects.filter(result=result, unit=unit).first()
    if row is None:
        return None
    scheme = parse_scheme(result.scheme_toml)
    group = scheme.group(row.group_code)
    history = list(
        ResultRow.objects.filter(
            unit=unit, result__period__race_id=result.period.race_id, result__is_current=True
        )
        .select_related("result__period__race")
        .defer("detail", "result__inputs", "result__outputs", "result__scheme_toml")
        .order_by("result__period__year", "result__period__number")
    )
    group_size = ResultRow.objects.filter(result=result, group_code=row.group_code).count()
    values = row.detail.get("values", [])
    indicators = []
    for j, i in enumerate(scheme.indicators):
        value = values[j] if j < len(values) else None
        gap = feasible_gap(i.unit, value, row.detail.get("gaps", {}).get(i.code))
        indicators.append(
            {
                "indicator": i,
                "value": value,
                "contribution": row.detail.get("contrib", {}).get(i.code),
                "gap": gap,
                "target": value + gap if gap and value is not None else None,
                "effort": abs(gap) / max(abs(value or 0), 1.0) if gap else None,
            }
        )
    sections = [
        {"section": s, "score": row.detail.get("sections", {}).get(s.code)} for s in scheme.sections
    ]
    threshold = None
    if not row.selected:
        threshold = ResultRow.objects.filter(
            result=result, group_code=row.group_code, selected=True
        ).aggregate(line=Min("score"))["line"]
    return {
        "row": row,
        "threshold": threshold,
        "score_gap": threshold - row.score if threshold is not None else None,
        "headroom": _headroom(result, scheme, row, indicators) if not row.selected else [],
        "group": group,
        "group_size": group_size,
        "history": history,
        "indicators": indicators,
        "sections": sections,
        "reachable": sorted(
            (x for x in indicators if x["gap"] not in (None, 0)), key=lambda x: x["effort"]
        ),
    }


def _headroom(
    result: Result, scheme: Any, row: ResultRow, indicators: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Where a unit has most to gain (arithmetic aggregation only): an indicator's weight × 100 is
    the most it can add to the score; what is not yet earned is the room to climb.

    With weights 0.3 and 0.7 and contributions 25 and 14, the room is 5 and 56 points.
    """
    if scheme.method.aggregate != "arithmetic":
        return []
    weights = (
        Result.objects.filter(pk=result.pk)
        .values_list(f"outputs__weights__{row.group_code}", flat=True)
        .first()
    ) or {}
    room = [
        {
            "indicator": x["indicator"],
            "room": 100.0 * weights[x["indicator"].code] - x["contribution"],
        }
        for x in indicators
        if x["contribution"] is not None and x["indicator"].code in weights
    ]
    return sorted((r for r in room if r["room"] > 1e-9), key=lambda r: -r["room"])[:3]


COUNT_UNITS = {"个", "件", "起", "项", "家", "人", "次"}


def feasible_gap(unit: str, value: float | None, gap: float | None) -> float | None:
    """The engine's smallest sufficient change, made usable: whole numbers for counts (rounded
    away from zero, which still suffices), and None where it would push a non-negative value
    below zero (a negative count of snail projects is no advice).

    >>> feasible_gap("个", 5.0, 0.54), feasible_gap("个", 0.0, -0.18), feasible_gap("%", 12.0, 1.08)
    (1.0, None, 1.08)
    """
    if gap is None or gap == 0 or value is None:
        return gap
    if unit in COUNT_UNITS:
        gap = float(math.copysign(math.ceil(abs(gap) - 1e-9), gap))
    if value >= 0 and value + gap < 0:
        return None
    return gap


def history_chart(history: list[ResultRow]) -> dict[str, Any]:
    labels = [h.result.period.short_label for h in history]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 20, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {
            "type": "value",
            "name": gettext("名次"),
            "inverse": True,
            "min": 1,
            "minInterval": 1,
        },
        "series": [
            {
                "name": gettext("名次"),
                "type": "line",
                "data": [h.rank for h in history],
                "itemStyle": {"color": "#b3261e"},
                "label": {"show": True},
            }
        ],
    }


def contribution_chart(indicators: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 170, "right": 30, "top": 10, "bottom": 30},
        "xAxis": {"type": "value", "name": gettext("得分贡献")},
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [x["indicator"].name for x in indicators],
        },
        "series": [
            {
                "type": "bar",
                "data": [round(x["contribution"] or 0, 2) for x in indicators],
                "itemStyle": {"color": "#1d4f91"},
            }
        ],
    }


# ---------------------------------------------------------------- incentive regions (激励地区)


def incentives(race: Race) -> dict[str, Any]:
    """Per period the selected units with their rewards, and each unit's cumulative totals."""
    results = list(current_results(race))
    rows = (
        ResultRow.objects.filter(result__in=results, selected=True)
        .select_related("unit")
        .defer("detail")
        .order_by("group_code", "rank", "unit__path")
    )
    by_result: dict[int, list[ResultRow]] = defaultdict(list)
    totals: dict[int, dict[str, Any]] = {}
    for row in rows:
        by_result[row.result_id].append(row)
        entry = totals.setdefault(row.unit_id, {"unit": row.unit, "times": 0, "periods": []})
        entry["times"] += 1
    for result in results:
        for row in by_result[result.pk]:
            totals[row.unit_id]["periods"].append(result.period.short_label)
    land, funds = race.reward_land_mu, race.reward_funds_yuan
    for entry in totals.values():
        entry["land"] = land * entry["times"]
        entry["funds"] = funds * entry["times"]
    cumulative = sorted(totals.values(), key=lambda e: (-e["times"], e["unit"].path))
    periods = [{"result": r, "rows": by_result[r.pk]} for r in reversed(results)]
    return {
        "periods": periods,
        "cumulative": cumulative,
        "land": land,
        "funds": funds,
        "total_land": land * sum(e["times"] for e in cumulative),
        "total_funds": funds * sum(e["times"] for e in cumulative),
    }


def yuan_label(amount: Decimal) -> str:
    """5000000 → 500万元 (in English: 5,000,000 yuan); see ``saima.core.formats``."""
    return money_label(amount)


def selected_units_by_group(results: list[Result]) -> dict[int, list[dict[str, Any]]]:
    """For each result, its groups in order with the units they selected (two queries).

    ``{result_id: [{"name": "设区市", "units": [ResultRow, …]}, …]}``
    """
    rows = list(
        ResultRow.objects.filter(result__in=results, selected=True)
        .select_related("unit")
        .only("result_id", "group_code", "rank", "unit__name", "unit__code", "unit__path")
        .order_by("result_id", "group_code", "rank", "unit__path")
    )
    names = dict(
        PeerGroup.objects.filter(code__in={r.group_code for r in rows}).values_list("code", "name")
    )
    grouped: dict[int, dict[str, list[ResultRow]]] = defaultdict(dict)
    for row in rows:
        grouped[row.result_id].setdefault(row.group_code, []).append(row)
    return {
        result_id: [
            {"name": names.get(code, code), "units": units} for code, units in groups.items()
        ]
        for result_id, groups in grouped.items()
    }


def latest_public_boards(limit: int = 4) -> list[Result]:
    seen: set[int] = set()
    out = []
    for result in (
        Result.objects.filter(is_current=True)
        .defer(*HEAVY)
        .select_related("period__race__owner")
        .order_by("-period__year", "-period__number", "-published_at")[:50]
    ):
        if result.period.race_id in seen:
            continue
        seen.add(result.period.race_id)
        out.append(result)
        if len(out) == limit:
            break
    return out
