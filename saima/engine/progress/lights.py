"""Monthly lights (月亮灯): green / yellow / red / grey per project × month, each with reasons.

Lag (进度滞后, points) = planned share to date − actual share, both as % of the year's planned
investment. The earned-value view beside it: SPI = EV / PV, EV = physical progress (形象进度, %),
PV = (prior investment + planned investment to date) / budget × 100. Vectorised over projects;
the only loops run over the months (12), never over projects.

>>> from .inputs import ProjectMonths
>>> from .rules import LightRules
>>> m = ProjectMonths.build(planned_monthly=[[25, 25, 25, 25]] * 3,
...     actual_cumulative=[[25, 50, 75, 100], [10, 30, 60, 95], [0, 10, 20, 30]],
...     physical_progress=[[25, 50, 75, 100]] * 3, reported=[[True] * 4] * 3)
>>> lights = compute_lights(m, LightRules())
>>> lights.light.tolist()
[[0, 0, 0, 0], [1, 1, 1, 0], [1, 2, 2, 2]]
>>> lights.lag[2].tolist()
[25.0, 40.0, 55.0, 70.0]
>>> explain_light(int(lights.reasons[1, 0]))
('lag_yellow',)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, IntFlag

import numpy as np
from numpy.typing import NDArray

from .inputs import Bools, Floats, ProjectMonths
from .rules import LightRules, MilestoneRule

Ints = NDArray[np.int64]


class Light(IntEnum):
    """A month's light; the order is the severity (grey stands apart: no report)."""

    GREEN = 0
    YELLOW = 1
    RED = 2
    GREY = 3


class Reason(IntFlag):
    """Why a light is what it is; a cell carries every reason that applies (a bit set)."""

    NOT_REPORTED = 1  # 未报送
    LAG_YELLOW = 2  # lag in the yellow band (or red band outside a quarter end)
    LAG_RED = 4  # lag above the red threshold
    QUARTER_CAPPED = 8  # red-band lag outside a quarter end, quarter cadence: yellow
    START_OVERDUE = 16  # 应开工未开工
    START_OVERDUE_RED = 32  # start overdue for more than the rule's months
    COMPLETION_OVERDUE = 64  # 应完工未完工
    COMPLETION_OVERDUE_RED = 128
    ESCALATED = 256  # N consecutive misses: red
    RECOVERED_KEPT = 512  # back on schedule, the slip kept visible: yellow
    EXEMPT = 1024  # force-majeure exemption: not judged


REASON_ORDER = (
    Reason.NOT_REPORTED,
    Reason.EXEMPT,
    Reason.ESCALATED,
    Reason.START_OVERDUE_RED,
    Reason.COMPLETION_OVERDUE_RED,
    Reason.LAG_RED,
    Reason.RECOVERED_KEPT,
    Reason.QUARTER_CAPPED,
    Reason.START_OVERDUE,
    Reason.COMPLETION_OVERDUE,
    Reason.LAG_YELLOW,
)
LAG_MISS = int(Reason.LAG_YELLOW | Reason.LAG_RED)


@dataclass(frozen=True)
class Lights:
    """Per project × month: the light, its reasons (bits of `Reason`) and the figures behind."""

    light: NDArray[np.int8]
    reasons: NDArray[np.uint16]
    lag: Floats  # points behind schedule (negative: ahead); NaN where not reported
    planned_share: Floats  # % of the year's planned investment, to date
    actual_share: Floats  # NaN where not reported
    spi: Floats  # EV / PV; NaN where not reported or PV = 0
    start_overdue: Ints  # months the start is overdue at each month end (0: not overdue)
    completion_overdue: Ints


def explain_light(reasons: int) -> tuple[str, ...]:
    """The reason codes of one cell, the decisive one first ("on_schedule" when none).

    >>> explain_light(int(Reason.LAG_YELLOW | Reason.ESCALATED))
    ('escalated', 'lag_yellow')
    >>> explain_light(0)
    ('on_schedule',)
    """
    codes = tuple(str(r.name).lower() for r in REASON_ORDER if reasons & r)
    return codes or ("on_schedule",)


def compute_lights(months: ProjectMonths, rules: LightRules) -> Lights:
    """Every light of the list for the year so far, by `rules` (see the module doc)."""
    planned_share, actual_share = shares(months)
    lag = np.where(months.reported, planned_share - actual_share, np.nan)
    light, reasons = _lag_band(lag, rules)
    start = overdue_months(months.planned_start, months.actual_start, months.months)
    completion = overdue_months(months.planned_completion, months.actual_completion, months.months)
    _milestone_floor(light, reasons, start, rules.start, Reason.START_OVERDUE)
    _milestone_floor(light, reasons, completion, rules.completion, Reason.COMPLETION_OVERDUE)
    _escalate(light, reasons, months, rules)
    _keep_recovered(light, reasons, months, rules.keep_recovered_months)
    _exempt_and_grey(light, reasons, months)
    return Lights(
        light=light,
        reasons=reasons,
        lag=lag,
        planned_share=planned_share,
        actual_share=actual_share,
        spi=earned_value_spi(months),
        start_overdue=start,
        completion_overdue=completion,
    )


def shares(months: ProjectMonths) -> tuple[Floats, Floats]:
    """Planned and actual cumulative shares (%) of the year's planned investment.

    A project without planned investment this year has both shares 0 (never behind).
    """
    total = months.planned_monthly.sum(axis=1, keepdims=True)
    safe = np.where(total > 0, total, 1.0)
    planned = np.where(total > 0, np.cumsum(months.planned_monthly, axis=1) / safe * 100, 0.0)
    actual = np.where(total > 0, months.actual_cumulative / safe * 100, 0.0)
    return planned, np.where(months.reported, actual, np.nan)


