"""Column j of a scope with one raw value replaced per candidate (候选值), for the gap search.

`candidate_column` normalises column j with each candidate's value in place, and
`candidate_weights` gives the effective weights that follow, both batched over B candidates:
O(1) per candidate from the column's sums and bounds where the normalisation allows it (and
O(k) for entropy or CRITIC weights, see `replaced`), otherwise the whole column, winsorised,
normalised and weighed as `pipeline.build_scope` does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .closed import others_bounds
from .normalise import normalise, winsorise
from .pipeline import (
    DATA_INDEPENDENT,
    ScopeModel,
    directions,
    effective_weights,
    goals,
    information_matrix,
)
from .replaced import (
    FRAGILE,
    critic_information_replaced,
    critic_state,
    entropy_divergence_replaced,
    winsorised_bounds_replaced,
)
from .scheme import Scheme
from .weights import critic_information, entropy_divergence

Array = NDArray[np.float64]
Rows = NDArray[np.intp]
Weigh = Callable[[Rows, Array], Array]

CLIPPED_ONLY = ("minmax", "target")  # winsorised n needs only the candidate's bounds


@dataclass(frozen=True)
class Column:
    """Normalised column j after replacing one value per candidate: n at the scored rows
    (B, r), n of the moved unit (B,), the column's ideal and anti-ideal n (B,), and the
    effective weights (B or 1, k)."""

    rows: Array
    own: Array
    ideal: Array
    anti: Array
    weights: Array


def candidate_weights(scheme: Scheme, scope: ScopeModel, j: int) -> Weigh | None:
    """A function (positions, values) -> effective weights (B or 1, k) with column j's value
    replaced per candidate, in O(k) per candidate (see `replaced`); None when the column must
    be rebuilt instead (winsorising moves quantiles; a missing value in column j moves the mean
    that fills it).

    Fixed, equal and AHP weights do not move. For entropy only d_j changes (the other d_k are
    kept from the scope); for CRITIC every c_l changes, through r_lj. E.g. with entropy
    weights, replacing a unit's value by its own value returns the scope's weights, and
    raising the only unit at the minimum of a column to the others' level makes the column
    carry less information, so its weight falls.
    """
    kind = scheme.method.weighting
    if kind in DATA_INDEPENDENT:
        return lambda positions, values: scope.weights[None, :]
    raw = scope.raw[:, j]
    if scheme.method.winsorise > 0 or np.isnan(raw).any():
        return None
    sign = 1.0 if directions(scheme)[j] else -1.0
    z = sign * raw
    if kind == "entropy":

        def entropy(positions: Rows, values: Array) -> Array:
            base = np.repeat(scope.base[None, :], positions.size, axis=0)
            base[:, j] = entropy_divergence_replaced(z, positions, sign * values)
            return effective_weights(scheme, base)

        return entropy
    state = critic_state(information_matrix(scheme, scope.raw), j)

    def critic(positions: Rows, values: Array) -> Array:
        info = critic_information_replaced(state, z, positions, sign * values)
        return effective_weights(scheme, info)

    return critic


def candidate_column(
    scheme: Scheme,
    scope: ScopeModel,
    rivals: Rows,
    j: int,
    positions: Rows,
    values: Array,
    weigh: Weigh | None,
) -> Column:
    """Normalise column j with each candidate's value in place (O(1) per candidate from
    column sums for minmax, vector, zscore and target when the weights have an O(k) update;
    otherwise the whole column, winsorised and normalised as `prepare` does)."""
    raw = scope.raw[:, j]
    higher = bool(directions(scheme)[j])
    kind = scheme.method.normalise
    fast = (
        weigh is not None
        and scheme.method.winsorise <= 0
        and kind in ("minmax", "vector", "zscore", "target")
        and not np.isnan(raw).any()
        and not (kind == "zscore" and nearly_constant(raw, positions, values))
    )
    if fast:
        assert weigh is not None
        stats = _replaced_stats(kind, raw, positions, values)
        goal = float(goals(scheme)[j])

        def n_of(v: Array) -> Array:
            return _normalise_with(kind, v, stats, higher, goal)

        at = [n_of(values), n_of(stats["lo"]), n_of(stats["hi"])]
        ideal = np.maximum.reduce(at)
        anti = np.minimum.reduce(at)
        rows = n_of_rows(kind, raw[rivals], stats, higher, goal)
        return Column(rows, at[0], ideal, anti, weigh(positions, values))
    if scheme.method.winsorise > 0:
        bounds = _winsorised_bounds(raw, positions, values, scheme.method.winsorise)
        if kind in CLIPPED_ONLY and weigh is not None:
            return _winsorised_column(scheme, raw, rivals, j, positions, values, weigh, bounds)
    b = positions.size
    col = np.broadcast_to(raw, (b, raw.size)).copy()
    col[np.arange(b), positions] = values
    if scheme.method.winsorise > 0:
        x = np.clip(col, bounds[0][:, None], bounds[1][:, None])[..., None]
    else:
        x = col[..., None]
    n = normalise(kind, x, directions(scheme)[j : j + 1], goals(scheme)[j : j + 1])[..., 0]
    w = _batch_weights(scheme, scope, x, j) if weigh is None else weigh(positions, values)
    return Column(
        n[:, rivals],
        n[np.arange(b), positions],
        np.nanmax(n, axis=1),
        np.nanmin(n, axis=1),
        w,
    )


def _winsorised_bounds(raw: Array, positions: Rows, values: Array, p: float) -> tuple[Array, Array]:
    """Each candidate's winsorising bounds (the present values' p and 1 - p quantiles, bit
    for bit as `normalise.winsorise`), in O(log m) per candidate from the sorted column.

    >>> [b.tolist() for b in _winsorised_bounds(np.array([0.0, 1.0, 2.0, 100.0]), np.array([3]), np.array([3.0]), 0.25)]
    [[0.75], [2.25]]
    """
    ascending = np.sort(raw[~np.isnan(raw)])
    return winsorised_bounds_replaced(ascending, raw[positions], values, p)


def _winsorised_column(
    scheme: Scheme,
    raw: Array,
    rivals: Rows,
    j: int,
    positions: Rows,
    values: Array,
    weigh: Weigh,
    bounds: tuple[Array, Array],
) -> Column:
    """Column j winsorised and normalised (min-max or target) for each candidate in O(1)
    plus O(r) for the r scored rivals: the clipped column's min and max are the bounds
    themselves, so n = (clip(x, lo, hi) - lo)/(hi - lo), exactly as `prepare` computes it.

    E.g. p = 0.25 and the column (0, 1, 2, 100) with 100 replaced by 3: the bounds become
    0.75 and 2.25, so the raw values 0, 1, 2, 3 get n = 0, 1/6, 5/6, 1.
    """
    kind = scheme.method.normalise
    higher = bool(directions(scheme)[j])
    goal = float(goals(scheme)[j])
    lo, hi = bounds
    stats = {"lo": lo, "hi": hi}

    def n_of(v: Array) -> Array:
        return _normalise_with(kind, np.clip(v, lo, hi), stats, higher, goal)

    at = [n_of(values), n_of(lo), n_of(hi)]
    clipped = np.clip(raw[rivals][None, :], lo[:, None], hi[:, None])
    rows = _normalise_with(kind, clipped, {"lo": lo[:, None], "hi": hi[:, None]}, higher, goal)
    ideal, anti = np.maximum.reduce(at), np.minimum.reduce(at)
    return Column(rows, at[0], ideal, anti, weigh(positions, values))


def n_of_rows(kind: str, v: Array, stats: dict[str, Array], higher: bool, goal: float) -> Array:
    """`_normalise_with` for a row vector of raw values against B column states -> (B, r)."""
    expanded = {k: s[:, None] for k, s in stats.items()}
    return _normalise_with(kind, v[None, :], expanded, higher, goal)


def _replaced_stats(kind: str, raw: Array, positions: Rows, values: Array) -> dict[str, Array]:
    """Column statistics after raw[positions[b]] := values[b], for each b, in O(1) each.

    >>> s = _replaced_stats("minmax", np.array([1.0, 5.0, 3.0]), np.array([0]), np.array([9.0]))
    >>> (s["lo"].tolist(), s["hi"].tolist())
    ([3.0], [9.0])
    """
    ascending = np.sort(raw)
    own = raw[positions]
    if ascending.size > 1:
        lo_o = np.where(own == ascending[0], ascending[1], ascending[0])
        hi_o = np.where(own == ascending[-1], ascending[-2], ascending[-1])
    else:
        lo_o = hi_o = values
    stats = {"lo": np.minimum(lo_o, values), "hi": np.maximum(hi_o, values)}
    if kind == "vector":
        total = float((raw * raw).sum())
        stats["norm"] = np.sqrt(np.maximum(total - own * own + values * values, 0.0))
    if kind == "zscore":
        m = raw.size
        centre = float(raw.mean())
        d_own, d_new = own - centre, values - centre
        s1 = float((raw - centre).sum()) - d_own + d_new
        s2 = float(((raw - centre) ** 2).sum()) - d_own * d_own + d_new * d_new
        mean = s1 / m
        stats["mean"] = centre + mean
        stats["std"] = np.sqrt(np.maximum(s2 / m - mean * mean, 0.0))
    return stats


def nearly_constant(raw: Array, positions: Rows, values: Array) -> bool:
    """True when some candidate leaves column j nearly constant (spread below FRAGILE times
    the values' size), where z-scores are dominated by rounding and the O(1) updated sums
    cancel: such batches are normalised from the whole column, as `prepare` does.

    >>> nearly_constant(np.array([2.0, 2.0, 3.0]), np.array([2]), np.array([2.0 + 1e-12]))
    True
    """
    size = float(np.abs(raw).max()) if raw.size else 0.0
    others_lo, others_hi = others_bounds(raw, positions)
    spread = np.maximum(others_hi, values) - np.minimum(others_lo, values)
    return bool((spread < FRAGILE * max(size, float(np.abs(values).max()))).any())


def _normalise_with(
    kind: str, v: Array, stats: dict[str, Array], higher: bool, goal: float
) -> Array:
    """n of raw values v under the given column statistics (same formulas as `normalise`)."""
    if kind == "minmax":
        lo, hi = stats["lo"], stats["hi"]
        span = hi - lo
        safe = np.where(span > 0, span, 1.0)
        n = (v - lo) / safe if higher else (hi - v) / safe
        return np.asarray(np.where(span > 0, n, 1.0), dtype=np.float64)
    if kind == "vector":
        norm = stats["norm"]
        r = v / np.where(norm > 0, norm, 1.0)
        return np.asarray(r if higher else 1.0 - r, dtype=np.float64)
    if kind == "zscore":
        std = stats["std"]
        z = np.where(std > 0, (v - stats["mean"]) / np.where(std > 0, std, 1.0), 0.0 * v)
        return np.asarray(z if higher else -z, dtype=np.float64)
    up = np.clip(v / goal, 0.0, 1.0)
    down = np.where(v <= goal, 1.0, goal / np.where(v > goal, v, 1.0))
    return np.asarray((up if higher else down) + 0.0 * stats["lo"], dtype=np.float64)


def _batch_weights(scheme: Scheme, scope: ScopeModel, x: Array, j: int) -> Array:
    """Effective weights (B, k) when column j of the scope is replaced by x (B, m, 1)."""
    b = x.shape[0]
    kind = scheme.method.weighting
    if kind in DATA_INDEPENDENT:
        return scope.weights[None, :]
    info_col = information_matrix(scheme, x, j)
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
