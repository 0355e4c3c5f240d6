"""Reads of frozen results: current versions, boards, unit pages, incentive regions, and the
dashboard's latest boards. Board and unit pages run a fixed number of queries, whatever the
number of units (a test counts them). Their charts are built in ``charts``."""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q, QuerySet, Subquery

from saima.core.calendar import add_working_days
from saima.core.models import AuditEvent
from saima.org.models import PeerGroup, Unit
from saima.races.models import HEAVY, Period, Race, Report, ReportStatus, Result, ResultRow
from saima.races.schemes.selectors import list_size, parse_scheme, unreported_rule

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


# ---------------------------------------------------------------- versions


@dataclass(frozen=True)
class Versions:
    """The versions a board points to, as far as its reader may open them."""

    newer: Result | None  # the latest later version the reader may open
    newer_in_review: bool  # a later version exists that the reader may not open (yet)
    older: Result | None  # the version this one corrects, if the reader may open it


def versions_around(result: Result, *, organiser: bool) -> Versions:
    """The correction of ``result`` and the version it corrects, as links for this reader: the
    public is never linked to an unpublished version (it would answer 404), but is told that a
    correction is in review."""
    others = list(
        Result.objects.filter(period_id=result.period_id)
        .exclude(pk=result.pk)
        .defer(*HEAVY, "scheme_toml")
        .order_by("version")
    )  # a period has a handful of versions: one query, sorted out here
    later = [r for r in others if r.version > result.version]
    earlier = [r for r in others if r.version < result.version]
    if not organiser:
        shown_later = [r for r in later if r.published_at is not None]
        earlier = [r for r in earlier if r.published_at is not None]
    else:
        shown_later = later
    newer = shown_later[-1] if shown_later else None
    in_review = newer is None and bool(later)
    return Versions(newer, in_review, earlier[-1] if earlier else None)


def published_seq(result: Result) -> int | None:
    """The audit sequence number of the event that published ``result`` (the chain head a board
    shows, for outsiders to keep), or None while it is unpublished."""
    if result.published_at is None:
        return None
    return (
        AuditEvent.objects.filter(
            action="races.result.publish", object_type="races.result", object_id=str(result.pk)
        )
        .order_by("-seq")
        .values_list("seq", flat=True)
        .first()
    )


# ---------------------------------------------------------------- the objection window


def objection_deadline(result: Result) -> dt.datetime | None:
    if result.published_at is None:
        return None
    return add_working_days(result.published_at, result.period.race.objection_window_days)


# ---------------------------------------------------------------- boards


def previous_current(result: Result) -> Result | None:
    """The current result of the period before ``result``'s (None when that period has none)."""
    period = result.period
    earlier = Q(year__lt=period.year) | Q(year=period.year, number__lt=period.number)
    before = (
        Period.objects.filter(earlier, race_id=period.race_id)
        .order_by("-year", "-number")
        .values("pk")[:1]
    )
    return (
        Result.objects.filter(period_id=Subquery(before), is_current=True)
        .defer(*HEAVY, "scheme_toml")
        .first()
    )


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
    unreported: str = (
        ""  # the report's status (未填报, 草稿, 已退回) of a unit ranked last unreported
    )


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
    rule = unreported_rule(scheme)
    missing = unreported(result, group_code)
    failed = [m for m in missing if m["state"] in NOT_DELIVERED]
    black_failed = failed if rule.black_list and bottom else []
    size, black_slots = len(rows), max(0, bottom - len(black_failed))
    out = []
    for row in rows:
        listed = (
            "red"
            if top and row.rank <= top
            else ("black" if black_slots and row.rank > size - black_slots else "")
        )
        change = before[row.unit_id] - row.rank if row.unit_id in before else None
        out.append(
            BoardRow(
                row.unit.code,
                row.name,
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
    last = [_last_row(m, size + 1, bool(black_failed)) for m in failed]
    if rule.treatment == "last":
        out += last
    group = next((g for g in scheme.groups if g.code == group_code), None)
    return {
        "rows": out,
        "group": group,
        "previous": previous,
        "top": top,
        "bottom": bottom,
        "red": [r for r in out if r.listed == "red"],
        "black": [r for r in out if r.listed == "black" and not r.unreported][::-1],
        "black_unreported": last if black_failed else [],
        "unreported": missing,
        "unreported_rule": rule,
    }


# Statuses of a unit that did not hand in its data (未填报、草稿、已退回未重报); a report handed in
# but not yet verified is the organiser's delay, not the unit's failure.
NOT_DELIVERED = (ReportStatus.NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED)


def unreported(result: Result, group_code: str) -> list[dict[str, str]]:
    """The group's units left out of ``result`` (not verified), each with its name, status label
    and status code; results frozen before the group was recorded are matched through reports."""
    entries = [dict(e) for e in result.excluded or []]
    if any("group" not in e or "state" not in e for e in entries):
        reports = {
            code: (group, state)
            for code, group, state in Report.objects.filter(period_id=result.period_id).values_list(
                "unit__code", "group_code", "status"
            )
        }
        for e in entries:
            group, state = reports.get(e["unit"], ("", ""))
            e.setdefault("group", group)
            e.setdefault("state", state)
    return [e for e in entries if e["group"] == group_code]


def _last_row(entry: dict[str, str], rank: int, black: bool) -> BoardRow:
    """A unit that did not report, ranked after every unit that did (tied last), with no score."""
    return BoardRow(
        entry["unit"],
        entry["name"],
        rank,
        math.nan,
        False,
        False,
        None,
        None,
        None,
        None,
        "black" if black else "",
        entry["status"],
    )


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
                # any_increase / any_decrease (any change in the better direction suffices),
                # change, out_of_reach, selected, missing; absent in results before engine 2.0
                "kind": row.detail.get("gap_kinds", {}).get(i.code, ""),
                "tiny": gap is not None and 0 < abs(gap) < HUNDREDTH,
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
            (x for x in indicators if x["gap"] not in (None, 0) or x["kind"] in ANY_CHANGE),
            key=lambda x: x["effort"] or 0.0,
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


HUNDREDTH = 0.005  # below this a number shows as 0 at two decimals: say "< 0.01" instead
ANY_CHANGE = ("any_increase", "any_decrease")
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
        .only(
            "result_id",
            "group_code",
            "rank",
            "unit_name",
            "unit__name",
            "unit__code",
            "unit__path",
        )
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
