"""Monte-Carlo robustness (稳健性): ranks under weights drawn from Dirichlet(c · w).

Draws are processed in chunks, so memory stays bounded whatever the number of draws; rank
counts are accumulated per unit in a histogram, from which percentiles are read exactly as
`numpy.percentile` (linear interpolation) would read them from the full sample.

The chunk's scores come from one `einsum` over a pre-stacked (k, 2m) matrix rather than a BLAS
matmul: with k ≈ 11 the product is cheap, and OpenBLAS's own worker threads (which spin after
each call) would compete with the chunk thread pool for the cores, halving throughput.
Ranks come from one sort of packed integer keys per draw (`ranking.accumulate_rank_counts`).
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .aggregate import Terms, scores
from .pipeline import Prepared
from .ranking import accumulate_rank_counts

Array = NDArray[np.float64]
Counts = NDArray[np.int64]

CELLS_PER_CHUNK = 500_000  # draws × units scored at once (~4 MB per float array)
TINY_ALPHA = 1e-300  # smallest Dirichlet parameter drawn as given (1/a must stay finite)


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
    """`size` weight vectors ~ Dirichlet(c · w); indicators with weight 0 stay at 0.

    Drawn in logs, so that small parameters work: Gamma(a) draws below 1 underflow to 0 for
    a = c · w_j near 1e-3 or less (every weight of a draw 0, every score tied), so for a < 1
    the boost G(a) = G(a + 1) · U^(1/a) (U uniform on (0, 1]) is taken in logs, ln G(a) =
    ln G(a + 1) + ln U / a, and normalised by log-sum-exp. Parameters below `TINY_ALPHA`
    count as `TINY_ALPHA` (where 1/a would overflow).

    >>> w = dirichlet_draws(np.random.default_rng(0), np.array([0.5, 0.0, 0.5]), 1e-4, 3)
    >>> (w.sum(axis=1).round(12).tolist(), w[:, 1].tolist(), bool(np.isin(w.round(6), (0, 1)).all()))
    ([1.0, 1.0, 1.0], [0.0, 0.0, 0.0], True)
    """
    positive = weights > 0
    alpha = np.maximum(c * weights[positive], TINY_ALPHA)
    small = alpha < 1.0
    log_g = np.log(rng.standard_gamma(np.where(small, alpha + 1.0, alpha), size=(size, alpha.size)))
    if small.any():
        log_u = np.log1p(-rng.random((size, int(small.sum()))))  # ln U, U = 1 - [0, 1)
        log_g[:, small] += log_u / alpha[small]
    log_g -= log_g.max(axis=1, keepdims=True)
    g = np.exp(log_g)
    out = np.zeros((size, weights.size))
    out[:, positive] = g / g.sum(axis=1, keepdims=True)
    return out


def stacked_terms(terms: Terms) -> Array | None:
    """The (k, 2m) contiguous matrix one matmul per chunk reads: [plus | minus] for TOPSIS,
    [linear | present] for arithmetic; None for geometric (scored by `scores`)."""
    if terms.kind == "topsis":
        assert terms.plus is not None and terms.minus is not None
        return np.ascontiguousarray(np.concatenate([terms.plus, terms.minus], axis=0).T)
    if terms.kind == "arithmetic":
        return np.ascontiguousarray(np.concatenate([terms.linear, terms.present], axis=0).T)
    return None


def draw_scores(terms: Terms, stacked: Array | None, w: Array) -> Array:
    """`scores(terms, w)` for a chunk of draws (the same formulas, fewer passes).

    >>> from saima.engine.aggregate import make_terms
    >>> t = make_terms("topsis", np.array([[0.0, 1.0], [1.0, 0.5]]))
    >>> w = np.array([[0.5, 0.5], [0.9, 0.1]])
    >>> bool(np.allclose(draw_scores(t, stacked_terms(t), w), scores(t, w)))
    True
    """
    if stacked is None:
        return scores(terms, w)
    m = stacked.shape[1] // 2
    if terms.kind == "topsis":
        both = np.einsum("dk,kn->dn", w * w, stacked)  # no BLAS threads: see module doc
        np.sqrt(both, out=both)
        minus = both[:, m:]
        total = both[:, :m] + minus
        out = np.full(total.shape, 100.0)
        np.divide(minus, total, out=out, where=total > 0)
        out[total > 0] *= 100.0
        return out
    both = np.einsum("dk,kn->dn", w, stacked)
    den = both[:, m:]
    return np.asarray(100.0 * both[:, :m] / np.where(den > 0, den, 1.0), dtype=np.float64)


def chunk_counts(terms: Terms, w: Array, stacked: Array | None = None) -> Counts:
    """Rank counts (flat m*m) of one chunk of weight draws."""
    m = terms.linear.shape[0]
    counts = np.zeros(m * m, dtype=np.int64)
    accumulate_rank_counts(draw_scores(terms, stacked, w), counts)
    return counts


def rank_histograms(
    jobs: list[tuple[Terms, Array]], draws: int, workers: int | None = None
) -> list[Counts]:
    """counts[u, r - 1] = draws in which unit u ranked r, for each (terms, draws) job.

    Chunks run on a thread pool (NumPy releases the GIL in sorting and matrix products); the
    draws were made beforehand, so the result does not depend on scheduling or chunk size.
    """
    tasks = []
    for index, (terms, w) in enumerate(jobs):
        m = terms.linear.shape[0]
        chunk = max(1, CELLS_PER_CHUNK // max(m, 1))
        stacked = stacked_terms(terms)
        tasks += [(index, terms, w[a : a + chunk], stacked) for a in range(0, draws, chunk)]
    totals = [np.zeros(t.linear.shape[0] ** 2, dtype=np.int64) for t, _ in jobs]
    with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
        results = pool.map(lambda t: (t[0], chunk_counts(t[1], t[2], t[3])), tasks)
        for index, counts in results:
            totals[index] += counts
    return [t.reshape(int(np.sqrt(t.size)), -1) for t in totals]


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
    jobs, placed = [], []
    for g in range(len(quotas)):
        scope, inside = prepared.scope_of_group(g)
        w = dirichlet_draws(rng, scope.weights, c, draws)
        jobs.append((subset_terms(scope.terms, inside), w))
        placed.append(scope.rows[inside])
    for rows, quota, counts in zip(placed, quotas, rank_histograms(jobs, draws), strict=True):
        out["median"][rows] = percentile_from_counts(counts, 0.5)
        out["p05"][rows] = percentile_from_counts(counts, 0.05)
        out["p95"][rows] = percentile_from_counts(counts, 0.95)
        out["sel"][rows] = counts[:, :quota].sum(axis=1) / draws
    return Robustness(out["median"], out["p05"], out["p95"], out["sel"], draws, seed)
