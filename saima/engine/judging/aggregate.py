"""A panel's figure per contestant × criterion, by three methods, vectorised over panels ×
judges × contestants × criteria (no loop per judge or contestant).

- mean (平均分): the mean of the scores the panel's judges gave.
- trimmed (去掉最高分和最低分): drop the `trim` highest and `trim` lowest scores, then the mean;
  when fewer than `2·trim + min_kept` judges scored, trim fewer — the most that still keeps
  `min_kept` scores (none when fewer than `min_kept + 2` scored).
- standardised (标准化): each judge's scores on a criterion become z-scores over the contestants
  that judge scored (population SD); a panel's mean z is mapped back to the points scale with
  the panel's mean score and its typical within-judge spread (the mean SD of its judges who
  spread their scores). A judge who gave every contestant the same score (or scored only one)
  has no spread (SD ≤ 1e-9 points, so float noise is no spread either): their z is 0 for every
  contestant they scored (no preference expressed).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Ints = NDArray[np.int64]
Members = NDArray[np.bool_]

FLAT = 1e-9  # a judge whose scores spread less than this (in points) has no spread


def by_panel(scores: Array, members: Members) -> Array:
    """panels × judges × contestants × criteria: each panel's judges' scores, NaN elsewhere."""
    return np.where(members[:, :, None, None], scores[None], np.nan)


def _nan_mean(x: Array, axis: int | tuple[int, ...]) -> Array:
    scored = ~np.isnan(x)
    total = np.where(scored, x, 0.0).sum(axis=axis)
    count = scored.sum(axis=axis)
    out: Array = np.divide(total, count, out=np.full(total.shape, np.nan), where=count > 0)
    return out


def panel_mean(panel_scores: Array) -> Array:
    """panels × contestants × criteria: the mean of the scores given.

    >>> s = np.array([[[[8.0]], [[6.0]], [[np.nan]]]])  # one panel, three judges, one cell
    >>> panel_mean(s).tolist()
    [[[7.0]]]
    """
    return _nan_mean(panel_scores, axis=1)


def trim_counts(scored: Ints, trim: int, min_kept: int) -> Ints:
    """Scores dropped at each end when `scored` judges scored: `trim`, reduced so that at
    least `min_kept` remain (0 when even that is impossible).

    >>> trim_counts(np.array([2, 3, 4, 5, 6, 7, 10]), 2, 3).tolist()
    [0, 0, 0, 1, 1, 2, 2]
    """
    return np.minimum(trim, np.maximum(0, (scored - min_kept) // 2))


def panel_trimmed_mean(panel_scores: Array, trim: int, min_kept: int) -> tuple[Array, Ints]:
    """(figures, trimmed): the trimmed mean per panel × contestant × criterion and how many
    scores were dropped at each end there.

    >>> s = np.array([1.0, 7.0, 8.0, 9.0, 30.0]).reshape(1, 5, 1, 1)
    >>> fig, k = panel_trimmed_mean(s, trim=1, min_kept=3)
    >>> (fig.tolist(), k.tolist())
    ([[[8.0]]], [[[1]]])
    """
    ordered = np.sort(panel_scores, axis=1)  # NaN sorts last
    scored = (~np.isnan(panel_scores)).sum(axis=1)
    dropped = trim_counts(scored, trim, min_kept)
    position = np.arange(panel_scores.shape[1])[None, :, None, None]
    keep = (position >= dropped[:, None]) & (position < (scored - dropped)[:, None])
    total = np.where(keep, ordered, 0.0).sum(axis=1)
    kept = scored - 2 * dropped
    figures: Array = np.divide(total, kept, out=np.full(total.shape, np.nan), where=kept > 0)
    return figures, dropped


def judge_location_spread(scores: Array) -> tuple[Array, Array]:
    """judges × criteria: each judge's mean and population SD over the contestants scored."""
    location = _nan_mean(scores, axis=1)
    spread = np.sqrt(_nan_mean((scores - location[:, None, :]) ** 2, axis=1))
    return location, spread


def judge_z_scores(scores: Array) -> Array:
    """judges × contestants × criteria: each score as a z-score among the contestants the
    judge scored on that criterion (population SD); 0 for a judge without spread.

    >>> judge_z_scores(np.array([[[6.0], [8.0], [np.nan]], [[5.0], [5.0], [5.0]]])).tolist()
    [[[-1.0], [1.0], [nan]], [[0.0], [0.0], [0.0]]]
    """
    location, spread = judge_location_spread(scores)
    return _z(scores, location, spread)


def _z(scores: Array, location: Array, spread: Array) -> Array:
    spread3 = spread[:, None, :]
    has_spread = spread3 > FLAT  # no spread (or nothing scored): no preference expressed
    deviation = scores - location[:, None, :]
    z = np.divide(deviation, spread3, out=np.zeros(scores.shape), where=has_spread)
    return np.where(np.isnan(scores), np.nan, z)


def panel_standardised(scores: Array, members: Members) -> tuple[Array, Array]:
    """(figures, mean_z) per panel × contestant × criterion: the panel's mean z-score, and it
    mapped back to points as panel mean + panel spread × mean z.

    >>> s = np.array([[[6.0], [8.0]], [[2.0], [6.0]]])  # two judges, two contestants
    >>> fig, z = panel_standardised(s, np.array([[True, True]]))
    >>> (fig.tolist(), z.tolist())  # panel mean 5.5, spread (1 + 2) / 2 = 1.5
    ([[[4.0], [7.0]]], [[[-1.0], [1.0]]])
    """
    location, spread = judge_location_spread(scores)
    mean_z = panel_mean(by_panel(_z(scores, location, spread), members))
    centre = _nan_mean(by_panel(scores, members), axis=(1, 2))  # panels × criteria
    spreads = np.where(members[:, :, None] & (spread > FLAT), spread, np.nan)
    panel_spread = np.nan_to_num(_nan_mean(spreads, axis=1), nan=0.0)
    figures: Array = centre[:, None, :] + panel_spread[:, None, :] * mean_z
    return figures, mean_z
