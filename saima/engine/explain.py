"""Explanations (差距): for each unselected unit and indicator, the smallest change of that raw
value that brings the unit into its group's quota, all other raw values fixed.

Min-max normalisation with arithmetic aggregation and data-independent weights (fixed, equal,
AHP) and no winsorising has an exact closed form (`closed.exact_gaps`); every other method is
searched numerically (`search`). The reported change is one that suffices.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .closed import exact_gaps
from .pipeline import DATA_INDEPENDENT, Prepared, ScopeModel
from .scheme import Scheme
from .search import numeric_gaps

Array = NDArray[np.float64]
Rows = NDArray[np.intp]
Flags = NDArray[np.bool_]


def gaps(
    scheme: Scheme, prepared: Prepared, selected: Flags, quotas: list[int]
) -> dict[str, Array]:
    """Signed raw change per indicator code (0 for selected units, NaN where that indicator
    alone cannot bring the unit in, or where its value is missing)."""
    n_units = prepared.group_index.size
    out = {i.code: np.full(n_units, np.nan) for i in scheme.indicators}
    closed = has_closed_form(scheme)
    for j, indicator in enumerate(scheme.indicators):
        out[indicator.code][selected] = 0.0
        higher = indicator.direction == "higher"
        for g, quota in enumerate(quotas):
            scope, inside = prepared.scope_of_group(g)
            rows = scope.rows[inside]
            todo = inside[~selected[rows] & ~np.isnan(scope.raw[inside, j])]
            if todo.size == 0 or quota == 0:
                continue
            if closed:
                found = _closed(scope, todo, inside, quota, j, higher)
            else:
                found = numeric_gaps(scheme, scope, todo, inside, quota, j, higher)
            out[indicator.code][scope.rows[todo]] = found
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
