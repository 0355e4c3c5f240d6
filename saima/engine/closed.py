"""Exact gaps for min-max normalisation, arithmetic aggregation and data-independent weights.

Take one indicator j of one scope and flip its sign for "lower" so that higher is better. With
the weights fixed, every unit k of the scope scores S_k = C_k + b_k n_kj, where b_k = 100 w_j /
D_k (D_k = the unit's present weight) and C_k is what its other indicators give. Move unit i's
raw value z to x, everything else fixed, and let lo, hi be the min and max of the *other*
units' values. Three linear pieces follow:

- (a) x < lo: i is the minimum, n_i = 0; the others get n_k = 1 - v_k / s with s = hi - x and
  v_k = hi - z_k, so they lose points as x rises.
- (b) lo <= x <= hi: bounds fixed; n_i = (x - lo)/(hi - lo) rises, the others stay put.
- (c) x > hi: i is the maximum, n_i = 1; the others get n_k = u_k / t with t = x - lo and
  u_k = z_k - lo, so they lose points as x rises.

The unit is selected once its score reaches the quota-th best score among the *other* units
of its group (a tie at the boundary counts as entering). In (a) and (c) each other unit k is
above i exactly on one side of a point (s_k or t_k), so the answer is an order statistic of
those points; in (b) it is one division. The score is non-decreasing in x throughout, so the
first piece with a solution gives the smallest change.

>>> import numpy as np
>>> z = np.array([10.0, 20.0, 15.0])            # fai of A, B, C (docs/engine.md)
>>> c = np.array([0.0, 25.0, 12.5])             # points from delay
>>> b = np.full(3, 75.0)                        # 100 · 0.75 / 1
>>> exact_gaps(z, c, b, np.array([0]), np.array([0, 1, 2]), 1).tolist()
[12.5]
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Rows = NDArray[np.intp]

CHUNK_CELLS = 1_000_000  # candidate units × group members held at once
TIE = 1e-9  # score differences this small are float noise: ranks compare scores to 9 decimals


def exact_gaps(z: Array, c: Array, b: Array, todo: Rows, members: Rows, quota: int) -> Array:
    """Smallest increase of z[i] that selects each unit i in `todo` (NaN when none does).

    z: the scope's values of the indicator (NaN = missing), "higher is better"; c, b: each
    unit's points from the other indicators and points per unit of n on this one; todo,
    members: positions (in the scope) of the units to explain and of the group's units.
    """
    out = np.full(todo.size, np.nan)
    for start in range(0, todo.size, max(1, CHUNK_CELLS // max(members.size, 1))):
        part = slice(start, start + max(1, CHUNK_CELLS // max(members.size, 1)))
        out[part] = _chunk(z, c, b, todo[part], members, quota)
    return out


def others_bounds(z: Array, todo: Rows) -> tuple[Array, Array]:
    """Min and max of the present values other than each unit's own (NaN when none).

    >>> [b.tolist() for b in others_bounds(np.array([1.0, 5.0, 3.0, np.nan]), np.array([0, 1, 2]))]
    [[3.0, 1.0, 1.0], [5.0, 3.0, 5.0]]
    """
    present = z[~np.isnan(z)]
    if present.size < 2:
        nan = np.full(todo.size, np.nan)
        return nan, nan
    ascending = np.sort(present)
    s1, s2, l1, l2 = ascending[0], ascending[1], ascending[-1], ascending[-2]
    own = z[todo]
    return np.where(own == s1, s2, s1), np.where(own == l1, l2, l1)


def _chunk(z: Array, c: Array, b: Array, todo: Rows, members: Rows, quota: int) -> Array:
    """`exact_gaps` for a block of units (matrices are units needing them × members)."""
    lo, hi = others_bounds(z, todo)
    x0 = z[todo]
    own_c, own_b = c[todo], b[todo]
    zk = np.nan_to_num(z[members], nan=0.0)
    ck, bk = c[members], np.where(np.isnan(z[members]), 0.0, b[members])
    self_at = np.searchsorted(members, todo)  # todo is a subset of the sorted members
    found = np.full(todo.size, np.nan)
    span = hi - lo

    below = np.flatnonzero((x0 < lo) & (span >= 0))
    if below.size:  # (a) i is the minimum: own score c_i; s = hi - x shrinks from hi - x0
        e = ck + bk - own_c[below, None]
        e[np.abs(e) <= TIE] = 0.0
        gain = bk * (hi[below, None] - zk)
        with np.errstate(divide="ignore", invalid="ignore"):
            s_k = np.where(e > 0, np.where(gain > 0, gain / e, -np.inf), np.inf)
        s_k[np.arange(below.size), self_at[below]] = np.inf
        x = hi[below] - kth_smallest(s_k, quota)
        ok = (x <= lo[below]) & np.isfinite(x)
        found[below[ok]] = np.maximum(x[ok], x0[below[ok]])

    found = _middle(z, ck, bk, zk, lo, hi, x0, own_c, own_b, self_at, quota, found)

    rest = np.flatnonzero(np.isnan(found) & (span >= 0) & (own_b > 0))
    if rest.size:  # (c) i is the maximum: own score c_i + b_i; t = x - lo grows
        own = (own_c + own_b)[rest, None]
        gain = bk * (zk - lo[rest, None])
        diff = own - ck
        diff[np.abs(diff) <= TIE] = 0.0
        with np.errstate(divide="ignore", invalid="ignore"):
            t_k = np.where(diff > 0, gain / diff, np.inf)
        t_k[(diff == 0) & (gain == 0)] = -np.inf  # level with i for every t: a tie enters
        t_k[np.arange(rest.size), self_at[rest]] = -np.inf
        floor = np.where(span > 0, span, np.maximum(1.0, np.abs(lo)) * 1e-9)[rest]
        x = lo[rest] + np.maximum(kth_largest(t_k, quota), floor)
        ok = np.isfinite(x)
        found[rest[ok]] = np.maximum(x[ok], x0[rest[ok]])
    return found - x0


def _middle(
    z: Array,
    ck: Array,
    bk: Array,
    zk: Array,
    lo: Array,
    hi: Array,
    x0: Array,
    own_c: Array,
    own_b: Array,
    self_at: Rows,
    quota: int,
    found: Array,
) -> Array:
    """Piece (b), lo <= x <= hi: the others score as with bounds (lo, hi), which are the
    scope's own bounds unless i alone holds the minimum or maximum."""
    span = hi - lo
    todo = np.flatnonzero(np.isnan(found) & (span > 0) & (own_b > 0))
    if todo.size:
        overall_lo, overall_hi = np.nanmin(z), np.nanmax(z)
        common = (lo[todo] == overall_lo) & (hi[todo] == overall_hi)
        threshold = np.empty(todo.size)
        if common.any():
            others = ck + bk * (zk - overall_lo) / (overall_hi - overall_lo)
            threshold[common] = kth_largest_but_self(others, self_at[todo[common]], quota)
        odd = todo[~common]
        if odd.size:
            others_m = ck + bk * (zk - lo[odd, None]) / span[odd, None]
            others_m[np.arange(odd.size), self_at[odd]] = -np.inf
            threshold[~common] = kth_largest(others_m, quota)
        x = lo[todo] + (threshold - own_c[todo]) * span[todo] / own_b[todo]
        ok = x <= hi[todo]
        found[todo[ok]] = np.maximum(x[ok], np.maximum(x0[todo[ok]], lo[todo[ok]]))
    flat = np.flatnonzero(np.isnan(found) & (span == 0))
    if flat.size:  # x = lo = hi: a constant column gives everybody n = 1
        level = np.broadcast_to(ck + bk, (flat.size, ck.size)).copy()
        level[np.arange(flat.size), self_at[flat]] = -np.inf
        ok = (own_c[flat] + own_b[flat] >= kth_largest(level, quota)) & (x0[flat] <= lo[flat])
        found[flat[ok]] = lo[flat[ok]]
    return found


