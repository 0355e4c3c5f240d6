"""Confirmation against `rank` (复核): the fast path's scores differ from the rebuilt
pipeline's by float noise, at most SCORE_NOISE × score scale × (1 + log2 max(1, |change| /
max(range, |value|))) (measured: below 2e-14 relative); rounded to DECIMALS they can then
differ by one step where a score lies within that noise of a rounding edge. A found change
whose fast margin is below CONFIRM_STEPS rounding steps with such a score involved is
confirmed by rebuilding the scope as `rank` does, stepping out up to TIE_REACH × max(range,
|value|, |change|) if needed.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .aggregate import scores
from .pipeline import ScopeModel, build_scope
from .ranking import DECIMALS, competition_ranks
from .scheme import Scheme
from .scoring import CHUNK_CELLS, HALF_STEP, candidate_scorer, scope_scores

Array = NDArray[np.float64]
Rows = NDArray[np.intp]
Flags = NDArray[np.bool_]

TIE_REACH = 1e-7  # how far past a rounding tie the reported change may step
CONFIRM_STEPS = 1.5  # a margin of two steps survives a one-step flip of every score
SCORE_NOISE = 5e-14
CONFIRM_HALVINGS = 16  # outward steps tried: reach × 2^-16, …, reach / 2, reach


def confirm_gaps(
    scheme: Scheme,
    scope: ScopeModel,
    todo: Rows,
    members: Rows,
    quota: int,
    j: int,
    higher: bool,
    found: Array,
    margin: Array,
) -> Array:
    """Make the fast path and `rank` agree. Where float noise could flip the decision at a
    found change (a fast margin below CONFIRM_STEPS rounding steps, and `_fragile`), re-rank
    with the scope rebuilt as `rank` does; if that does not select the unit, step outward by
    TIE_REACH × max(range, |value|, |change|) × 2^-h (h = CONFIRM_HALVINGS, …, 1, 0) and take
    the first step it selects; if none does, NaN.

    Such suspects are rare, so they are rebuilt one by one."""
    step = 10.0**-DECIMALS
    near = np.flatnonzero(~np.isnan(found) & (margin < CONFIRM_STEPS * step))
    column = scope.raw[:, j]
    # with a margin of a whole step, only the unit's own score next to an edge can flip it
    clear = margin[near] >= 0.5 * step
    if clear.any():
        edge = _near_edge(scheme, scope, todo[near[clear]], j, found[near[clear]])
        clear[np.flatnonzero(clear)[edge]] = False
        near = near[~clear]
    if near.size == 0:
        return found
    fragile = _fragile(scheme, scope, todo[near], members, quota, j, found[near], margin[near])
    suspects = near[fragile]
    span = float(np.nanmax(column) - np.nanmin(column))
    sign = 1.0 if higher else -1.0
    out = found.copy()
    for at in suspects:
        position = int(todo[at])
        start, value = float(column[position]), float(found[at])
        reach = TIE_REACH * max(span, abs(start), abs(value))
        steps = [0.0] + [reach * 2.0**-h for h in range(CONFIRM_HALVINGS, -1, -1)]
        out[at] = np.nan
        for step in steps:
            moved = value + sign * step
            if rebuilt_selects(scheme, scope, members, quota, j, position, start + moved):
                out[at] = moved
                break
    return out


def _noise(scope: ScopeModel, positions: Rows, j: int, changes: Array) -> Array:
    """The bound on the difference between fast and rebuilt scores at each change."""
    column = scope.raw[:, j]
    span = float(np.nanmax(column) - np.nanmin(column))
    scale = np.maximum(span if span > 0 else 1.0, np.abs(column[positions]))
    score_scale = max(1.0, float(np.abs(scope_scores(scope)).max()))
    ratio = np.maximum(1.0, np.abs(changes) / scale)
    return np.asarray(SCORE_NOISE * score_scale * (1.0 + np.log2(ratio)), dtype=np.float64)


def _near_edge(scheme: Scheme, scope: ScopeModel, positions: Rows, j: int, changes: Array) -> Flags:
    """Whether the unit's own (fast) score at each change lies within the noise bound of a
    rounding edge (O(k) per candidate: no rivals are scored)."""
    score = candidate_scorer(scheme, scope, np.zeros(0, dtype=np.intp), j, rounded=False)
    own = score(positions, scope.raw[positions, j] + changes)[0]
    distance = HALF_STEP - np.abs(own - np.round(own, DECIMALS))
    return np.asarray(distance <= _noise(scope, positions, j, changes))


def _fragile(
    scheme: Scheme,
    scope: ScopeModel,
    positions: Rows,
    members: Rows,
    quota: int,
    j: int,
    changes: Array,
    margin: Array,
) -> Flags:
    """Whether float noise could make `rank` disagree with the fast path at each found change
    (fast margin below CONFIRM_STEPS rounding steps): a score deciding it lies within the
    noise bound of a rounding edge, i.e. with every score moved by up to that bound against
    the unit it would not be selected (a noise bound of half a step or more, or a negative
    fast margin: always)."""
    step = 10.0**-DECIMALS
    values = scope.raw[positions, j] + changes
    noise = _noise(scope, positions, j, changes)
    score = candidate_scorer(scheme, scope, members, j, rounded=False)
    out = np.zeros(positions.size, dtype=bool)
    size = max(1, CHUNK_CELLS // max(members.size, 1))
    for start in range(0, positions.size, size):
        part = slice(start, start + size)
        s_own, s_rivals = score(positions[part], values[part])
        bound = noise[part]
        # the unit's rank, scores moved by up to the noise bound against it
        low = np.round(s_own - bound, DECIMALS)
        high = np.round(s_rivals + bound[:, None], DECIMALS)
        above = (high > low[:, None]).sum(axis=1)
        noisy = (above >= quota) | (bound >= 0.5 * step)
        out[part] = noisy | (margin[part] < 0)
    return out


def rebuilt_selects(
    scheme: Scheme, scope: ScopeModel, members: Rows, quota: int, j: int, position: int, x: float
) -> bool:
    """Whether the unit at `position` is selected when its raw value j is x, with the scope
    rebuilt (winsorised, normalised, weighed, scored, ranked) exactly as `rank` does."""
    raw = scope.raw.copy()
    raw[position, j] = x
    built = build_scope(scheme, scope.rows, raw)
    score = scores(built.terms, built.weights[None, :])[0]
    ranks = competition_ranks(np.asarray(score, dtype=np.float64)[members])
    return bool(ranks[np.searchsorted(members, position)] <= quota)
