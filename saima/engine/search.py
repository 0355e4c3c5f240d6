"""Numeric gap search (数值搜索), for every method without a closed form.

Each step re-scores one candidate value for every open unit of a group at once (one batched
NumPy evaluation of B candidates: column j replaced, normalised, weighted and aggregated; the
threshold read from a short list of competitors): an exponential bracket, then Illinois
false-position steps down to `RELATIVE_TOLERANCE` of max(range of the indicator, |value|).
The reported change is one that suffices; where float noise could decide it, it is confirmed
as `rank` computes it (`confirmation`).
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from .confirmation import TIE_REACH, confirm_gaps
from .pipeline import ScopeModel
from .scheme import Scheme
from .scoring import HALF_STEP, Check, margin_check, scope_scores

Array = NDArray[np.float64]
Rows = NDArray[np.intp]
Flags = NDArray[np.bool_]

RELATIVE_TOLERANCE = 1e-9
MAX_DOUBLINGS = 24  # changes up to 2^20 times the indicator's range in the scope
MAX_SHRINKS = 40  # geometric "lower": steps towards 0 (the value must stay positive)
MAX_HALVINGS = 60
COMPETITORS = 48  # extra competitors beyond the quota scored during the search


def numeric_gaps(
    scheme: Scheme, scope: ScopeModel, todo: Rows, members: Rows, quota: int, j: int, higher: bool
) -> Array:
    """Numeric gaps of one indicator within one group: search with the leading competitors,
    then verify against the whole group and search again where a competitor was missed.

    Where the change found only ties within the ranking's rounding, float noise would decide
    whether re-ranking selects the unit, so those units are searched again for a margin of
    one rounding step, taken when it lies within TIE_REACH × max(range, |value|, |change|)
    (otherwise the tie lasts, e.g. a plateau, and the change found stands). Finally, changes
    whose selection float noise could decide are confirmed as `rank` computes it (`confirm_gaps`)."""
    if quota >= members.size:
        return np.zeros(todo.size)
    nominal = scope_scores(scope)
    order = members[np.argsort(-nominal[members], kind="stable")]
    short = np.sort(order[: quota + 1 + COMPETITORS])
    found, tied, margin = _find(scheme, scope, todo, short, members, quota, j, higher, strict=False)
    column = scope.raw[:, j]
    span = float(np.nanmax(column) - np.nanmin(column))
    tie = np.flatnonzero(tied & ~np.isnan(found))
    if tie.size:
        clear, _, clear_margin = _find(
            scheme, scope, todo[tie], short, members, quota, j, higher, strict=True
        )
        reach = TIE_REACH * np.maximum(
            np.maximum(span, np.abs(column[todo[tie]])), np.abs(found[tie])
        )
        ok = np.abs(clear - found[tie]) <= reach  # NaN (no clear margin) fails too
        found[tie[ok]], margin[tie[ok]] = clear[ok], clear_margin[ok]
    return confirm_gaps(scheme, scope, todo, members, quota, j, higher, found, margin)


def _find(
    scheme: Scheme,
    scope: ScopeModel,
    todo: Rows,
    short: Rows,
    members: Rows,
    quota: int,
    j: int,
    higher: bool,
    *,
    strict: bool,
) -> tuple[Array, Flags, Array]:
    """`_search` with the short list, then against the whole group where a found change is
    not enough there; also the (fast) margin against the whole group at each found change. Fewer rivals can only raise the margin, so the short list's NaN (no
    bracketed value selects the unit) holds for the whole group too, which would try the same
    values. `strict` asks for a margin of at least one rounding step instead of a tie."""
    column = scope.raw[:, j]
    shortlist = margin_check(scheme, scope, short, quota, j, strict=strict)
    found, tied, margin = _search(shortlist, todo, column, higher, scheme)
    done = np.flatnonzero(~np.isnan(found))
    if short.size < members.size and done.size:
        full = margin_check(scheme, scope, members, quota, j, strict=strict)
        margin[done] = full(todo[done], column[todo[done]] + found[done])
        bad = done[margin[done] < 0]
        if bad.size:
            found[bad], tied[bad], margin[bad] = _search(full, todo[bad], column, higher, scheme)
    if strict:
        margin += HALF_STEP
    return found, tied, margin


def _search(
    check: Check, todo: Rows, column: Array, higher: bool, scheme: Scheme
) -> tuple[Array, Flags, Array]:
    """Smallest sufficient signed change for each unit in `todo` (NaN when none is found),
    whether it only ties within the ranking's rounding, and the margin there.

    The margin to the quota is continuous and increasing in the change for most methods, so
    after bracketing, Illinois false-position steps (with a bisection every sixth step, which
    keeps the search safe for step-shaped margins such as rank normalisation) find the
    boundary in a few evaluations; every step is one batched evaluation of all open units.
    """
    x0 = column[todo]
    sign = 1.0 if higher else -1.0
    span = float(np.nanmax(column) - np.nanmin(column))
    scale = np.full(x0.shape, span if span > 0 else 1.0)
    positive_only = scheme.method.aggregate == "geometric" and not higher
    lo, f_lo = np.zeros(x0.shape), check(todo, x0)
    hi, f_hi = np.full(x0.shape, np.nan), np.full(x0.shape, np.nan)
    open_ = np.flatnonzero(f_lo < 0)
    hi[f_lo >= 0], f_hi[f_lo >= 0] = 0.0, f_lo[f_lo >= 0]
    for k in range(MAX_SHRINKS if positive_only else MAX_DOUBLINGS):
        if open_.size == 0:
            break
        if positive_only:
            delta = x0[open_] * (1.0 - 2.0 ** -(k + 1))
        else:
            delta = scale[open_] * 2.0 ** (k - 3)
        f = check(todo[open_], x0[open_] + sign * delta)
        ok = f >= 0
        hi[open_[ok]], f_hi[open_[ok]] = delta[ok], f[ok]
        lo[open_[~ok]], f_lo[open_[~ok]] = delta[~ok], f[~ok]
        open_ = open_[~ok]
    live = np.flatnonzero(~np.isnan(hi))
    side = np.zeros(x0.shape, dtype=np.int8)
    half = RELATIVE_TOLERANCE / 2 * np.maximum(scale, np.abs(x0))
    for step in range(MAX_HALVINGS):
        live = live[(hi[live] - lo[live]) > half[live]]
        if live.size == 0:
            break
        a, b, fa, fb = lo[live], hi[live], f_lo[live], f_hi[live]
        # a margin of exactly 0 is a tie within the ranking's rounding: interpolate as if it
        # were half a rounding step up, or false position would stall at b and only bisect
        fb = np.maximum(fb, HALF_STEP)
        denom = np.where(fb - fa > 0, fb - fa, 1.0)
        guess = b - fb * (b - a) / denom
        bisect = (step % 6 == 5) | ~(guess > a) | ~(guess < b) | ~np.isfinite(guess)
        mid = np.where(bisect, (a + b) / 2, guess)
        f = check(todo[live], x0[live] + sign * mid)
        ok = f >= 0
        up, down = live[ok], live[~ok]
        hi[up], f_hi[up] = mid[ok], f[ok]
        lo[down], f_lo[down] = mid[~ok], f[~ok]
        f_lo[up[side[up] == 1]] /= 2  # Illinois: the kept end's value is halved
        f_hi[down[side[down] == -1]] /= 2
        side[up], side[down] = 1, -1
    # An end that only ties within the ranking's rounding (margin exactly 0) sits where float
    # noise decides: step half a tolerance further where that still selects, so re-ranking
    # with the reported change agrees (the total stays within the stated tolerance).
    tied = (f_hi == 0) & (hi > 0)
    tie = np.flatnonzero(tied)
    if tie.size:
        beyond = hi[tie] + half[tie]
        f = check(todo[tie], x0[tie] + sign * beyond)
        hi[tie[f >= 0]], f_hi[tie[f >= 0]] = beyond[f >= 0], f[f >= 0]
        tied[tie[f > 0]] = False
    return sign * hi, tied, f_hi
