"""Normalisations (无量纲化): units on axis -2, indicators on axis -1, NaN = missing.

`higher` is a boolean per indicator (True when a higher raw value is better). Every result
is "higher is better" so aggregation never looks at direction again.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Flags = NDArray[np.bool_]


def winsorise(x: Array, p: float) -> Array:
    """Clip each column to its p and 1-p quantiles (linear interpolation), ignoring NaN.

    >>> winsorise(np.array([[0.0], [1.0], [2.0], [100.0]]), 0.25).ravel().tolist()
    [0.75, 1.0, 2.0, 26.5]
    """
    if p <= 0:
        return x
    lo = np.nanquantile(x, p, axis=-2, keepdims=True)
    hi = np.nanquantile(x, 1 - p, axis=-2, keepdims=True)
    return np.clip(x, lo, hi)


def minmax(x: Array, higher: Flags) -> Array:
    """n = (x - min)/(max - min), or (max - x)/(max - min) for "lower"; 1 where max = min.

    >>> minmax(np.array([[1.0, 1.0], [3.0, 2.0], [5.0, 3.0]]), np.array([True, False])).tolist()
    [[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]
    """
    lo = np.nanmin(x, axis=-2, keepdims=True)
    hi = np.nanmax(x, axis=-2, keepdims=True)
    span = hi - lo
    safe = np.where(span > 0, span, 1.0)
    n = np.where(higher, (x - lo) / safe, (hi - x) / safe)
    return np.where(span > 0, n, np.where(np.isnan(x), np.nan, 1.0))


def zscore(x: Array, higher: Flags) -> Array:
    """z = (x - mean)/std (population std), negated for "lower"; 0 where std = 0.

    >>> zscore(np.array([[1.0], [3.0]]), np.array([True])).ravel().tolist()
    [-1.0, 1.0]
    """
    mean = np.nanmean(x, axis=-2, keepdims=True)
    std = np.sqrt(np.nanmean((x - mean) ** 2, axis=-2, keepdims=True))
    z = np.where(std > 0, (x - mean) / np.where(std > 0, std, 1.0), 0.0 * x)
    return np.where(higher, z, -z)


def rank01(x: Array, higher: Flags) -> Array:
    """Average rank scaled to [0, 1]: (r - 1)/(m - 1), r = 1 for the worst; 1 when m = 1.

    >>> rank01(np.array([[10.0], [30.0], [20.0], [20.0]]), np.array([True])).ravel().tolist()
    [0.0, 1.0, 0.5, 0.5]
    """
    signed = np.where(higher, x, -x)
    ranks = average_ranks(signed)
    count = np.sum(~np.isnan(x), axis=-2, keepdims=True)
    safe = np.where(count > 1, count - 1, 1)
    return np.where(count > 1, (ranks - 1) / safe, np.where(np.isnan(x), np.nan, 1.0))


def average_ranks(x: Array) -> Array:
    """1-based ascending ranks along axis -2 with ties averaged; NaN stays NaN."""
    moved = np.moveaxis(x, -2, -1)
    order = np.argsort(moved, axis=-1, kind="stable")
    ordered = np.take_along_axis(moved, order, axis=-1)
    m = ordered.shape[-1]
    pos = np.broadcast_to(np.arange(m, dtype=np.float64), ordered.shape)
    start = np.ones(ordered.shape, dtype=bool)
    start[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    end = np.ones(ordered.shape, dtype=bool)
    end[..., :-1] = start[..., 1:]
    first = np.maximum.accumulate(np.where(start, pos, 0.0), axis=-1)
    last = np.flip(
        np.minimum.accumulate(np.flip(np.where(end, pos, float(m)), axis=-1), axis=-1), axis=-1
    )
    ranks_sorted = (first + last) / 2 + 1
    ranks = np.empty_like(ranks_sorted)
    np.put_along_axis(ranks, order, ranks_sorted, axis=-1)
    ranks = np.where(np.isnan(moved), np.nan, ranks)
    return np.moveaxis(ranks, -1, -2)


def target(x: Array, higher: Flags, goal: Array) -> Array:
    """Completion of a target (完成率), capped at 1: min(x/t, 1) clipped at 0 for "higher";
    1 when x <= t, else t/x, for "lower".

    >>> target(np.array([[5.0, 2.0], [20.0, 8.0]]), np.array([True, False]), np.array([10.0, 4.0])).tolist()
    [[0.5, 1.0], [1.0, 0.5]]
    """
    up = np.clip(x / goal, 0.0, 1.0)
    down = np.where(x <= goal, 1.0, goal / np.where(x > goal, x, 1.0))
    return np.where(np.isnan(x), np.nan, np.where(higher, up, down))


def vector(x: Array, higher: Flags) -> Array:
    """r = x / sqrt(sum x^2); "lower" indicators give 1 - r (TOPSIS's vector normalisation).

    >>> vector(np.array([[3.0, 3.0], [4.0, 4.0]]), np.array([True, False])).round(6).tolist()
    [[0.6, 0.4], [0.8, 0.2]]
    """
    norm = np.sqrt(np.nansum(x * x, axis=-2, keepdims=True))
    r = x / np.where(norm > 0, norm, 1.0)
    return np.where(higher, r, 1.0 - r)


def normalise(kind: str, x: Array, higher: Flags, goal: Array) -> Array:
    """Dispatch on the scheme's `method.normalise`."""
    if kind == "minmax":
        return minmax(x, higher)
    if kind == "zscore":
        return zscore(x, higher)
    if kind == "rank":
        return rank01(x, higher)
    if kind == "target":
        return target(x, higher, goal)
    if kind == "vector":
        return vector(x, higher)
    raise ValueError(f"unknown normalisation {kind!r}")
