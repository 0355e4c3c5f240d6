"""Explanations (差距): for each unselected unit and indicator, the smallest change of that raw
value that brings the unit into its group's quota, all other raw values fixed.

Min-max normalisation with arithmetic aggregation and data-independent weights (fixed, equal,
AHP) and no winsorising has an exact closed form (`closed.exact_gaps`); every other method is
searched numerically (`search`). The reported change is one that suffices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .closed import exact_gaps
from .feasible import settle
from .pipeline import DATA_INDEPENDENT, Prepared, ScopeModel
from .scheme import Scheme
from .search import numeric_gaps

Array = NDArray[np.float64]
Rows = NDArray[np.intp]
Flags = NDArray[np.bool_]
Kinds = NDArray[np.str_]

KIND_DTYPE = "<U12"  # the longest GapKind, "out_of_reach"


@dataclass(frozen=True)
class Gaps:
    """Per indicator code, each unit's signed raw change (0 for selected units and for
    "any" kinds, NaN where out of reach or missing) and its kind (see `feasible`)."""

    change: dict[str, Array]
    kind: dict[str, Kinds]


def gaps(scheme: Scheme, prepared: Prepared, selected: Flags, quotas: list[int]) -> Gaps:
    """The gap of every unit on every indicator (see `Gaps`)."""
    n_units = prepared.group_index.size
    out = Gaps({}, {})
    closed = has_closed_form(scheme)
    for j, indicator in enumerate(scheme.indicators):
        change = out.change[indicator.code] = np.full(n_units, np.nan)
        kind = out.kind[indicator.code] = np.full(n_units, "missing", dtype=KIND_DTYPE)
        higher = indicator.direction == "higher"
        for g, quota in enumerate(quotas):
            scope, inside = prepared.scope_of_group(g)
            rows = scope.rows[inside]
            present = ~np.isnan(scope.raw[inside, j])
            kind[rows[present]] = "out_of_reach"
            todo = inside[~selected[rows] & present]
            if todo.size == 0 or quota == 0:
                continue
            if closed:
                found = _closed(scope, todo, inside, quota, j, higher)
            else:
                found = numeric_gaps(scheme, scope, todo, inside, quota, j, higher)
            stated, kinds = settle(scheme, scope, todo, inside, quota, j, found)
            change[scope.rows[todo]], kind[scope.rows[todo]] = stated, kinds
        change[selected], kind[selected] = 0.0, "selected"
    return out


def has_closed_form(scheme: Scheme) -> bool:
    """True when `closed.exact_gaps` applies: minmax, arithmetic, data-independent weights,
    no winsorising."""
    m = scheme.method
    return (
        m.normalise == "minmax"
        and m.aggregate == "arithmetic"
        and m.weighting in DATA_INDEPENDENT
        and m.winsorise <= 0
    )


def _closed(
    scope: ScopeModel, todo: Rows, members: Rows, quota: int, j: int, higher: bool
) -> Array:
    """Exact gaps of one indicator within one group (see `closed`)."""
    w = scope.weights
    present = scope.terms.present
    weight_total = present @ w
    safe = np.where(weight_total > 0, weight_total, 1.0)
    b = 100.0 * w[j] / safe * present[:, j]
    c = 100.0 * (scope.terms.linear @ w - scope.terms.linear[:, j] * w[j]) / safe
    sign = 1.0 if higher else -1.0
    z = sign * scope.raw[:, j]
    return sign * exact_gaps(z, c, b, todo, members, quota)
