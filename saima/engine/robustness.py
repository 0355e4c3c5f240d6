"""Monte-Carlo robustness (稳健性): ranks under weights drawn from Dirichlet(c · w).

Draws are processed in chunks, so memory stays bounded whatever the number of draws; rank
counts are accumulated per unit in a histogram, from which percentiles are read exactly as
`numpy.percentile` (linear interpolation) would read them from the full sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .aggregate import Terms, scores
from .pipeline import Prepared
from .ranking import accumulate_rank_counts

Array = NDArray[np.float64]
Counts = NDArray[np.int64]

CELLS_PER_CHUNK = 1_000_000  # draws × units scored at once (~8 MB per float array)


@dataclass(frozen=True)
class Robustness:
    """Per-unit rank percentiles and selection probability over `draws` weight draws."""

    rank_median: Array
    rank_p05: Array
    rank_p95: Array
    p_selected: Array
    draws: int
    seed: int


def subset_terms(terms: Terms, rows: NDArray[np.intp]) -> Terms:
    """The terms of some units only (a group inside a wider scope)."""

    def take(a: Array | None) -> Array | None:
        return None if a is None else a[rows]

    return Terms(
        terms.kind,
        terms.linear[rows],
        terms.present[rows],
        take(terms.log),
        take(terms.zero),
        take(terms.plus),
        take(terms.minus),
    )


def dirichlet_draws(rng: np.random.Generator, weights: Array, c: float, size: int) -> Array:
    """`size` weight vectors ~ Dirichlet(c · w); indicators with weight 0 stay at 0."""
    positive = weights > 0
    gamma = rng.standard_gamma(c * weights[positive], size=(size, int(positive.sum())))
    total = gamma.sum(axis=1, keepdims=True)
    out = np.zeros((size, weights.size))
    out[:, positive] = gamma / np.where(total > 0, total, 1.0)
    return out


def rank_histogram(
    terms: Terms, weights: Array, c: float, draws: int, rng: np.random.Generator
) -> Counts:
    """counts[u, r - 1] = number of draws in which unit u ranked r within its group."""
    m = terms.linear.shape[0]
    counts = np.zeros(m * m, dtype=np.int64)
    chunk = max(1, CELLS_PER_CHUNK // max(m, 1))
    done = 0
    while done < draws:
        size = min(chunk, draws - done)
        w = dirichlet_draws(rng, weights, c, size)
        accumulate_rank_counts(scores(terms, w), counts)
        done += size
    return counts.reshape(m, m)


def percentile_from_counts(counts: Counts, q: float) -> Array:
    """The q-quantile (linear interpolation, as numpy.percentile) of each row's rank sample."""
    total = int(counts[0].sum())
    cum = counts.cumsum(axis=1)
    h = (total - 1) * q
    lo = int(np.floor(h))
    hi = min(lo + 1, total - 1)
    x_lo = (cum < lo + 1).sum(axis=1) + 1
    x_hi = (cum < hi + 1).sum(axis=1) + 1
    return np.asarray(x_lo + (h - lo) * (x_hi - x_lo), dtype=np.float64)


def robustness(
    prepared: Prepared, quotas: list[int], c: float, draws: int, seed: int
) -> Robustness:
    """Re-score and re-rank every group under `draws` Dirichlet weight draws (deterministic
    for a seed: groups are drawn in scheme order from one generator)."""
    n_units = prepared.group_index.size
    out = {k: np.full(n_units, np.nan) for k in ("median", "p05", "p95", "sel")}
    rng = np.random.default_rng(seed)
    for g, quota in enumerate(quotas):
        scope, inside = prepared.scope_of_group(g)
        counts = rank_histogram(subset_terms(scope.terms, inside), scope.weights, c, draws, rng)
        rows = scope.rows[inside]
        out["median"][rows] = percentile_from_counts(counts, 0.5)
        out["p05"][rows] = percentile_from_counts(counts, 0.05)
        out["p95"][rows] = percentile_from_counts(counts, 0.95)
        out["sel"][rows] = counts[:, :quota].sum(axis=1) / draws
    return Robustness(out["median"], out["p05"], out["p95"], out["sel"], draws, seed)
