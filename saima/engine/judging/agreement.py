"""Agreement among judges (评委一致性): Kendall's W per panel, with the tie correction, and
each judge's leave-one-out Spearman correlation with the rest of their panel.

A judge's ranking of the contestants is by their total (the criteria-weighted score on
0–100 from `totals.criteria_total`); a contestant the judge did not fully score has no total.

- Kendall's W (Kendall & Babington Smith 1939; Siegel & Castellan 1988, ch. 9):
  W = 12·S / (m²(n³ − n) − m·Σ T), S = Σ_i (R_i − m(n + 1)/2)², R_i the rank sum of
  contestant i over the m judges, T = Σ (t³ − t) over each judge's groups of t tied scores.
  Missing scores: W is computed over the panel's judges who scored every contestant (a judge
  with a conflict of interest or an absence is left out of W, not the contestant; the number
  of judges used is reported). Fewer than 2 such judges, or fewer than 2 contestants: NaN.
- Spearman (leave-one-out): totals and consensus are rounded to 9 decimals (as ranks are
  everywhere in the engine) before ranking. For judge j, the consensus is the mean total the *other* judges of
  j's panel gave each contestant; ρ_j is Pearson's correlation of the average ranks of j's
  totals and of the consensus, over the contestants j scored and someone else scored too.
  Fewer than 3 such contestants, or no spread on either side: NaN (never flagged).
- Outlier judge (异常评委): ρ_j below `outlier_below` (default 0: the judge orders contestants
  against the rest of the panel more than with it).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..ranking import DECIMALS

Array = NDArray[np.float64]
Ints = NDArray[np.int64]
Members = NDArray[np.bool_]


def average_ranks(values: Array) -> Array:
    """Ascending ranks along the last axis, ties sharing their average rank; NaN is unranked
    (as scipy.stats.rankdata over the non-NaN values).

    >>> average_ranks(np.array([[10.0, 30.0, 20.0, 20.0, np.nan]])).tolist()
    [[1.0, 4.0, 2.5, 2.5, nan]]
    """
    v, o = values[..., :, None], values[..., None, :]
    below = (o < v).sum(axis=-1)
    equal = (o == v).sum(axis=-1)
    ranks: Array = np.where(np.isnan(values), np.nan, below + (equal + 1) / 2.0)
    return ranks


def tie_term(values: Array) -> Array:
    """Σ (t³ − t) over the groups of t tied values along the last axis (NaN ignored).

    >>> tie_term(np.array([[1.0, 2.0, 2.0, 3.0, 3.0, 3.0]])).tolist()  # (8-2) + (27-3)
    [30.0]
    """
    equal = (values[..., None, :] == values[..., :, None]).sum(axis=-1).astype(np.float64)
    term: Array = np.where(np.isnan(values), 0.0, equal**2 - 1.0).sum(axis=-1)
    return term


def kendall_w(scores: Array) -> float:
    """Kendall's W with the tie correction for m judges (rows) × n contestants (columns),
    every cell scored. Direction does not matter (ranks ascending or descending give one W).

    >>> kendall_w(np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]))
    1.0
    >>> round(kendall_w(np.array([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]])), 12)
    0.0
    """
    m, n = scores.shape
    if m < 2 or n < 2:
        return float("nan")
    rank_sums = average_ranks(scores).sum(axis=0)
    s = float(((rank_sums - m * (n + 1) / 2.0) ** 2).sum())
    denominator = m * m * (n**3 - n) - m * float(tie_term(scores).sum())
    return 12.0 * s / denominator if denominator > 0 else float("nan")


def panel_concordance(judge_totals: Array, members: Members) -> tuple[Array, Ints]:
    """(W, judges used) per panel, over the panel's judges who scored every contestant."""
    complete = ~np.isnan(judge_totals).any(axis=1)
    used = (members & complete).sum(axis=1).astype(np.int64)
    totals = np.round(judge_totals, DECIMALS)
    w = np.array([kendall_w(totals[row & complete]) for row in members])
    return w, used


def leave_one_out_spearman(judge_totals: Array, members: Members) -> Array:
    """ρ_j per judge: Spearman between judge j's totals and the mean of the other judges of
    j's panel, over the contestants both cover.

    >>> t = np.array([[1.0, 2, 3, 4], [1, 3, 2, 4], [2, 1, 3, 4], [4, 3, 2, 1]])
    >>> leave_one_out_spearman(t, np.ones((1, 4), dtype=bool)).round(4).tolist()
    [0.7746, 0.4, 0.4, -1.0]
    """
    scored = ~np.isnan(judge_totals)
    given = np.where(scored, judge_totals, 0.0)
    panel_of = members.argmax(axis=0)
    sums = (members.astype(np.float64) @ given)[panel_of] - given
    counts = (members.astype(np.float64) @ scored)[panel_of] - scored
    consensus = np.divide(sums, counts, out=np.full(sums.shape, np.nan), where=counts > 0)
    both = scored & ~np.isnan(consensus)
    # rounded as ranks are everywhere: equal means summed in another order stay tied
    a = average_ranks(np.where(both, np.round(judge_totals, DECIMALS), np.nan))
    b = average_ranks(np.where(both, np.round(consensus, DECIMALS), np.nan))
    return _row_pearson(a, b, both)


def _row_pearson(a: Array, b: Array, both: NDArray[np.bool_]) -> Array:
    n = both.sum(axis=1)
    safe_n = np.maximum(n, 1)[:, None]
    da = np.where(both, a - np.where(both, a, 0.0).sum(axis=1)[:, None] / safe_n, 0.0)
    db = np.where(both, b - np.where(both, b, 0.0).sum(axis=1)[:, None] / safe_n, 0.0)
    denominator = np.sqrt((da * da).sum(axis=1) * (db * db).sum(axis=1))
    ok = (n >= 3) & (denominator > 0)
    rho: Array = np.divide(
        (da * db).sum(axis=1), denominator, out=np.full(n.shape, np.nan), where=ok
    )
    return rho


def outlier_judges(rho: Array, below: float) -> NDArray[np.bool_]:
    """Judges whose leave-one-out ρ is below `below` (NaN is never flagged).

    >>> outlier_judges(np.array([0.8, -0.2, np.nan]), 0.0).tolist()
    [False, True, False]
    """
    return np.asarray(np.nan_to_num(rho, nan=np.inf) < below)
