"""Competition ranking (1, 2, 2, 4) within peer groups, quotas and boundary ties.

Scores are compared after rounding to `DECIMALS` places, so two units whose scores differ only
by floating-point noise share a rank.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Ints = NDArray[np.int64]
Flags = NDArray[np.bool_]

DECIMALS = 9


def competition_ranks(scores: Array) -> Ints:
    """Descending competition ranks along the last axis (batched over leading axes).

    >>> competition_ranks(np.array([90.0, 80.0, 80.0, 70.0])).tolist()
    [1, 2, 2, 4]
    """
    s = np.round(scores, DECIMALS)
    order = np.argsort(-s, axis=-1, kind="stable")
    ordered = np.take_along_axis(s, order, axis=-1)
    m = s.shape[-1]
    pos = np.broadcast_to(np.arange(1, m + 1, dtype=np.int64), ordered.shape)
    start = np.ones(ordered.shape, dtype=bool)
    start[..., 1:] = ordered[..., 1:] != ordered[..., :-1]
    ranked = pos if start.all() else np.maximum.accumulate(np.where(start, pos, 0), axis=-1)
    ranks = np.empty(s.shape, dtype=np.int64)
    np.put_along_axis(ranks, order, ranked, axis=-1)
    return ranks


def rank_within_groups(
    scores: Array, group_index: NDArray[np.intp], quotas: Sequence[int]
) -> tuple[Ints, Flags, Flags]:
    """Ranks within each group, selected = rank <= quota, and boundary ties.

    `tie_at_boundary` marks the selected units sharing the last selected rank when that tie
    makes the group select more units than its quota.

    >>> r, sel, tie = rank_within_groups(np.array([9.0, 8.0, 8.0, 5.0]), np.array([0, 0, 0, 0]), [2])
    >>> (r.tolist(), sel.tolist(), tie.tolist())
    ([1, 2, 2, 4], [True, True, True, False], [False, True, True, False])
    """
    ranks = np.zeros(scores.shape, dtype=np.int64)
    selected = np.zeros(scores.shape, dtype=bool)
    tie = np.zeros(scores.shape, dtype=bool)
    for g, quota in enumerate(quotas):
        rows = np.flatnonzero(group_index == g)
        if rows.size == 0:
            continue
        r = competition_ranks(scores[rows])
        chosen = r <= quota
        ranks[rows], selected[rows] = r, chosen
        if chosen.sum() > quota:
            tie[rows] = chosen & (r == r[chosen].max())
    return ranks, selected, tie


def accumulate_rank_counts(scores: Array, counts: Ints) -> None:
    """Add each row's competition ranks into `counts` (flat, m*m: unit * m + rank - 1).

    The robustness hot path. Each score rounded to `DECIMALS` places becomes an integer
    q = rint(score · 10^DECIMALS) (equal q ⇔ equal rounded scores, so ties are exactly the
    ranking's), packed with the unit's index into one int64 key, q << bits | unit; one plain
    sort of the keys per row then gives both the order and the tie groups, with no argsort,
    no gather and no scatter back to unit order. Rows whose q do not fit fall back to argsort.

    >>> c = np.zeros(9, dtype=np.int64)
    >>> accumulate_rank_counts(np.array([[1.0, 3.0, 3.0]]), c)
    >>> c.reshape(3, 3).tolist()
    [[0, 0, 1], [1, 0, 0], [1, 0, 0]]
    """
    m = scores.shape[-1]
    bits = max(1, int(m - 1).bit_length())
    q = np.multiply(scores, 10.0**DECIMALS)
    np.rint(q, out=q)
    top = float(q.max()) if q.size else 0.0
    if not q.size or not np.isfinite(q).all() or top - float(q.min()) >= 2.0 ** (62 - bits):
        _accumulate_by_argsort(scores, counts)
        return
    np.subtract(top, q, out=q)  # descending: the best unit gets the smallest key
    keys = q.astype(np.int64)
    keys <<= bits
    keys |= np.arange(m, dtype=np.int64)
    keys.sort(axis=-1)
    unit = keys & ((1 << bits) - 1)
    keys >>= bits
    start = np.ones(keys.shape, dtype=bool)
    np.not_equal(keys[:, 1:], keys[:, :-1], out=start[:, 1:])
    _add_counts(unit, start, counts)


def _add_counts(unit: Ints, start: Flags, counts: Ints) -> None:
    """counts[unit * m + rank - 1] += 1 for rows sorted best first, `start` marking the
    first position of each tie group (a unit's rank is 1 + the first position of its group)."""
    m = unit.shape[-1]
    unit *= m
    if start.all():
        unit += np.arange(m, dtype=np.int64)
    else:
        pos = np.arange(m, dtype=np.int64)
        unit += np.maximum.accumulate(np.where(start, pos, 0), axis=-1)
    counts += np.bincount(unit.ravel(), minlength=m * m)


def _accumulate_by_argsort(scores: Array, counts: Ints) -> None:
    """`accumulate_rank_counts` for any finite scores (argsort of the rounded scores)."""
    s = np.round(scores, DECIMALS)
    order = np.argsort(-s, axis=-1)
    ordered = np.take_along_axis(s, order, axis=-1)
    start = np.ones(s.shape, dtype=bool)
    start[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
    _add_counts(order.astype(np.int64), start, counts)
