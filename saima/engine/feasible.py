"""What a found gap means (差距的类别), and gaps kept within the indicator's bounds.

The search (`closed`, `search`) gives, per unselected unit, a signed change of one raw value
that suffices. Here each becomes one of the `GapKind`s the apps word:

- `change`: the change stated (the smallest sufficient, to the search's tolerance);
- `any_increase` / `any_decrease`: any change in the indicator's better direction, however
  small, suffices (e.g. on a column where every unit has the same value: the first unit to
  move alone holds the best value); the change is then stored as 0.0, never a tiny number;
- `out_of_reach`: no change of this indicator alone, within its `min`/`max` (and whole for an
  `integer` indicator), brings the unit in; NaN;
- `selected` (0.0) and `missing` (NaN) are set by `explain.gaps`.

A change is `any_*` when it is within `TIE_REACH` × max(range, |value|, 1) of zero and a
thousandth of that reach (1e-10 × max(range, |value|, 1)) in the better direction already
selects the unit when the scope is rebuilt as `rank` does it. For an
integer indicator the value reached is the smallest whole value that enters (ceil for
"higher", floor for "lower"), re-confirmed the same way. A change that leaves [min, max] is
out of reach, except where it passes the bound by no more than the search's reach and the
bound itself selects the unit: then the change to the bound is stated.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from .confirmation import TIE_REACH, rebuilt_selects
from .pipeline import ScopeModel
from .scheme import Indicator, Scheme

Array = NDArray[np.float64]
Rows = NDArray[np.intp]

GapKind = Literal["selected", "change", "any_increase", "any_decrease", "out_of_reach", "missing"]
WHOLE_TRIES = 3  # whole values tried past the rounded target before giving up


def settle(
    scheme: Scheme, scope: ScopeModel, todo: Rows, members: Rows, quota: int, j: int, found: Array
) -> tuple[Array, list[GapKind]]:
    """The stated change and its kind for each unit in `todo` (positions in the scope).

    Most changes are plain (not tiny, inside the bounds, a real-valued indicator) and pass
    as they are; only the others are looked at one by one."""
    indicator = scheme.indicators[j]
    column = scope.raw[:, j]
    span = float(np.nanmax(column) - np.nanmin(column))
    start = column[todo]
    reach = TIE_REACH * np.maximum(max(span, 1.0), np.abs(start))
    low = -np.inf if indicator.min is None else indicator.min
    high = np.inf if indicator.max is None else indicator.max
    target = start + found
    plain = (np.abs(found) > reach) & (target >= low) & (target <= high)
    plain &= not indicator.integer
    changes = np.where(plain, found, np.nan)
    kinds: list[GapKind] = ["change" if p else "out_of_reach" for p in plain.tolist()]
    for at in np.flatnonzero(~plain & ~np.isnan(found)).tolist():
        unit = _UnitGap(scheme, scope, members, quota, j, int(todo[at]), span)
        changes[at], kinds[at] = unit.settle(indicator, float(found[at]))
    return changes, kinds


class _UnitGap:
    """The gap of one unselected unit of a scope on indicator j, looked at closely."""

    def __init__(
        self,
        scheme: Scheme,
        scope: ScopeModel,
        members: Rows,
        quota: int,
        j: int,
        position: int,
        span: float,
    ) -> None:
        self.scheme, self.scope, self.members, self.quota = scheme, scope, members, quota
        self.j, self.position = j, position
        self.start = float(scope.raw[position, j])
        self.reach = TIE_REACH * max(span, abs(self.start), 1.0)
        self.nudge = self.reach / 1000.0  # a change this small selecting means "any change"

    def selects(self, x: float) -> bool:
        """Whether raw value x selects the unit, re-ranked as `rank` does."""
        args = (self.scheme, self.scope, self.members, self.quota, self.j, self.position, x)
        return rebuilt_selects(*args)

    def settle(self, indicator: Indicator, change: float) -> tuple[float, GapKind]:
        higher = indicator.direction == "higher"
        sign = 1.0 if higher else -1.0
        nudged = self.start + sign * self.nudge
        if abs(change) <= self.reach and self.selects(nudged):
            if indicator.integer:
                return self.whole(indicator, nudged, higher)
            if not _inside(indicator, nudged):
                return math.nan, "out_of_reach"
            return 0.0, "any_increase" if higher else "any_decrease"
        target = self.start + change
        if indicator.integer:
            return self.whole(indicator, target, higher)
        if _inside(indicator, target):
            return change, "change"
        bound = indicator.max if higher else indicator.min
        if bound is not None and abs(target - bound) <= self.reach and self.selects(bound):
            return bound - self.start, "change"
        return math.nan, "out_of_reach"

    def whole(self, indicator: Indicator, target: float, higher: bool) -> tuple[float, GapKind]:
        """The smallest whole value past `target` (within the search's reach) that selects."""
        step = 1.0 if higher else -1.0
        x = float(math.ceil(target - self.reach) if higher else math.floor(target + self.reach))
        for _ in range(WHOLE_TRIES):
            if not _inside(indicator, x):
                break
            if x != self.start and self.selects(x):
                return x - self.start, "change"
            x += step
        return math.nan, "out_of_reach"


def _inside(indicator: Indicator, x: float) -> bool:
    """Whether x lies within the indicator's [min, max] (unbounded sides always do)."""
    low = -math.inf if indicator.min is None else indicator.min
    high = math.inf if indicator.max is None else indicator.max
    return low <= x <= high