def earned_value_spi(months: ProjectMonths) -> Floats:
    """SPI = physical progress / planned % complete (prior + planned to date over budget).

    >>> from .inputs import ProjectMonths
    >>> m = ProjectMonths.build(planned_monthly=[[100, 100]], actual_cumulative=[[50, 150]],
    ...     physical_progress=[[40, 45]], reported=[[True, True]], budget=[1000],
    ...     prior_investment=[300])
    >>> earned_value_spi(m)[0].tolist()
    [1.0, 0.9]
    """
    budget = months.budget[:, None]
    planned = months.prior_investment[:, None] + np.cumsum(months.planned_monthly, axis=1)
    pv = np.where(budget > 0, planned / np.where(budget > 0, budget, 1.0) * 100, 0.0)
    ok = months.reported & (pv > 0)
    return np.where(ok, months.physical_progress / np.where(pv > 0, pv, 1.0), np.nan)


def overdue_months(planned: Floats, actual: Floats, n_months: int) -> Ints:
    """How many months a milestone is overdue at each month end (1 in its planned month).

    >>> import numpy as np
    >>> overdue_months(np.array([1.0, 1.0, np.nan]), np.array([np.nan, 2.0, np.nan]), 4).tolist()
    [[0, 1, 2, 3], [0, 1, 0, 0], [0, 0, 0, 0]]
    """
    month = np.arange(n_months)[None, :]
    due = planned[:, None] <= month
    done = actual[:, None] <= month
    late = due & ~done
    count = month - np.where(late, planned[:, None], 0.0) + 1
    return np.where(late, count, 0).astype(np.int64)


def _lag_band(lag: Floats, rules: LightRules) -> tuple[NDArray[np.int8], NDArray[np.uint16]]:
    behind = lag > 0
    yellow = behind & (lag >= rules.yellow_from)
    red = behind & (lag > rules.red_above)
    if rules.cadence == "quarter":
        quarter_end = (np.arange(lag.shape[1]) % 3 == 2)[None, :]
        capped, red = red & ~quarter_end, red & quarter_end
    else:
        capped = np.zeros(lag.shape, dtype=bool)
    light = np.where(red, Light.RED, np.where(yellow, Light.YELLOW, Light.GREEN)).astype(np.int8)
    reasons = (
        np.where(red, int(Reason.LAG_RED), 0)
        | np.where(yellow & ~red, int(Reason.LAG_YELLOW), 0)
        | np.where(capped, int(Reason.QUARTER_CAPPED), 0)
    ).astype(np.uint16)
    return light, reasons


def _milestone_floor(
    light: NDArray[np.int8],
    reasons: NDArray[np.uint16],
    overdue: Ints,
    rule: MilestoneRule,
    reason: Reason,
) -> None:
    """An overdue milestone: flagged, at least yellow (if the rule says), red past N months."""
    late = overdue > 0
    reasons[late] |= int(reason)
    if rule.at_least_yellow:
        np.maximum(light, np.where(late, Light.YELLOW, Light.GREEN).astype(np.int8), out=light)
    if rule.red_after_months is not None:
        red = overdue > rule.red_after_months
        light[red] = Light.RED
        reasons[red] |= int(reason) * 2  # the *_RED flag follows its overdue flag


def _run_lengths(hits: Bools) -> Ints:
    """Consecutive hits ending at each month (a loop over months, vectorised over projects)."""
    runs = np.zeros(hits.shape, dtype=np.int64)
    previous = np.zeros(hits.shape[0], dtype=np.int64)
    for month in range(hits.shape[1]):
        previous = np.where(hits[:, month], previous + 1, 0)
        runs[:, month] = previous
    return runs


def _escalate(
    light: NDArray[np.int8], reasons: NDArray[np.uint16], months: ProjectMonths, rules: LightRules
) -> None:
    if rules.misses_to_red is None:
        return
    judged = months.reported & ~months.exempt
    misses = judged & ((reasons & LAG_MISS) != 0)
    if rules.unreported_is_miss:
        misses |= ~months.reported
    escalated = judged & (_run_lengths(misses) >= rules.misses_to_red) & (light < Light.RED)
    light[escalated] = Light.RED
    reasons[escalated] |= int(Reason.ESCALATED)


def _keep_recovered(
    light: NDArray[np.int8], reasons: NDArray[np.uint16], months: ProjectMonths, keep: int
) -> None:
    """A green month within `keep` months after a (judged) yellow or red one shows yellow."""
    if keep == 0:
        return
    judged = months.reported & ~months.exempt
    slipped = judged & (light != Light.GREEN)
    since = _run_lengths(~slipped)  # months since the last slip (the month itself counts)
    ever = np.maximum.accumulate(slipped, axis=1)
    kept = judged & (light == Light.GREEN) & ever & (since <= keep)
    light[kept] = Light.YELLOW
    reasons[kept] |= int(Reason.RECOVERED_KEPT)


def _exempt_and_grey(
    light: NDArray[np.int8], reasons: NDArray[np.uint16], months: ProjectMonths
) -> None:
    """Exempt reported months: green, reasons kept. Unreported months: grey, whatever else."""
    exempt = months.reported & months.exempt
    light[exempt] = Light.GREEN
    reasons[exempt] |= int(Reason.EXEMPT)
    missing = ~months.reported
    light[missing] = Light.GREY
    reasons[missing] = np.where(
        months.exempt[missing], int(Reason.NOT_REPORTED | Reason.EXEMPT), int(Reason.NOT_REPORTED)
    )
