"""Anomaly flags (异常提示) that help a verifier, each with a sentence explaining itself.

- growth far outside the group's usual change: the robust z-score of the change since last
  period, z = 0.6745 · (g − median(g)) / MAD(g) within the unit's group, |z| > 3.5
  (Iglewicz & Hoaglin's rule);
- outlier within the group: the same robust z-score on the value itself;
- a value identical to last period's when that is unlikely by chance (not a whole number), or
  a whole report identical to last period's (a copied row);
- a submission in the last hour before the deadline.

Worked example: a group's changes are +5%, +6%, +7%, +8% and +60%; median 7%, MAD 1%, so the
last unit's z = 0.6745 × 53 / 1 ≈ 35.7 — flagged.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.engine import Scheme
from saima.races.models import Period, Report, ReportedValue
from saima.races.results.selectors import previous_period

THRESHOLD = 3.5
MIN_GROUP = 4
LAST_HOUR = dt.timedelta(hours=1)


@dataclass(frozen=True)
class Flag:
    kind: str  # growth | outlier | same | late
    indicator: str  # indicator code, "" for the whole report
    message: str


def robust_z(values: np.ndarray) -> np.ndarray:
    """0.6745 · (x − median) / MAD, NaN where undefined (MAD 0 or value missing).

    >>> robust_z(np.array([5.0, 6.0, 7.0, 8.0, 60.0])).round(1).tolist()
    [-1.3, -0.7, 0.0, 0.7, 35.7]
    """
    present = values[~np.isnan(values)]
    out = np.full(values.shape, np.nan)
    if present.size < MIN_GROUP:
        return out
    median = np.median(present)
    mad = np.median(np.abs(present - median))
    if mad == 0:
        return out
    scaled: np.ndarray = 0.6745 * (values - median) / mad
    return scaled


def values_by_unit(period: Period | None) -> dict[int, dict[str, float | None]]:
    out: dict[int, dict[str, float | None]] = defaultdict(dict)
    if period is None:
        return out
    rows = ReportedValue.objects.filter(report__period=period).values_list(
        "report__unit_id", "indicator", "value"
    )
    for unit_id, indicator, value in rows:
        out[unit_id][indicator] = value
    return out


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def _group_flags(
    scheme: Scheme,
    reports: list[Report],
    now_values: dict[int, dict[str, float | None]],
    before: dict[int, dict[str, float | None]],
    flags: dict[int, list[Flag]],
) -> None:
    for indicator in scheme.indicators:
        code = indicator.code
        current = np.array([_f(now_values[r.unit_id].get(code)) for r in reports])
        last = np.array([_f(before.get(r.unit_id, {}).get(code)) for r in reports])
        with np.errstate(divide="ignore", invalid="ignore"):
            growth = np.where(
                (last != 0) & ~np.isnan(last), (current - last) / np.abs(last), np.nan
            )
        z_growth, z_value = robust_z(growth), robust_z(current)
        median_growth = np.nanmedian(growth) if np.isfinite(growth).sum() else np.nan
        median_value = np.nanmedian(current) if np.isfinite(current).sum() else np.nan
        for i, report in enumerate(reports):
            unit_flags = flags[report.unit_id]
            if abs(z_growth[i]) > THRESHOLD:
                unit_flags.append(
                    Flag(
                        "growth",
                        code,
                        _(
                            "%(name)s较上期变化 %(g)s%%，同组中位数 %(m)s%%，稳健 z 值 %(z)s（超过 ±3.5）"
                        )
                        % {
                            "name": indicator.name,
                            "g": _fmt(100 * growth[i]),
                            "m": _fmt(100 * median_growth),
                            "z": _fmt(z_growth[i]),
                        },
                    )
                )
            if abs(z_value[i]) > THRESHOLD:
                unit_flags.append(
                    Flag(
                        "outlier",
                        code,
                        _("%(name)s为 %(v)s，同组中位数 %(m)s，稳健 z 值 %(z)s，是同组的离群值")
                        % {
                            "name": indicator.name,
                            "v": _fmt(current[i]),
                            "m": _fmt(median_value),
                            "z": _fmt(z_value[i]),
                        },
                    )
                )
            if _copied(current[i], last[i]):
                unit_flags.append(
                    Flag(
                        "same",
                        code,
                        _("%(name)s与上期数值完全相同（%(v)s），请确认不是沿用旧数据")
                        % {"name": indicator.name, "v": _fmt(current[i])},
                    )
                )


def _copied(now: float, before: float) -> bool:
    """Identical to last period, for a value that is unlikely to repeat by chance (not a whole
    number: counts such as 2 projects often repeat honestly)."""
    return bool(not np.isnan(now) and now == before and now != round(now))


def _unit_copied(
    scheme: Scheme, now: dict[str, float | None], before: dict[str, float | None]
) -> bool:
    pairs = [(now.get(i.code), before.get(i.code)) for i in scheme.indicators]
    given = [(a, b) for a, b in pairs if a is not None]
    return len(given) == len(pairs) and all(a == b for a, b in given)


def _f(value: float | None) -> float:
    return np.nan if value is None else float(value)


def period_flags(period: Period, scheme: Scheme) -> dict[int, list[Flag]]:
    """Unit id → its flags for this period (units without flags are absent or empty)."""
    reports = list(Report.objects.filter(period=period).select_related("unit"))
    now_values = values_by_unit(period)
    before = values_by_unit(previous_period(period))
    flags: dict[int, list[Flag]] = defaultdict(list)
    by_group: dict[str, list[Report]] = defaultdict(list)
    for report in reports:
        by_group[report.group_code].append(report)
    for members in by_group.values():
        _group_flags(scheme, members, now_values, before, flags)
    for report in reports:
        if report.unit_id in before and _unit_copied(
            scheme, now_values[report.unit_id], before[report.unit_id]
        ):
            flags[report.unit_id].append(
                Flag("same", "", _("全部指标与上期完全相同，可能沿用了上期数据"))
            )
        if (
            report.submitted_at
            and period.deadline - LAST_HOUR <= report.submitted_at <= period.deadline
        ):
            at = timezone.localtime(report.submitted_at).strftime("%m-%d %H:%M")
            flags[report.unit_id].append(
                Flag("late", "", _("在截止前最后一小时内报送（%(at)s）") % {"at": at})
            )
    return flags
