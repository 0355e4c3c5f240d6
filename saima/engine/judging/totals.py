"""From figures per criterion to one score: criteria weights, then panel weights.

- Criteria (评分细则): total = 100 · Σ_k w_k · (x_k / max_k) / Σ_k w_k, on 0–100. With weights
  equal to the maxima (a rubric of points that add up), this is the points scored out of the
  points available, scaled to 100; with one criterion of maximum 100, the score itself.
- Panels (评委组): score = Σ_p v_p · total_p / Σ_p v_p (Linshui: leaders 0.6, attendees 0.4).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from ..ranking import DECIMALS

Array = NDArray[np.float64]
Ints = NDArray[np.int64]


def criteria_total(figures: Array, maxima: Array, weights: Array) -> Array:
    """The weighted share of the maxima on the last axis, ×100 (NaN if any criterion is NaN).

    >>> criteria_total(np.array([[30.0, 15.0]]), np.array([40.0, 60.0]), np.array([40.0, 60.0]))
    array([45.])
    """
    total: Array = 100.0 * ((figures / maxima) @ weights) / weights.sum()
    return total


def combine_panels(by_panel: Array, panel_weights: Array) -> Array:
    """The weighted mean over the first (panel) axis.

    >>> combine_panels(np.array([[80.0, 70.0], [60.0, 90.0]]), np.array([0.6, 0.4])).tolist()
    [72.0, 78.0]
    """
    combined: Array = np.tensordot(panel_weights, by_panel, axes=1) / panel_weights.sum()
    return combined


def tie_ranks(totals: Array, tiebreak: Array | None, top_marks: Ints) -> Ints:
    """Competition ranks (1, 2, 2, 4), best first, by the tie rule (并列处理):
    1. the higher total (compared after rounding to 9 decimals, as the race engine does);
    2. then the higher figure on the contest's tie-break criterion, if it names one;
    3. then more top marks (scores at a criterion's maximum, counted over all judges);
    4. still equal: the contestants share the rank (the contest settles it, e.g. by a drawn
       lot, outside the engine).

    >>> tie_ranks(np.array([90.0, 85.0, 85.0, 85.0, 70.0]), np.array([9.0, 8.0, 9.0, 8.0, 9.0]),
    ...           np.array([0, 2, 1, 2, 5])).tolist()
    [1, 3, 2, 3, 5]
    """
    a = np.round(totals, DECIMALS)
    b = np.zeros_like(a) if tiebreak is None else np.round(tiebreak, DECIMALS)
    m = top_marks
    same_a = a[None, :] == a[:, None]
    same_b = same_a & (b[None, :] == b[:, None])
    better = (a[None, :] > a[:, None]) | (same_a & (b[None, :] > b[:, None]))
    better |= same_b & (m[None, :] > m[:, None])
    ranks: Ints = 1 + better.sum(axis=1).astype(np.int64)
    return ranks
