"""Quarterly ratings (季通报): proposed red-flag projects (红旗项目) and snail projects (蜗牛项目).

At the quarter's last month e, three ratios to plan (1 = on plan), each capped at `ratio_cap`:
schedule = SPI (形象进度 against plan), investment = actual share / planned share,
milestones = milestones due by e reached on time / milestones due (1 when none is due).
Composite = 100 × Σ wᵢ · min(ratioᵢ, cap) / Σ wᵢ. Red flags: the best eligible projects by
composite; snails: by the rules' conditions. Vectorised over projects.

>>> from .inputs import ProjectMonths
>>> from .lights import compute_lights
>>> from .rules import ProgressRules, RatingRules
>>> m = ProjectMonths.build(planned_monthly=[[10, 10, 10]] * 3,
...     actual_cumulative=[[12, 24, 36], [10, 20, 30], [1, 2, 3]],
...     physical_progress=[[30, 60, 90], [20, 40, 60], [2, 4, 6]],
...     reported=[[True] * 3] * 3, budget=[30] * 3)
>>> rules = ProgressRules("demo", ratings=RatingRules(red_flag_count=1))
>>> r = rate_quarter(m, compute_lights(m, rules.lights), rules.ratings, quarter=0)
>>> (r.red_flag.tolist(), r.snail.tolist(), r.composite.round(1).tolist())
([True, False, False], [False, False, True], [104.0, 84.0, 26.4])
>>> explain_rating(r, 2)
('snail:red_months', 'not_eligible:has_red', 'not_eligible:snail')
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntFlag

import numpy as np
from numpy.typing import NDArray

from ..errors import DataError
from .inputs import Bools, Floats, ProjectMonths
from .lights import Light, Lights
from .rules import RatingRules

Ints = NDArray[np.int64]


class Ineligible(IntFlag):
    """Why a project cannot be a red flag this quarter."""

    HAS_RED = 1  # a red light in the quarter
    NOT_REPORTED = 2  # a month of the quarter without a report
    SNAIL = 4  # a snail this quarter
    BELOW_MIN_RATIO = 8  # investment ratio below the rules' minimum


class SnailReason(IntFlag):
    """Why a project is a snail this quarter."""

    RED_MONTHS = 1  # red in at least N of the quarter's months
    START_OVERDUE = 2  # 应开工未开工 at quarter end
    COMPLETION_OVERDUE = 4  # 应完工未完工 at quarter end
    QUARTER_MISSED = 8  # behind the quarter target (or no report at quarter end)


@dataclass(frozen=True)
class QuarterRatings:
    """One quarter's proposal, per project; the organiser reviews it before publishing."""

    quarter: int
    schedule_ratio: Floats
    investment_ratio: Floats
    milestone_ratio: Floats
    composite: Floats  # 0 .. 100 × ratio_cap
    red_months: Ints
    ineligible: NDArray[np.uint8]  # bits of Ineligible
    rank: Ints  # competition rank among the eligible by composite (0: not eligible)
    red_flag: Bools
    snail: Bools
    snail_reasons: NDArray[np.uint8]  # bits of SnailReason
    cut: float | None  # composite of the last red flag named (None: none named)


def explain_rating(ratings: QuarterRatings, project: int) -> tuple[str, ...]:
    """The codes that explain one project's rating (red flag with its rank, snail reasons,
    and why it was not eligible for a red flag)."""
    codes = []
    if ratings.red_flag[project]:
        codes.append(f"red_flag:rank_{int(ratings.rank[project])}")
    codes += [
        f"snail:{str(r.name).lower()}"
        for r in SnailReason
        if int(ratings.snail_reasons[project]) & r
    ]
    codes += [
        f"not_eligible:{str(r.name).lower()}"
        for r in Ineligible
        if int(ratings.ineligible[project]) & r
    ]
    return tuple(codes)


