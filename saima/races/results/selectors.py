"""Reads of frozen results: current versions, boards, unit pages, incentive regions, and the
dashboard's latest boards. Board and unit pages run a fixed number of queries, whatever the
number of units (a test counts them). Their charts are built in ``charts``."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q, QuerySet

from saima.core.calendar import add_working_days
from saima.org.models import PeerGroup, Unit
from saima.races.models import HEAVY, Period, Race, Result, ResultRow
from saima.races.schemes.selectors import list_size, parse_scheme

# ---------------------------------------------------------------- periods and current versions


def previous_period(period: Period) -> Period | None:
    earlier = Q(year__lt=period.year) | Q(year=period.year, number__lt=period.number)
    return (
        Period.objects.filter(earlier, race_id=period.race_id).order_by("-year", "-number").first()
    )


def current_results(race: Race) -> QuerySet[Result]:
    return (
        Result.objects.filter(period__race=race, is_current=True)
        .defer(*HEAVY)
        .select_related("period__race")
        .order_by("period__year", "period__number")
    )


# ---------------------------------------------------------------- the objection window


def objection_deadline(result: Result) -> dt.datetime | None:
    if result.published_at is None:
        return None
    return add_working_days(result.published_at, result.period.race.objection_window_days)


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


def latest_rankings(units: list[Unit]) -> list[ResultRow]:
    """Each unit's place in the newest published result of every race it runs in (a reporter's
    shortcut to their own unit's page)."""
    rows = (
        ResultRow.objects.filter(unit__in=units, result__is_current=True)
        .select_related("result__period__race", "unit")
        .defer(*(f"result__{name}" for name in HEAVY), "detail")
        .order_by(
            "unit__path",
            "result__period__race_id",
            "-result__period__year",
            "-result__period__number",
        )
    )
    latest: dict[tuple[int, int], ResultRow] = {}
    for row in rows:
        latest.setdefault((row.unit_id, row.result.period.race_id), row)
    return list(latest.values())
