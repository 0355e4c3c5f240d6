"""Aggregation of normalised values into scores, batched over weight vectors.

Every aggregation is a function of per-indicator *terms* and weights, so one weight vector
(the nominal ranking) and 100,000 Dirichlet draws (robustness) go through the same matrix
products: `scores(terms, W)` with W of shape (draws, k) returns (draws, m).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]


@dataclass(frozen=True)
class Terms:
    """Per-unit, per-indicator quantities an aggregation sums; missing cells hold 0.

    arithmetic: `linear` = n; geometric: `log` = ln n and `zero` = [n == 0];
    topsis: `plus` = (n - ideal)^2 and `minus` = (n - anti_ideal)^2, ideal = column max of n.
    """

    kind: str
    linear: Array
    present: Array
    log: Array | None = None
    zero: Array | None = None
    plus: Array | None = None
    minus: Array | None = None


def make_terms(kind: str, n: Array) -> Terms:
    """Terms for an (…, m, k) normalised matrix with NaN where a value is missing."""
    present = (~np.isnan(n)).astype(np.float64)
    linear = np.nan_to_num(n, nan=0.0)
    if kind == "arithmetic":
        return Terms(kind, linear, present)
    if kind == "geometric":
        positive = linear > 0
        log = np.where(positive, np.log(np.where(positive, linear, 1.0)), 0.0)
        zero = ((~positive) & (present > 0)).astype(np.float64)
        return Terms(kind, linear, present, log=log, zero=zero)
    ideal = np.nanmax(n, axis=-2, keepdims=True)
    anti = np.nanmin(n, axis=-2, keepdims=True)
    plus = np.nan_to_num((n - ideal) ** 2, nan=0.0)
    minus = np.nan_to_num((n - anti) ** 2, nan=0.0)
    return Terms(kind, linear, present, plus=plus, minus=minus)


def weighted(values: Array, w: Array) -> Array:
    """sum_j w_bj values_ij for every weight row b: (B, k) x (m, k) -> (B, m)."""
    if w.shape[0] == 1:
        return np.asarray((values * w[0]).sum(axis=-1)[None, :], dtype=np.float64)
    return np.asarray(w @ values.T, dtype=np.float64)


def scores(terms: Terms, w: Array) -> Array:
    """Scores (0..100 except for zscore) of every unit for every weight row of `w` (B, k).

    arithmetic: 100 sum w n / sum w [present];  geometric: 100 exp(sum w ln n / sum w [present])
    (0 when any weighted n is 0);  topsis: 100 S- / (S+ + S-), S± = sqrt(sum w² (n - ideal±)²).

    >>> t = make_terms("arithmetic", np.array([[0.0, 1.0], [1.0, 0.5]]))
    >>> scores(t, np.array([[0.5, 0.5]])).tolist()
    [[50.0, 75.0]]
    """

    def part(name: str, ww: Array) -> Array:
        return weighted(getattr(terms, name), ww)

    if terms.kind == "topsis":
        w2 = w * w
        plus = np.sqrt(part("plus", w2))
        minus = np.sqrt(part("minus", w2))
        total = plus + minus
        out = np.full(total.shape, 100.0)
        np.divide(100.0 * minus, total, out=out, where=total > 0)
        return out
    denominator = part("present", w)
    safe = np.where(denominator > 0, denominator, 1.0)
    if terms.kind == "arithmetic":
        return 100.0 * part("linear", w) / safe
    hit = part("zero", (w > 0).astype(np.float64))
    return np.where(hit > 0, 0.0, 100.0 * np.exp(part("log", w) / safe))


def section_scores(terms: Terms, w: Array, members: NDArray[np.bool_]) -> Array:
    """A section's own score: 100 × the weighted mean of n over its indicators (present ones)."""
    ww = np.where(members, w, 0.0)
    num = (terms.linear * ww).sum(axis=-1)
    den = (terms.present * ww).sum(axis=-1)
    return np.where(den > 0, 100.0 * num / np.where(den > 0, den, 1.0), np.nan)


def contributions(terms: Terms, w: Array) -> Array:
    """Points each indicator adds: 100 w_j n_ij / sum_j w_j [present]; they sum to the
    arithmetic score (for geometric and TOPSIS they show the linear weight of each indicator)."""
    den = (terms.present * w).sum(axis=-1, keepdims=True)
    return 100.0 * terms.linear * w / np.where(den > 0, den, 1.0)