def rate_quarter(
    months: ProjectMonths, lights: Lights, rules: RatingRules, *, quarter: int
) -> QuarterRatings:
    """Red flags and snails of quarter `quarter` (0 = Q1) from the year's lights."""
    if quarter < 0 or 3 * quarter + 3 > months.months:
        raise DataError(
            f"quarter {quarter + 1} needs months {3 * quarter + 1}..{3 * quarter + 3}, "
            f"the data has {months.months}",
            column="quarter",
        )
    if lights.light.shape != months.planned_monthly.shape:
        raise DataError(
            f"lights of shape {lights.light.shape} are not of these projects × months "
            f"{months.planned_monthly.shape}",
            column="lights",
        )
    end = 3 * quarter + 2
    span = slice(3 * quarter, end + 1)
    schedule, investment, milestone = _ratios(months, lights, end)
    composite = _composite(rules, schedule, investment, milestone)
    red_months = (lights.light[:, span] == Light.RED).sum(axis=1).astype(np.int64)
    snail_reasons = _snail_reasons(months, lights, rules, end, red_months)
    snail = snail_reasons != 0
    ineligible = (
        np.where(red_months > 0, int(Ineligible.HAS_RED), 0)
        | np.where((~months.reported[:, span]).any(axis=1), int(Ineligible.NOT_REPORTED), 0)
        | np.where(snail, int(Ineligible.SNAIL), 0)
        | np.where(investment < rules.min_investment_ratio, int(Ineligible.BELOW_MIN_RATIO), 0)
    ).astype(np.uint8)
    eligible = ineligible == 0
    rank = _competition_rank(composite, eligible)
    red_flag, cut = _red_flags(composite, eligible, _how_many(rules, months.projects))
    return QuarterRatings(
        quarter=quarter,
        schedule_ratio=schedule,
        investment_ratio=investment,
        milestone_ratio=milestone,
        composite=composite,
        red_months=red_months,
        ineligible=ineligible,
        rank=rank,
        red_flag=red_flag,
        snail=snail,
        snail_reasons=snail_reasons.astype(np.uint8),
        cut=cut,
    )


def _ratios(months: ProjectMonths, lights: Lights, end: int) -> tuple[Floats, Floats, Floats]:
    schedule = np.nan_to_num(lights.spi[:, end], nan=0.0)
    planned = lights.planned_share[:, end]
    actual = np.nan_to_num(lights.actual_share[:, end], nan=0.0)
    investment = np.where(planned > 0, actual / np.where(planned > 0, planned, 1.0), 1.0)
    investment = np.where(months.reported[:, end], investment, 0.0)
    due = np.zeros(months.projects)
    on_time = np.zeros(months.projects)
    for planned_month, actual_month in (
        (months.planned_start, months.actual_start),
        (months.planned_completion, months.actual_completion),
    ):
        is_due = planned_month <= end
        due += is_due
        on_time += is_due & (actual_month <= planned_month)
    milestone = np.where(due > 0, on_time / np.where(due > 0, due, 1.0), 1.0)
    return schedule, investment, milestone


def _composite(
    rules: RatingRules, schedule: Floats, investment: Floats, milestone: Floats
) -> Floats:
    w = rules.weights
    total = w.schedule + w.investment + w.milestones
    cap = rules.ratio_cap
    weighted = (
        w.schedule * np.clip(schedule, 0.0, cap)
        + w.investment * np.clip(investment, 0.0, cap)
        + w.milestones * np.clip(milestone, 0.0, cap)
    )
    return np.round(100.0 * weighted / total, 9)  # rounded so equal inputs tie exactly


def _snail_reasons(
    months: ProjectMonths, lights: Lights, rules: RatingRules, end: int, red_months: Ints
) -> Ints:
    judged = ~months.exempt[:, end]
    reasons = np.zeros(months.projects, dtype=np.int64)
    if rules.snail_red_months > 0:
        reasons |= np.where(red_months >= rules.snail_red_months, int(SnailReason.RED_MONTHS), 0)
    if rules.snail_on_overdue_start:
        late = judged & (lights.start_overdue[:, end] > 0)
        reasons |= np.where(late, int(SnailReason.START_OVERDUE), 0)
    if rules.snail_on_overdue_completion:
        late = judged & (lights.completion_overdue[:, end] > 0)
        reasons |= np.where(late, int(SnailReason.COMPLETION_OVERDUE), 0)
    if rules.snail_on_quarter_miss:
        lag = lights.lag[:, end]
        missed = judged & ((lag > rules.snail_quarter_lag) | ~months.reported[:, end])
        reasons |= np.where(missed, int(SnailReason.QUARTER_MISSED), 0)
    return reasons


def _how_many(rules: RatingRules, projects: int) -> int:
    if rules.red_flag_count is not None:
        return rules.red_flag_count
    return int(np.floor((rules.red_flag_share or 0.0) * projects + 1e-9))


def _competition_rank(composite: Floats, eligible: Bools) -> Ints:
    """1 + the number of eligible projects with a higher composite; 0 when not eligible."""
    ordered = np.sort(-composite[eligible])
    rank = np.searchsorted(ordered, -composite, side="left") + 1
    return np.where(eligible, rank, 0).astype(np.int64)


def _red_flags(composite: Floats, eligible: Bools, n: int) -> tuple[Bools, float | None]:
    """The n best eligible projects, every project tied with the n-th included."""
    candidates = np.sort(composite[eligible])[::-1]
    if n == 0 or candidates.size == 0:
        return np.zeros(composite.shape, dtype=bool), None
    cut = float(candidates[min(n, candidates.size) - 1])
    return eligible & (composite >= cut), cut
