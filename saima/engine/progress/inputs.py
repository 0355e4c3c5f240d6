"""The year's figures of a key-project list as arrays: projects × months (项目 × 月).

Month indices count from 0 (January of the list's year); a milestone month is a float month
index, NaN when there is none (planned) or not yet (actual); a planned start before the year is
a negative index. Values in months without a report are ignored (the `reported` mask rules).

>>> m = ProjectMonths.build(
...     planned_monthly=[[10, 10, 10]],
...     actual_cumulative=[[8, 0, 30]],
...     physical_progress=[[5, 0, 20]],
...     reported=[[True, False, True]],
... )
>>> (m.projects, m.months, m.planned_start.tolist())
(1, 3, [nan])
>>> ProjectMonths.build(planned_monthly=[[1]], actual_cumulative=[[-1]],
...     physical_progress=[[0]], reported=[[True]])
Traceback (most recent call last):
...
saima.engine.errors.DataError: Row 1, column 'actual_cumulative[1]': must be >= 0, not -1.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import DataError

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]


@dataclass(frozen=True)
class ProjectMonths:
    """Inputs of the lights and ratings, P projects × M months (build with `build`)."""

    planned_monthly: Floats  # (P, M) planned investment per month (万元), >= 0
    actual_cumulative: Floats  # (P, M) actual investment this year to month end, >= 0
    physical_progress: Floats  # (P, M) 形象进度, % of the whole project, 0..100
    reported: Bools  # (P, M) a report arrived for the month
    exempt: Bools  # (P, M) force-majeure exemption (不可抗力豁免), reasons kept by the app
    planned_start: Floats  # (P,) planned start month (开工), NaN: none
    actual_start: Floats  # (P,) actual start month, NaN: not yet
    planned_completion: Floats  # (P,) planned completion month (竣工/投产), NaN: none
    actual_completion: Floats  # (P,) actual completion month, NaN: not yet
    budget: Floats  # (P,) total investment (BAC) for the earned-value view
    prior_investment: Floats  # (P,) invested before the year

    @property
    def projects(self) -> int:
        return int(self.planned_monthly.shape[0])

    @property
    def months(self) -> int:
        return int(self.planned_monthly.shape[1])

    @classmethod
    def build(
        cls,
        *,
        planned_monthly: ArrayLike,
        actual_cumulative: ArrayLike,
        physical_progress: ArrayLike,
        reported: ArrayLike,
        exempt: ArrayLike | None = None,
        planned_start: ArrayLike | None = None,
        actual_start: ArrayLike | None = None,
        planned_completion: ArrayLike | None = None,
        actual_completion: ArrayLike | None = None,
        budget: ArrayLike | None = None,
        prior_investment: ArrayLike | None = None,
    ) -> ProjectMonths:
        """Checked inputs; DataError names the 1-based project row and the column.

        Defaults: no exemption, no milestones, no prior investment, budget = prior + plan.
        """
        plan = _grid(planned_monthly, "planned_monthly", None)
        shape = plan.shape
        seen = np.asarray(reported, dtype=bool)
        _same_shape(seen, shape, "reported")
        prior = _vector(prior_investment, "prior_investment", shape[0], 0.0)
        _at_least(prior, np.ones(shape[0], dtype=bool), "prior_investment", 0.0)
        default_budget = prior + plan.sum(axis=1)
        months = cls(
            planned_monthly=plan,
            actual_cumulative=_grid(actual_cumulative, "actual_cumulative", shape, seen),
            physical_progress=_grid(physical_progress, "physical_progress", shape, seen),
            reported=seen,
            exempt=_mask(exempt, shape),
            planned_start=_vector(planned_start, "planned_start", shape[0], np.nan),
            actual_start=_vector(actual_start, "actual_start", shape[0], np.nan),
            planned_completion=_vector(planned_completion, "planned_completion", shape[0], np.nan),
            actual_completion=_vector(actual_completion, "actual_completion", shape[0], np.nan),
            budget=default_budget if budget is None else _vector(budget, "budget", shape[0], 0.0),
            prior_investment=prior,
        )
        _check_bounds(months)
        _check_whole_months(months)
        return months


def _grid(
    values: ArrayLike, name: str, shape: tuple[int, ...] | None, seen: Bools | None = None
) -> Floats:
    grid = np.asarray(values, dtype=np.float64)
    if shape is None:
        if grid.ndim != 2 or grid.shape[1] == 0:
            raise DataError(f"must be projects × months, not shape {grid.shape}", column=name)
    else:
        _same_shape(grid, shape, name)
    cells = np.ones(grid.shape, dtype=bool) if seen is None else seen
    bad = np.argwhere(cells & ~np.isfinite(grid))
    if bad.size:
        row, month = (int(i) for i in bad[0])
        raise DataError("is not a finite number", row=row + 1, column=f"{name}[{month + 1}]")
    return np.where(cells, grid, np.nan)


def _same_shape(grid: NDArray[np.generic], shape: tuple[int, ...], name: str) -> None:
    if grid.shape != shape:
        raise DataError(f"shape {grid.shape} differs from planned_monthly {shape}", column=name)


def _mask(values: ArrayLike | None, shape: tuple[int, ...]) -> Bools:
    if values is None:
        return np.zeros(shape, dtype=bool)
    mask = np.asarray(values, dtype=bool)
    _same_shape(mask, shape, "exempt")
    return mask


def _vector(values: ArrayLike | None, name: str, n: int, default: float) -> Floats:
    if values is None:
        return np.full(n, default)
    vector = np.asarray(values, dtype=np.float64)
    if vector.shape != (n,):
        raise DataError(f"needs one value per project ({n}), not shape {vector.shape}", column=name)
    nan_allowed = bool(np.isnan(default))  # milestone months: NaN means none / not yet
    bad = np.flatnonzero(np.isinf(vector) | (np.isnan(vector) & (not nan_allowed)))
    if bad.size:
        raise DataError("is not finite", row=int(bad[0]) + 1, column=name)
    return vector


def _at_least(values: Floats, cells: Bools, name: str, low: float) -> None:
    bad = np.argwhere(cells & (values < low))
    if bad.size:
        index = tuple(int(i) for i in bad[0])
        column = name if len(index) == 1 else f"{name}[{index[1] + 1}]"
        raise DataError(
            f"must be >= {low:g}, not {values[index]:g}", row=index[0] + 1, column=column
        )


def _check_bounds(m: ProjectMonths) -> None:
    everywhere = np.ones(m.planned_monthly.shape, dtype=bool)
    _at_least(m.planned_monthly, everywhere, "planned_monthly", 0.0)
    _at_least(m.actual_cumulative, m.reported, "actual_cumulative", 0.0)
    _at_least(m.physical_progress, m.reported, "physical_progress", 0.0)
    over = np.argwhere(m.reported & (m.physical_progress > 100.0))
    if over.size:
        row, month = (int(i) for i in over[0])
        value = m.physical_progress[row, month]
        raise DataError(
            f"must be <= 100, not {value:g}", row=row + 1, column=f"physical_progress[{month + 1}]"
        )
    _at_least(m.budget, np.ones(m.projects, dtype=bool), "budget", 0.0)


def _check_whole_months(m: ProjectMonths) -> None:
    """Milestone months are whole month indices (NaN: none / not yet)."""
    for name in ("planned_start", "actual_start", "planned_completion", "actual_completion"):
        values: Floats = getattr(m, name)
        bad = np.flatnonzero(~np.isnan(values) & (values != np.round(values)))
        if bad.size:
            value = values[bad[0]]
            raise DataError(
                f"must be a whole month index, not {value:g}", row=int(bad[0]) + 1, column=name
            )
