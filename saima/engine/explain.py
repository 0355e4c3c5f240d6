"""Explanations (差距): for each unselected unit and indicator, the smallest change of that raw
value that brings the unit into its group's quota, all other raw values fixed.

The whole pipeline is re-run for each candidate value (normalisation bounds, data-driven
weights and TOPSIS ideals move with the changed value), batched over all candidate units of a
group at once: exponential search for a sufficient change, then bisection down to
`RELATIVE_TOLERANCE` of the indicator's range. The reported change is one that suffices.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from .aggregate import make_terms, scores
from .normalise import minmax, normalise, winsorise
from .pipeline import (
    Prepared,
    ScopeModel,
    directions,
    effective_weights,
    goals,
    information_matrix,
)
from .ranking import DECIMALS
from .scheme import Scheme
from .weights import critic_information, entropy_divergence

Array = NDArray[np.float64]
Rows = NDArray[np.intp]
Flags = NDArray[np.bool_]
Check = Callable[[Rows, Array], Array]

RELATIVE_TOLERANCE = 1e-9
MAX_DOUBLINGS = 40
MAX_HALVINGS = 60


def gaps(
    scheme: Scheme, prepared: Prepared, selected: Flags, quotas: list[int]
) -> dict[str, Array]:
    """Signed raw change per indicator code (0 for selected units, NaN where that indicator
    alone cannot bring the unit in, or where its value is missing)."""
    n_units = prepared.group_index.size
    out = {i.code: np.full(n_units, np.nan) for i in scheme.indicators}
    for j, indicator in enumerate(scheme.indicators):
        out[indicator.code][selected] = 0.0
        for g, quota in enumerate(quotas):
            scope, inside = prepared.scope_of_group(g)
            rows = scope.rows[inside]
            todo = inside[~selected[rows] & ~np.isnan(scope.raw[inside, j])]
            if todo.size == 0 or quota == 0:
                continue
            check = _selection_check(scheme, scope, inside, quota, j)
            found = _search(check, todo, scope.raw[:, j], indicator.direction == "higher", scheme)
            out[indicator.code][scope.rows[todo]] = found
    return out


def _selection_check(scheme: Scheme, scope: ScopeModel, members: Rows, quota: int, j: int) -> Check:
    """A function (positions, new values) -> is each unit selected after its change."""
    higher = directions(scheme)[j : j + 1]
    goal = goals(scheme)[j : j + 1]
    column = scope.raw[:, j]

    def check(positions: Rows, values: Array) -> Array:
        b = positions.size
        col = np.broadcast_to(column, (b, column.size)).copy()
        col[np.arange(b), positions] = values
        x = winsorise(col[..., None], scheme.method.winsorise)
        n = normalise(scheme.method.normalise, x, higher, goal)
        w = _batch_weights(scheme, scope, x, j)
        s = np.round(scores(scope.terms, w, j, make_terms(scheme.method.aggregate, n)), DECIMALS)
        own = s[np.arange(b), positions]
        return margin_to_quota(s[:, members], own, positions, members, quota)

    return check


def margin_to_quota(
    group_scores: Array, own: Array, positions: Rows, members: Rows, quota: int
) -> Array:
    """own score minus the quota-th best score among the other group members (>= 0: selected).

    >>> margin_to_quota(np.array([[5.0, 7.0, 6.0]]), np.array([5.0]), np.array([0]), np.array([0, 1, 2]), 2)
    array([-1.])
    """
    others = group_scores.copy()
    is_self = members[None, :] == positions[:, None]
    others[is_self] = -np.inf
    m = others.shape[1]
    if quota >= m:
        return np.full(own.shape, np.inf)
    kth = np.partition(others, m - quota, axis=1)[:, m - quota]
    return np.asarray(own - kth, dtype=np.float64)


def _batch_weights(scheme: Scheme, scope: ScopeModel, x: Array, j: int) -> Array:
    """Effective weights (B, k) when column j of the scope is replaced by x (B, m, 1)."""
    b = x.shape[0]
    kind = scheme.method.weighting
    if kind in ("fixed", "equal", "ahp"):
        return np.broadcast_to(scope.weights, (b, scope.weights.size))
    info_col = information_matrix_column(scheme, x, j)
    base = np.broadcast_to(scope.base, (b, scope.base.size)).copy()
    if kind == "entropy":
        base[:, j] = entropy_divergence(info_col)[:, 0]
    else:
        info = np.broadcast_to(
            information_matrix(scheme, winsorise(scope.raw, scheme.method.winsorise)),
            (b, *scope.raw.shape),
        ).copy()
        info[:, :, j] = info_col[:, :, 0]
        base = critic_information(info)
    return effective_weights(scheme, base)


def information_matrix_column(scheme: Scheme, x: Array, j: int) -> Array:
    """`information_matrix` for one (batched) column j."""
    n = minmax(x, directions(scheme)[j : j + 1])
    means = np.nanmean(n, axis=-2, keepdims=True)
    return np.where(np.isnan(n), means, n)


def _search(check: Check, todo: Rows, column: Array, higher: bool, scheme: Scheme) -> Array:
    """Smallest sufficient signed change for each unit in `todo` (NaN when none is found).

    The margin to the quota is continuous and increasing in the change for most methods, so
    after bracketing, Illinois false-position steps (with a bisection every sixth step, which
    keeps the search safe for step-shaped margins such as rank normalisation) find the
    boundary in a few evaluations.
    """
    x0 = column[todo]
    sign = 1.0 if higher else -1.0
    span = float(np.nanmax(column) - np.nanmin(column))
    scale = np.full(x0.shape, span if span > 0 else 1.0)
    positive_only = scheme.method.aggregate == "geometric" and not higher
    lo, f_lo = np.zeros(x0.shape), check(todo, x0)
    hi, f_hi = np.full(x0.shape, np.nan), np.full(x0.shape, np.nan)
    open_ = np.arange(x0.size)
    for k in range(MAX_DOUBLINGS):
        if open_.size == 0:
            break
        if positive_only:
            delta = x0[open_] * (1.0 - 2.0 ** -(k + 1))
        else:
            delta = scale[open_] * 2.0 ** (k - 3)
        f = check(todo[open_], x0[open_] + sign * delta)
        ok = f >= 0
        hi[open_[ok]], f_hi[open_[ok]] = delta[ok], f[ok]
        lo[open_[~ok]], f_lo[open_[~ok]] = delta[~ok], f[~ok]
        open_ = open_[~ok]
    live = np.flatnonzero(~np.isnan(hi))
    side = np.zeros(x0.shape, dtype=np.int8)
    tolerance = RELATIVE_TOLERANCE * np.maximum(scale, np.abs(x0))
    for step in range(MAX_HALVINGS):
        live = live[(hi[live] - lo[live]) > tolerance[live]]
        if live.size == 0:
            break
        a, b, fa, fb = lo[live], hi[live], f_lo[live], f_hi[live]
        denom = np.where(fb - fa > 0, fb - fa, 1.0)
        guess = b - fb * (b - a) / denom
        bisect = (step % 6 == 5) | ~(guess > a) | ~(guess < b) | ~np.isfinite(guess)
        mid = np.where(bisect, (a + b) / 2, guess)
        f = check(todo[live], x0[live] + sign * mid)
        ok = f >= 0
        up, down = live[ok], live[~ok]
        hi[up], f_hi[up] = mid[ok], f[ok]
        lo[down], f_lo[down] = mid[~ok], f[~ok]
        f_lo[up[side[up] == 1]] /= 2  # Illinois: the kept end's value is halved
        f_hi[down[side[down] == -1]] /= 2
        side[up], side[down] = 1, -1
    return sign * hi