def kth_largest_but_self(values: Array, self_at: Rows, k: int) -> Array:
    """For each position p in `self_at`, the k-th largest of `values` without values[p].

    >>> kth_largest_but_self(np.array([9.0, 7.0, 5.0, 3.0]), np.array([0, 3]), 2).tolist()
    [5.0, 7.0]
    """
    m = values.size
    if k > m - 1:
        return np.full(self_at.size, -np.inf)
    order = np.argsort(-values, kind="stable")
    place = np.empty(m, dtype=np.intp)
    place[order] = np.arange(m)
    top = values[order[: k + 1]]
    return np.asarray(
        np.where(place[self_at] < k, top[min(k, m - 1)], top[k - 1]), dtype=np.float64
    )


def kth_largest(values: Array, k: int) -> Array:
    """The k-th largest value of each row (-inf when a row has fewer than k values).

    >>> kth_largest(np.array([[3.0, 9.0, 5.0]]), 2).tolist()
    [5.0]
    """
    m = values.shape[1]
    if k > m:
        return np.full(values.shape[0], -np.inf)
    return np.asarray(np.partition(values, m - k, axis=1)[:, m - k], dtype=np.float64)


def kth_smallest(values: Array, k: int) -> Array:
    """The k-th smallest value of each row (+inf when a row has fewer than k values).

    >>> kth_smallest(np.array([[3.0, 9.0, 5.0]]), 2).tolist()
    [5.0]
    """
    return -kth_largest(-values, k)
