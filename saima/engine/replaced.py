"""Data-driven weights after replacing one raw value, for many candidates at once.

The gap search (`explain`) asks, for B candidates b, what the entropy or CRITIC weights of a
scope become when unit positions[b] takes raw value values[b] in column j, all else fixed.
Re-normalising the column and recomputing the weights costs O(m k) per candidate; here each
candidate costs O(k), plus O(m) only when it moves the column's anchor (see below).

Both methods read the min-max matrix n of the scope. Write z for column j with its sign
flipped for "lower" (so n_j = (z - lo)/(hi - lo) either way), and u_k = z_k - lo.

- Entropy: with p_k = u_k / U and U = sum u, sum p ln p = L / U - ln U, L = sum u ln u, so
  e_j = (ln U - L / U) / ln m depends on the anchor lo but not on hi. While the candidate stays
  at or above the other units' minimum, U and L change by the candidate's own term only: O(1).
  Below it (only ever the unit that alone holds the minimum) the anchor moves with the value and
  the column is summed again: O(m). The other columns' d_k do not change.
- CRITIC: c_l = s_l sum_k (1 - r_lk). Correlation is affine-invariant, so r_jl = corr(z, n_l),
  and with n_l centred (C_l) the covariance is sum_k z_k C_kl, which moves by (v - z_p) C_pl.
  z's variance follows from its centred sums; s_j = sd(z) / (hi - lo). For l != j only r_lj
  changes: c_l = s_l (T_l + r_lj(old) - r_lj(new)), T_l = sum_k (1 - r_lk(old)). O(k) each.

Conventions match `weights`: a constant column has d = 0, s = 0 and correlation 0 with every
column (itself included).

>>> z = np.array([0.0, 1.0, 2.0, 4.0])
>>> new = entropy_divergence_replaced(z, np.array([1]), np.array([3.0]))
>>> bool(np.isclose(new[0], entropy_divergence(np.array([[0.0], [0.75], [0.5], [1.0]]))[0]))
True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .closed import others_bounds
from .weights import entropy_divergence

Array = NDArray[np.float64]
Rows = NDArray[np.intp]

FRAGILE = 1e-6  # below this relative size, updated sums are recomputed from the column


def replaced_rows(z: Array, positions: Rows, values: Array) -> Array:
    """One copy of z per candidate with z[positions[b]] := values[b]: shape (B, m).

    >>> replaced_rows(np.array([1.0, 2.0]), np.array([1, 0]), np.array([5.0, 7.0])).tolist()
    [[1.0, 5.0], [7.0, 2.0]]
    """
    out = np.repeat(z[None, :], positions.size, axis=0)
    out[np.arange(positions.size), positions] = values
    return out


def xlogx(u: Array) -> Array:
    """u ln u with 0 ln 0 = 0 (u >= 0).

    >>> xlogx(np.array([0.0, 1.0, np.e])).round(12).tolist()
    [0.0, 0.0, 2.718281828459]
    """
    positive = u > 0
    return np.where(positive, u * np.log(np.where(positive, u, 1.0)), 0.0)


def anchored_sums(z: Array, positions: Rows, anchor: Array) -> tuple[Array, Array]:
    """sum (z_k - a) and sum xlogx(z_k - a) over the units k != positions[b] with z_k >= a,
    for anchors a = anchor[b] that are each the minimum or second smallest value of z.

    >>> [s.round(6).tolist() for s in anchored_sums(np.array([1.0, 2.0, 4.0]), np.array([0, 1]), np.array([2.0, 1.0]))]
    [[2.0, 3.0], [1.386294, 3.295837]]
    """
    ascending = np.sort(z)
    candidates = np.unique(ascending[: min(2, z.size)])
    first = np.empty(candidates.size)
    second = np.empty(candidates.size)
    for i, a in enumerate(candidates):  # at most two anchors per column
        u = z[z >= a] - a
        first[i], second[i] = u.sum(), xlogx(u).sum()
    which = np.searchsorted(candidates, anchor)
    own = z[positions] - anchor
    mine = own >= 0
    u_own = np.where(mine, own, 0.0)
    return first[which] - u_own, second[which] - np.where(mine, xlogx(u_own), 0.0)


def entropy_divergence_replaced(z: Array, positions: Rows, values: Array) -> Array:
    """d_j = 1 - e_j of the min-max column of z (no NaN, higher is better) after
    z[positions[b]] := values[b], for every b: shape (B,).

    >>> entropy_divergence_replaced(np.array([0.0, 1.0, 1.0]), np.array([0, 0]), np.array([1.0, 0.0])).round(6).tolist()
    [0.0, 0.36907]
    """
    m = z.size
    if m < 2:
        return np.zeros(positions.size)
    lo_o, hi_o = others_bounds(z, positions)
    lo = np.minimum(lo_o, values)
    span = np.maximum(hi_o, values) - lo
    first, second = anchored_sums(z, positions, lo_o)
    u_new = np.maximum(values - lo_o, 0.0)
    total, plogp = first + u_new, second + xlogx(u_new)
    # sum the column again where the candidate is the new minimum (the anchor moves) or where
    # removing its own term left sums too small to trust (the others nearly all at the anchor)
    whole = first + np.maximum(z[positions] - lo_o, 0.0)
    again = np.flatnonzero((values < lo_o) | (first < FRAGILE * whole))
    if again.size:
        z_new = replaced_rows(z, positions[again], values[again])
        u = z_new - z_new.min(axis=1, keepdims=True)
        total[again], plogp[again] = u.sum(axis=1), xlogx(u).sum(axis=1)
    informative = (span > 0) & (total > 0)
    safe = np.where(informative, total, 1.0)
    entropy = (np.log(safe) - plogp / safe) / np.log(m)
    # a constant column gives what `entropy_divergence` gives it (0 up to float noise, which
    # decides the weights when every column is constant)
    flat = float(entropy_divergence(np.ones((m, 1)))[0])
    return np.asarray(np.where(informative, np.clip(1.0 - entropy, 0.0, None), flat))


@dataclass(frozen=True)
class CriticState:
    """What CRITIC needs about a scope's information matrix to replace column j cheaply:
    the centred matrix, the sample standard deviations, each column's total conflict
    T_l = sum_k (1 - r_lk), and r_lj."""

    centred: Array
    std: Array
    conflict: Array
    r_j: Array
    j: int


def critic_state(info: Array, j: int) -> CriticState:
    """Precompute `CriticState` from the (m, k) information matrix (as `critic_information`).

    >>> s = critic_state(np.array([[0.0, 1.0], [0.5, 0.0], [1.0, 0.5]]), 0)
    >>> (s.std.round(4).tolist(), s.conflict.round(4).tolist(), s.r_j.round(4).tolist())
    ([0.5, 0.5], [1.5, 1.5], [1.0, -0.5])
    """
    m = info.shape[0]
    centred = info - info.mean(axis=0)
    std = np.sqrt((centred**2).sum(axis=0) / max(m - 1, 1))
    cov = centred.T @ centred / max(m - 1, 1)
    scale = std[:, None] * std[None, :]
    corr = np.where(scale > 0, cov / np.where(scale > 0, scale, 1.0), 0.0)
    return CriticState(centred, std, (1.0 - corr).sum(axis=1), corr[:, j], j)


def critic_information_replaced(
    state: CriticState, z: Array, positions: Rows, values: Array
) -> Array:
    """CRITIC c (B, k) after z[positions[b]] := values[b] in column j (z: column j's raw
    values, no NaN, sign-flipped for "lower").

    >>> info = np.array([[0.0, 1.0], [0.5, 0.0], [1.0, 0.5]])
    >>> s = critic_state(info, 0)
    >>> c = critic_information_replaced(s, np.array([0.0, 5.0, 10.0]), np.array([1]), np.array([0.0]))
    >>> from saima.engine.weights import critic_information
    >>> bool(np.allclose(c, critic_information(np.array([[0.0, 1.0], [0.0, 0.0], [1.0, 0.5]]))))
    True
    """
    m, j = z.size, state.j
    if m < 2:
        return np.zeros((positions.size, state.std.size))
    lo_o, hi_o = others_bounds(z, positions)
    span = np.maximum(hi_o, values) - np.minimum(lo_o, values)
    centre = float(z.mean())
    base = z - centre
    d_own, d_new = base[positions], values - centre
    s1 = float(base.sum()) - d_own + d_new
    s2 = float((base * base).sum()) - d_own * d_own + d_new * d_new
    varying = span > 0
    sd_z = np.where(varying, np.sqrt(np.maximum((s2 - s1 * s1 / m) / (m - 1), 0.0)), 0.0)
    cross = (base @ state.centred)[None, :] + (values - z[positions])[:, None] * state.centred[
        positions
    ]
    # a nearly constant new column: the updated sums cancel, so centre the column again
    again = np.flatnonzero(varying & (span < FRAGILE * float(np.abs(base).max())))
    if again.size:
        z_new = replaced_rows(z, positions[again], values[again])
        z_new -= z_new.mean(axis=1, keepdims=True)
        sd_z[again] = np.sqrt((z_new * z_new).sum(axis=1) / (m - 1))
        cross[again] = z_new @ state.centred
    scale = sd_z[:, None] * state.std[None, :] * (m - 1)
    r = np.where(scale > 0, cross / np.where(scale > 0, scale, 1.0), 0.0)
    r[:, j] = np.where(sd_z > 0, 1.0, 0.0)
    std_j = np.where(varying, sd_z / np.where(varying, span, 1.0), 0.0)
    out = state.std[None, :] * (state.conflict[None, :] + state.r_j[None, :] - r)
    out[:, j] = std_j * (1.0 - r).sum(axis=1)
    return np.asarray(out, dtype=np.float64)


def quantile_position(m: int, q: float) -> tuple[int, int, float]:
    """NumPy's default ("linear") quantile of m sorted values reads positions (previous, next)
    and interpolates with gamma: virtual index (m - 1) q, previous = floor, next = previous + 1,
    both clamped to the last value at the top. The count does not change when one value is
    replaced, so neither do these.

    >>> quantile_position(1400 // 2, 0.05), quantile_position(3, 0.95)
    ((34, 35, 0.9500000000000028), (1, 2, 0.8999999999999999))
    """
    index = (m - 1) * q
    if index >= m - 1:
        return m - 1, m - 1, 0.0
    previous = int(np.floor(index))
    return previous, previous + 1, index - previous


def lerp(a: Array, b: Array, t: float) -> Array:
    """NumPy's quantile interpolation, bit for bit: a + (b - a) t, or b - (b - a)(1 - t) when
    t >= 0.5.

    >>> lerp(np.array([1.0]), np.array([3.0]), 0.75).tolist()
    [2.5]
    """
    diff = b - a
    return np.asarray(b - diff * (1 - t) if t >= 0.5 else a + diff * t, dtype=np.float64)


def replaced_order_statistic(ascending: Array, own: Array, values: Array, k: int) -> Array:
    """The k-th smallest value (0-based) of a sorted column after one copy of own[b] is
    replaced by values[b], for every b, in O(log m) each: remove own (at r), insert the value
    (at s among the remaining m - 1), read position k.

    >>> a = np.array([1.0, 3.0, 5.0, 7.0])
    >>> replaced_order_statistic(a, np.array([1.0, 7.0, 3.0]), np.array([6.0, 0.0, 3.0]), 1).tolist()
    [5.0, 1.0, 3.0]
    """
    m = ascending.size
    if m < 2:  # the replaced value is the whole column
        return np.asarray(values, dtype=np.float64)
    r = np.searchsorted(ascending, own, side="left")
    s = np.searchsorted(ascending, values, side="left") - (own < values)

    def without(i: int) -> Array:  # position i of the column with own removed
        at = max(0, min(i, m - 2))
        return np.asarray(ascending[at + (at >= r)], dtype=np.float64)

    before, after = without(k), without(k - 1)
    return np.asarray(np.where(k < s, before, np.where(k == s, values, after)), np.float64)


def winsorised_bounds_replaced(
    ascending: Array, own: Array, values: Array, p: float
) -> tuple[Array, Array]:
    """The winsorising bounds (the column's p and 1 - p quantiles, as `normalise.winsorise`
    computes them, bit for bit) after own[b] := values[b], for every b: O(log m) each.

    >>> a = np.array([0.0, 1.0, 2.0, 100.0])            # bounds 0.75 and 26.5 (p = 0.25)
    >>> [b.tolist() for b in winsorised_bounds_replaced(a, np.array([100.0]), np.array([3.0]), 0.25)]
    [[0.75], [2.25]]
    """
    m = ascending.size
    bounds = []
    for q in (p, 1 - p):
        previous, following, gamma = quantile_position(m, q)
        low = replaced_order_statistic(ascending, own, values, previous)
        high = replaced_order_statistic(ascending, own, values, following)
        bounds.append(lerp(low, high, gamma))
    return bounds[0], bounds[1]
