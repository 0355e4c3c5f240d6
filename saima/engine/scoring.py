"""Scoring candidates (候选值评分): a unit's score and its rivals' scores when the unit's raw
value j is replaced, for B candidates at once, and the margin to the quota that the gap search
reads.

The rivals' terms over the other indicators are gathered once; with weights that do not move
(fixed, equal, AHP) their weighted sums are computed once too, so each candidate costs O(r)
for r scored rivals plus what `columns.candidate_column` costs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

from .aggregate import scores
from .columns import candidate_column, candidate_weights
from .pipeline import DATA_INDEPENDENT, ScopeModel
from .ranking import DECIMALS
from .scheme import Scheme

Array = NDArray[np.float64]
Rows = NDArray[np.intp]
Check = Callable[[Rows, Array], Array]
Score = Callable[[Rows, Array], tuple[Array, Array]]

CHUNK_CELLS = 65_536  # candidates × rivals scored at once
HALF_STEP = 0.5 * 10.0**-DECIMALS  # half the resolution of rounded scores


def scope_scores(scope: ScopeModel) -> Array:
    """The scope's nominal scores."""
    return np.asarray(scores(scope.terms, scope.weights[None, :])[0], dtype=np.float64)


def margin_check(
    scheme: Scheme, scope: ScopeModel, rivals: Rows, quota: int, j: int, *, strict: bool = False
) -> Check:
    """A function (positions, new values) -> own score minus the quota-th best score among
    `rivals` other than the unit itself (>= 0: selected), each rounded to DECIMALS; `strict`
    subtracts half a rounding step, so that a tie no longer counts."""
    score = candidate_scorer(scheme, scope, rivals, j)
    offset = HALF_STEP if strict else 0.0
    m = rivals.size

    def check(positions: Rows, values: Array) -> Array:
        if quota > m - 1:
            return np.full(positions.size, np.inf)
        out = np.empty(positions.size)
        step = max(1, CHUNK_CELLS // max(m, 1))
        for start in range(0, positions.size, step):  # blocks that stay in cache
            part = slice(start, start + step)
            s_own, s_rivals = score(positions[part], values[part])
            kth = np.partition(s_rivals, m - quota, axis=1)[:, m - quota]
            out[part] = s_own - kth - offset
        return out

    return check


def candidate_scorer(
    scheme: Scheme, scope: ScopeModel, rivals: Rows, j: int, *, rounded: bool = True
) -> Score:
    """A function (positions, new values) -> (own scores (B,), rivals' scores (B, r) with the
    unit itself at -inf), rounded to DECIMALS (unless `rounded` is False).

    The rivals' terms over the other indicators are gathered once; with weights that do not
    move (fixed, equal, AHP) their weighted sums are computed once too."""
    terms = scope.terms
    keep = np.arange(scope.weights.size) != j
    kind = terms.kind
    weigh = candidate_weights(scheme, scope, j)
    # arithmetic without missing values: a score is 100 (sum_l w_l n_l) / sum_l w_l
    complete = bool((terms.present > 0).all())
    lean = kind == "arithmetic" and complete
    names = ("linear",) if lean else _part_names(kind)
    gathered = {name: getattr(terms, name)[rivals][:, keep].T.copy() for name in names}
    own_terms = {name: getattr(terms, name)[:, keep] for name in names}
    present_j = terms.present[rivals, j][None, :]
    steady: dict[str, Array] = {}  # rivals' sums when the weights cannot move
    still = scheme.method.weighting in DATA_INDEPENDENT
    m = rivals.size

    def score(positions: Rows, values: Array) -> tuple[Array, Array]:
        col = candidate_column(scheme, scope, rivals, j, positions, values, weigh)
        w = col.weights
        wk = w[:, keep]
        wj = w[:, j : j + 1]
        if still:
            if not steady:
                steady.update(_parts(kind, gathered, wk, matmul=True))
            rival = steady
        else:
            rival = _parts(kind, gathered, wk, matmul=True)
        own = _parts(kind, {k: v[positions] for k, v in own_terms.items()}, wk, matmul=False)
        if kind == "topsis" and complete:
            ideal, anti = col.ideal[:, None], col.anti[:, None]
            s_rivals = topsis_in_place(
                rival["plus"], rival["minus"], wj * wj, col.rows, ideal, anti
            )
            ones = np.ones(positions.size)
            s_own = _score(kind, own, wj[:, 0], col.own, col.ideal, col.anti, ones)
        elif lean:
            scale = 100.0 / w.sum(axis=1)
            s_rivals = np.multiply(col.rows, wj, out=col.rows)
            s_rivals += rival["linear"]
            s_rivals *= scale[:, None]
            s_own = (own["linear"] + wj[:, 0] * col.own) * scale
        else:
            ideal, anti = col.ideal[:, None], col.anti[:, None]
            s_rivals = _score(kind, rival, wj, col.rows, ideal, anti, present_j)
            ones = np.ones(positions.size)
            s_own = _score(kind, own, wj[:, 0], col.own, col.ideal, col.anti, ones)
        if rounded:
            s_rivals = np.round(s_rivals, DECIMALS, out=s_rivals)
            s_own = np.round(s_own, DECIMALS)
        if m:
            at = np.searchsorted(rivals, positions)  # rivals are sorted
            mine = np.flatnonzero(rivals[np.minimum(at, m - 1)] == positions)
            s_rivals[mine, at[mine]] = -np.inf
        return s_own, s_rivals

    return score


def topsis_in_place(
    plus: Array, minus: Array, wj2: Array, n: Array, ideal: Array, anti: Array
) -> Array:
    """TOPSIS scores 100 S- / (S+ + S-) with S±² = (sums over the other indicators) +
    w_j² (n - ideal±)², for (B, r) rivals without missing values, overwriting n.

    >>> topsis_in_place(np.array([[0.0]]), np.array([[0.0]]), np.array([[1.0]]),
    ...                 np.array([[0.25]]), np.array([[1.0]]), np.array([[0.0]])).tolist()
    [[25.0]]
    """
    far = n - anti
    far *= far
    far *= wj2
    far += minus
    np.sqrt(far, out=far)
    near = np.subtract(n, ideal, out=n)
    near *= near
    near *= wj2
    near += plus
    np.sqrt(near, out=near)
    near += far  # now S+ + S-
    far *= 100.0
    flat = near == 0  # every indicator constant: everybody is ideal
    np.divide(far, near, out=far, where=~flat)
    far[flat] = 100.0
    return far


def _part_names(kind: str) -> tuple[str, ...]:
    """The terms an aggregation sums over the other indicators."""
    if kind == "geometric":
        return ("linear", "present", "log", "zero")
    if kind == "topsis":
        return ("plus", "minus")
    return ("linear", "present")


def _parts(kind: str, values: dict[str, Array], wk: Array, *, matmul: bool) -> dict[str, Array]:
    """Weighted sums over the indicators other than j: (B, r) for rivals (matmul; values are
    (k - 1, r)) or (B,) row by row for the moved units (values are (B, k - 1))."""
    weights = {"linear": wk, "present": wk}
    if kind == "geometric":
        weights |= {"log": wk, "zero": (wk > 0).astype(np.float64)}
    if kind == "topsis":
        weights = {"plus": wk * wk, "minus": wk * wk}
    out = {}
    for name in values:
        ww = weights[name]
        if matmul:
            out[name] = ww @ values[name]
        else:
            out[name] = (values[name] * ww).sum(axis=-1)
    return out


def _score(
    kind: str,
    parts: dict[str, Array],
    wj: Array,
    n: Array,
    ideal: Array,
    anti: Array,
    present: Array,
) -> Array:
    """Scores from the other indicators' sums plus indicator j's normalised value n."""
    if kind == "topsis":
        w2 = wj * wj * present
        plus = np.sqrt(parts["plus"] + w2 * (n - ideal) ** 2)
        minus = np.sqrt(parts["minus"] + w2 * (n - anti) ** 2)
        total = plus + minus
        out = np.full(total.shape, 100.0)
        np.divide(100.0 * minus, total, out=out, where=total > 0)
        return out
    n = np.where(present > 0, n, 0.0)
    den = parts["present"] + wj * present
    safe = np.where(den > 0, den, 1.0)
    if kind == "arithmetic":
        return np.asarray(100.0 * (parts["linear"] + wj * n) / safe, dtype=np.float64)
    positive = n > 0
    log = np.where(positive, np.log(np.where(positive, n, 1.0)), 0.0)
    hit = parts["zero"] + ((wj > 0) & ~positive & (present > 0))
    return np.where(hit > 0, 0.0, 100.0 * np.exp((parts["log"] + wj * log) / safe))
