"""Explanations (差距): for each unselected unit and indicator, the smallest change of that raw
value that brings the unit into its group's quota, all other raw values fixed.

Min-max normalisation with arithmetic aggregation and data-independent weights (fixed, equal,
AHP) and no winsorising has an exact closed form (`closed.exact_gaps`). Every other method
re-scores candidate values numerically, batched over all units of a group at once for one
indicator: each step is one NumPy evaluation of B candidates (column j replaced, normalised,
weighted and aggregated; the threshold read from a short list of competitors), an exponential
bracket and then Illinois false-position steps down to `RELATIVE_TOLERANCE` of
max(range of the indicator, |value|). The reported change is one that suffices.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .aggregate import scores
from .closed import exact_gaps, others_bounds
from .normalise import minmax, normalise, winsorise
from .pipeline import (
    Prepared,
    ScopeModel,
    build_scope,
    directions,
    effective_weights,
    goals,
    information_matrix,
)
from .ranking import DECIMALS, competition_ranks
from .replaced import (
    FRAGILE,
    critic_information_replaced,
    critic_state,
    entropy_divergence_replaced,
    winsorised_bounds_replaced,
)
from .scheme import Scheme
from .weights import critic_information, entropy_divergence

Array = NDArray[np.float64]
Rows = NDArray[np.intp]
Flags = NDArray[np.bool_]
Check = Callable[[Rows, Array], Array]
Weigh = Callable[[Rows, Array], Array]
Score = Callable[[Rows, Array], tuple[Array, Array]]

RELATIVE_TOLERANCE = 1e-9
MAX_DOUBLINGS = 24  # changes up to 2^20 times the indicator's range in the scope
MAX_SHRINKS = 40  # geometric "lower": steps towards 0 (the value must stay positive)
MAX_HALVINGS = 60
COMPETITORS = 48  # extra competitors beyond the quota scored during the search
FAST_WEIGHTS = ("fixed", "equal", "ahp")
CLIPPED_ONLY = ("minmax", "target")  # winsorised n needs only the candidate's bounds
CHUNK_CELLS = 65_536  # candidates × rivals scored at once
TIE_REACH = 1e-7  # how far past a rounding tie the reported change may step
HALF_STEP = 0.5 * 10.0**-DECIMALS  # half the resolution of rounded scores
# The fast path's scores differ from the rebuilt pipeline's (`rank`) by float noise, at most
# SCORE_NOISE × score scale × (1 + log2 max(1, |change| / max(range, |value|))) (measured:
# below 2e-14 relative); rounded to DECIMALS they can then differ by one step where a score
# lies within that noise of a rounding edge. A found change whose fast margin is below
# CONFIRM_STEPS rounding steps with such a score involved is confirmed by rebuilding the scope
# as `rank` does, stepping out up to TIE_REACH × max(range, |value|, |change|) if needed.
CONFIRM_STEPS = 1.5  # a margin of two steps survives a one-step flip of every score
SCORE_NOISE = 5e-14
CONFIRM_HALVINGS = 16  # outward steps tried: reach × 2^-16, …, reach / 2, reach


def gaps(
    scheme: Scheme, prepared: Prepared, selected: Flags, quotas: list[int]
) -> dict[str, Array]:
    """Signed raw change per indicator code (0 for selected units, NaN where that indicator
    alone cannot bring the unit in, or where its value is missing)."""
    n_units = prepared.group_index.size
    out = {i.code: np.full(n_units, np.nan) for i in scheme.indicators}
    closed = has_closed_form(scheme)
    for j, indicator in enumerate(scheme.indicators):
        out[indicator.code][selected] = 0.0
        higher = indicator.direction == "higher"
        for g, quota in enumerate(quotas):
            scope, inside = prepared.scope_of_group(g)
            rows = scope.rows[inside]
            todo = inside[~selected[rows] & ~np.isnan(scope.raw[inside, j])]
            if todo.size == 0 or quota == 0:
                continue
            if closed:
                found = _closed(scope, todo, inside, quota, j, higher)
            else:
                found = _numeric(scheme, scope, todo, inside, quota, j, higher)
            out[indicator.code][scope.rows[todo]] = found
    return out


def has_closed_form(scheme: Scheme) -> bool:
    """True when `closed.exact_gaps` applies: minmax, arithmetic, data-independent weights,
    no winsorising."""
    m = scheme.method
    return (
        m.normalise == "minmax"
        and m.aggregate == "arithmetic"
        and m.weighting in FAST_WEIGHTS
        and m.winsorise <= 0
    )


def _closed(
    scope: ScopeModel, todo: Rows, members: Rows, quota: int, j: int, higher: bool
) -> Array:
    """Exact gaps of one indicator within one group (see `closed`)."""
    w = scope.weights
    present = scope.terms.present
    weight_total = present @ w
    safe = np.where(weight_total > 0, weight_total, 1.0)
    b = 100.0 * w[j] / safe * present[:, j]
    c = 100.0 * (scope.terms.linear @ w - scope.terms.linear[:, j] * w[j]) / safe
    sign = 1.0 if higher else -1.0
    z = sign * scope.raw[:, j]
    return sign * exact_gaps(z, c, b, todo, members, quota)


@dataclass(frozen=True)
class Column:
    """Normalised column j after replacing one value per candidate: n at the scored rows
    (B, r), n of the moved unit (B,), the column's ideal and anti-ideal n (B,), and the
    effective weights (B or 1, k)."""

    rows: Array
    own: Array
    ideal: Array
    anti: Array
    weights: Array


def _numeric(
    scheme: Scheme, scope: ScopeModel, todo: Rows, members: Rows, quota: int, j: int, higher: bool
) -> Array:
    """Numeric gaps of one indicator within one group: search with the leading competitors,
    then verify against the whole group and search again where a competitor was missed.

    Where the change found only ties within the ranking's rounding, float noise would decide
    whether re-ranking selects the unit, so those units are searched again for a margin of
    one rounding step, taken when it lies within TIE_REACH × max(range, |value|, |change|)
    (otherwise the tie lasts, e.g. a plateau, and the change found stands). Finally, changes
    whose selection float noise could decide are confirmed as `rank` computes it (`_confirm`)."""
    if quota >= members.size:
        return np.zeros(todo.size)
    nominal = _scope_scores(scope)
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
    return _confirm(scheme, scope, todo, members, quota, j, higher, found, margin)


def _confirm(
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
            if _rebuilt_selects(scheme, scope, members, quota, j, position, start + moved):
                out[at] = moved
                break
    return out


def _noise(scope: ScopeModel, positions: Rows, j: int, changes: Array) -> Array:
    """The bound on the difference between fast and rebuilt scores at each change."""
    column = scope.raw[:, j]
    span = float(np.nanmax(column) - np.nanmin(column))
    scale = np.maximum(span if span > 0 else 1.0, np.abs(column[positions]))
    score_scale = max(1.0, float(np.abs(_scope_scores(scope)).max()))
    ratio = np.maximum(1.0, np.abs(changes) / scale)
    return np.asarray(SCORE_NOISE * score_scale * (1.0 + np.log2(ratio)), dtype=np.float64)


def _near_edge(scheme: Scheme, scope: ScopeModel, positions: Rows, j: int, changes: Array) -> Flags:
    """Whether the unit's own (fast) score at each change lies within the noise bound of a
    rounding edge (O(k) per candidate: no rivals are scored)."""
    score = _scorer(scheme, scope, np.zeros(0, dtype=np.intp), j, rounded=False)
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
    score = _scorer(scheme, scope, members, j, rounded=False)
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


def _rebuilt_selects(
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
    shortlist = _check(scheme, scope, short, quota, j, strict=strict)
    found, tied, margin = _search(shortlist, todo, column, higher, scheme)
    done = np.flatnonzero(~np.isnan(found))
    if short.size < members.size and done.size:
        full = _check(scheme, scope, members, quota, j, strict=strict)
        margin[done] = full(todo[done], column[todo[done]] + found[done])
        bad = done[margin[done] < 0]
        if bad.size:
            found[bad], tied[bad], margin[bad] = _search(full, todo[bad], column, higher, scheme)
    if strict:
        margin += HALF_STEP
    return found, tied, margin


def _scope_scores(scope: ScopeModel) -> Array:
    """The scope's nominal scores."""
    return np.asarray(scores(scope.terms, scope.weights[None, :])[0], dtype=np.float64)


def _check(
    scheme: Scheme, scope: ScopeModel, rivals: Rows, quota: int, j: int, *, strict: bool = False
) -> Check:
    """A function (positions, new values) -> own score minus the quota-th best score among
    `rivals` other than the unit itself (>= 0: selected), each rounded to DECIMALS; `strict`
    subtracts half a rounding step, so that a tie no longer counts."""
    score = _scorer(scheme, scope, rivals, j)
    offset = HALF_STEP if strict else 0.0
    m = rivals.size

    def check(positions: Rows, values: Array) -> Array:
        if quota > m - 1:
            return np.full(positions.size, np.inf)
        out = np.empty(positions.size)
        step = max(1, CHUNK_CELLS // max(m, 1))
        for start in range(0, positions.size, step):  # blocks that stay in cache
            part = slice(start, start + step)
            s_own, s_rivals = score(positions[part], values[part])
            kth = np.partition(s_rivals, m - quota, axis=1)[:, m - quota]
            out[part] = s_own - kth - offset
        return out

    return check


def _scorer(
    scheme: Scheme, scope: ScopeModel, rivals: Rows, j: int, *, rounded: bool = True
) -> Score:
    """A function (positions, new values) -> (own scores (B,), rivals' scores (B, r) with the
    unit itself at -inf), rounded to DECIMALS (unless `rounded` is False).

    The rivals' terms over the other indicators are gathered once; with weights that do not
    move (fixed, equal, AHP) their weighted sums are computed once too."""
    terms = scope.terms
    keep = np.arange(scope.weights.size) != j
    kind = terms.kind
    weigh = candidate_weights(scheme, scope, j)
    # arithmetic without missing values: a score is 100 (sum_l w_l n_l) / sum_l w_l
    complete = bool((terms.present > 0).all())
    lean = kind == "arithmetic" and complete
    names = ("linear",) if lean else _part_names(kind)
    gathered = {name: getattr(terms, name)[rivals][:, keep].T.copy() for name in names}
    own_terms = {name: getattr(terms, name)[:, keep] for name in names}
    present_j = terms.present[rivals, j][None, :]
    steady: dict[str, Array] = {}  # rivals' sums when the weights cannot move
    still = scheme.method.weighting in FAST_WEIGHTS
    m = rivals.size

    def score(positions: Rows, values: Array) -> tuple[Array, Array]:
        col = _column(scheme, scope, rivals, j, positions, values, weigh)
        w = col.weights
        wk = w[:, keep]
        wj = w[:, j : j + 1]
        if still:
            if not steady:
                steady.update(_parts(kind, gathered, wk, matmul=True))
            rival = steady
        else:
            rival = _parts(kind, gathered, wk, matmul=True)
        own = _parts(kind, {k: v[positions] for k, v in own_terms.items()}, wk, matmul=False)
        if kind == "topsis" and complete:
            ideal, anti = col.ideal[:, None], col.anti[:, None]
            s_rivals = topsis_in_place(
                rival["plus"], rival["minus"], wj * wj, col.rows, ideal, anti
            )
            ones = np.ones(positions.size)
            s_own = _score(kind, own, wj[:, 0], col.own, col.ideal, col.anti, ones)
        elif lean:
            scale = 100.0 / w.sum(axis=1)
            s_rivals = np.multiply(col.rows, wj, out=col.rows)
            s_rivals += rival["linear"]
            s_rivals *= scale[:, None]
            s_own = (own["linear"] + wj[:, 0] * col.own) * scale
        else:
            ideal, anti = col.ideal[:, None], col.anti[:, None]
            s_rivals = _score(kind, rival, wj, col.rows, ideal, anti, present_j)
            ones = np.ones(positions.size)
            s_own = _score(kind, own, wj[:, 0], col.own, col.ideal, col.anti, ones)
        if rounded:
            s_rivals = np.round(s_rivals, DECIMALS, out=s_rivals)
            s_own = np.round(s_own, DECIMALS)
        if m:
            at = np.searchsorted(rivals, positions)  # rivals are sorted
            mine = np.flatnonzero(rivals[np.minimum(at, m - 1)] == positions)
            s_rivals[mine, at[mine]] = -np.inf
        return s_own, s_rivals

    return score


def topsis_in_place(
    plus: Array, minus: Array, wj2: Array, n: Array, ideal: Array, anti: Array
) -> Array:
    """TOPSIS scores 100 S- / (S+ + S-) with S±² = (sums over the other indicators) +
    w_j² (n - ideal±)², for (B, r) rivals without missing values, overwriting n.

    >>> topsis_in_place(np.array([[0.0]]), np.array([[0.0]]), np.array([[1.0]]),
    ...                 np.array([[0.25]]), np.array([[1.0]]), np.array([[0.0]])).tolist()
    [[25.0]]
    """
    far = n - anti
    far *= far
    far *= wj2
    far += minus
    np.sqrt(far, out=far)
    near = np.subtract(n, ideal, out=n)
    near *= near
    near *= wj2
    near += plus
    np.sqrt(near, out=near)
    near += far  # now S+ + S-
    far *= 100.0
    flat = near == 0  # every indicator constant: everybody is ideal
    np.divide(far, near, out=far, where=~flat)
    far[flat] = 100.0
    return far


def _part_names(kind: str) -> tuple[str, ...]:
    """The terms an aggregation sums over the other indicators."""
    if kind == "geometric":
        return ("linear", "present", "log", "zero")
    if kind == "topsis":
        return ("plus", "minus")
    return ("linear", "present")


def _parts(kind: str, values: dict[str, Array], wk: Array, *, matmul: bool) -> dict[str, Array]:
    """Weighted sums over the indicators other than j: (B, r) for rivals (matmul; values are
    (k - 1, r)) or (B,) row by row for the moved units (values are (B, k - 1))."""
    weights = {"linear": wk, "present": wk}
    if kind == "geometric":
        weights |= {"log": wk, "zero": (wk > 0).astype(np.float64)}
    if kind == "topsis":
        weights = {"plus": wk * wk, "minus": wk * wk}
    out = {}
    for name in values:
        ww = weights[name]
        if matmul:
            out[name] = ww @ values[name]
        else:
            out[name] = (values[name] * ww).sum(axis=-1)
    return out


def _score(
    kind: str,
    parts: dict[str, Array],
    wj: Array,
    n: Array,
    ideal: Array,
    anti: Array,
    present: Array,
) -> Array:
    """Scores from the other indicators' sums plus indicator j's normalised value n."""
    if kind == "topsis":
        w2 = wj * wj * present
        plus = np.sqrt(parts["plus"] + w2 * (n - ideal) ** 2)
        minus = np.sqrt(parts["minus"] + w2 * (n - anti) ** 2)
        total = plus + minus
        out = np.full(total.shape, 100.0)
        np.divide(100.0 * minus, total, out=out, where=total > 0)
        return out
    n = np.where(present > 0, n, 0.0)
    den = parts["present"] + wj * present
    safe = np.where(den > 0, den, 1.0)
    if kind == "arithmetic":
        return np.asarray(100.0 * (parts["linear"] + wj * n) / safe, dtype=np.float64)
    positive = n > 0
    log = np.where(positive, np.log(np.where(positive, n, 1.0)), 0.0)
    hit = parts["zero"] + ((wj > 0) & ~positive & (present > 0))
    return np.where(hit > 0, 0.0, 100.0 * np.exp((parts["log"] + wj * log) / safe))


def candidate_weights(scheme: Scheme, scope: ScopeModel, j: int) -> Weigh | None:
    """A function (positions, values) -> effective weights (B or 1, k) with column j's value
    replaced per candidate, in O(k) per candidate (see `replaced`); None when the column must
    be rebuilt instead (winsorising moves quantiles; a missing value in column j moves the mean
    that fills it).

    Fixed, equal and AHP weights do not move. For entropy only d_j changes (the other d_k are
    kept from the scope); for CRITIC every c_l changes, through r_lj. E.g. with entropy
    weights, replacing a unit's value by its own value returns the scope's weights, and
    raising the only unit at the minimum of a column to the others' level makes the column
    carry less information, so its weight falls.
    """
    kind = scheme.method.weighting
    if kind in FAST_WEIGHTS:
        return lambda positions, values: scope.weights[None, :]
    raw = scope.raw[:, j]
    if scheme.method.winsorise > 0 or np.isnan(raw).any():
        return None
    sign = 1.0 if directions(scheme)[j] else -1.0
    z = sign * raw
    if kind == "entropy":

        def entropy(positions: Rows, values: Array) -> Array:
            base = np.repeat(scope.base[None, :], positions.size, axis=0)
            base[:, j] = entropy_divergence_replaced(z, positions, sign * values)
            return effective_weights(scheme, base)

        return entropy
    state = critic_state(information_matrix(scheme, scope.raw), j)

    def critic(positions: Rows, values: Array) -> Array:
        info = critic_information_replaced(state, z, positions, sign * values)
        return effective_weights(scheme, info)

    return critic


def _column(
    scheme: Scheme,
    scope: ScopeModel,
    rivals: Rows,
    j: int,
    positions: Rows,
    values: Array,
    weigh: Weigh | None,
) -> Column:
    """Normalise column j with each candidate's value in place (O(1) per candidate from
    column sums for minmax, vector, zscore and target when the weights have an O(k) update;
    otherwise the whole column, winsorised and normalised as `prepare` does)."""
    raw = scope.raw[:, j]
    higher = bool(directions(scheme)[j])
    kind = scheme.method.normalise
    fast = (
        weigh is not None
        and scheme.method.winsorise <= 0
        and kind in ("minmax", "vector", "zscore", "target")
        and not np.isnan(raw).any()
        and not (kind == "zscore" and nearly_constant(raw, positions, values))
    )
    if fast:
        assert weigh is not None
        stats = _replaced_stats(kind, raw, positions, values)
        goal = float(goals(scheme)[j])

        def n_of(v: Array) -> Array:
            return _normalise_with(kind, v, stats, higher, goal)

        at = [n_of(values), n_of(stats["lo"]), n_of(stats["hi"])]
        ideal = np.maximum.reduce(at)
        anti = np.minimum.reduce(at)
        rows = n_of_rows(kind, raw[rivals], stats, higher, goal)
        return Column(rows, at[0], ideal, anti, weigh(positions, values))
    if scheme.method.winsorise > 0:
        bounds = _winsorised_bounds(raw, positions, values, scheme.method.winsorise)
        if kind in CLIPPED_ONLY and weigh is not None:
            return _winsorised_column(scheme, raw, rivals, j, positions, values, weigh, bounds)
    b = positions.size
    col = np.broadcast_to(raw, (b, raw.size)).copy()
    col[np.arange(b), positions] = values
    if scheme.method.winsorise > 0:
        x = np.clip(col, bounds[0][:, None], bounds[1][:, None])[..., None]
    else:
        x = col[..., None]
    n = normalise(kind, x, directions(scheme)[j : j + 1], goals(scheme)[j : j + 1])[..., 0]
    w = _batch_weights(scheme, scope, x, j) if weigh is None else weigh(positions, values)
    return Column(
        n[:, rivals],
        n[np.arange(b), positions],
        np.nanmax(n, axis=1),
        np.nanmin(n, axis=1),
        w,
    )


def _winsorised_bounds(raw: Array, positions: Rows, values: Array, p: float) -> tuple[Array, Array]:
    """Each candidate's winsorising bounds (the present values' p and 1 - p quantiles, bit
    for bit as `normalise.winsorise`), in O(log m) per candidate from the sorted column.

    >>> [b.tolist() for b in _winsorised_bounds(np.array([0.0, 1.0, 2.0, 100.0]), np.array([3]), np.array([3.0]), 0.25)]
    [[0.75], [2.25]]
    """
    ascending = np.sort(raw[~np.isnan(raw)])
    return winsorised_bounds_replaced(ascending, raw[positions], values, p)


def _winsorised_column(
    scheme: Scheme,
    raw: Array,
    rivals: Rows,
    j: int,
    positions: Rows,
    values: Array,
    weigh: Weigh,
    bounds: tuple[Array, Array],
) -> Column:
    """Column j winsorised and normalised (min-max or target) for each candidate in O(1)
    plus O(r) for the r scored rivals: the clipped column's min and max are the bounds
    themselves, so n = (clip(x, lo, hi) - lo)/(hi - lo), exactly as `prepare` computes it.

    E.g. p = 0.25 and the column (0, 1, 2, 100) with 100 replaced by 3: the bounds become
    0.75 and 2.25, so the raw values 0, 1, 2, 3 get n = 0, 1/6, 5/6, 1.
    """
    kind = scheme.method.normalise
    higher = bool(directions(scheme)[j])
    goal = float(goals(scheme)[j])
    lo, hi = bounds
    stats = {"lo": lo, "hi": hi}

    def n_of(v: Array) -> Array:
        return _normalise_with(kind, np.clip(v, lo, hi), stats, higher, goal)

    at = [n_of(values), n_of(lo), n_of(hi)]
    clipped = np.clip(raw[rivals][None, :], lo[:, None], hi[:, None])
    rows = _normalise_with(kind, clipped, {"lo": lo[:, None], "hi": hi[:, None]}, higher, goal)
    ideal, anti = np.maximum.reduce(at), np.minimum.reduce(at)
    return Column(rows, at[0], ideal, anti, weigh(positions, values))


def n_of_rows(kind: str, v: Array, stats: dict[str, Array], higher: bool, goal: float) -> Array:
    """`_normalise_with` for a row vector of raw values against B column states -> (B, r)."""
    expanded = {k: s[:, None] for k, s in stats.items()}
    return _normalise_with(kind, v[None, :], expanded, higher, goal)


def _replaced_stats(kind: str, raw: Array, positions: Rows, values: Array) -> dict[str, Array]:
    """Column statistics after raw[positions[b]] := values[b], for each b, in O(1) each.

    >>> s = _replaced_stats("minmax", np.array([1.0, 5.0, 3.0]), np.array([0]), np.array([9.0]))
    >>> (s["lo"].tolist(), s["hi"].tolist())
    ([3.0], [9.0])
    """
    ascending = np.sort(raw)
    own = raw[positions]
    if ascending.size > 1:
        lo_o = np.where(own == ascending[0], ascending[1], ascending[0])
        hi_o = np.where(own == ascending[-1], ascending[-2], ascending[-1])
    else:
        lo_o = hi_o = values
    stats = {"lo": np.minimum(lo_o, values), "hi": np.maximum(hi_o, values)}
    if kind == "vector":
        total = float((raw * raw).sum())
        stats["norm"] = np.sqrt(np.maximum(total - own * own + values * values, 0.0))
    if kind == "zscore":
        m = raw.size
        centre = float(raw.mean())
        d_own, d_new = own - centre, values - centre
        s1 = float((raw - centre).sum()) - d_own + d_new
        s2 = float(((raw - centre) ** 2).sum()) - d_own * d_own + d_new * d_new
        mean = s1 / m
        stats["mean"] = centre + mean
        stats["std"] = np.sqrt(np.maximum(s2 / m - mean * mean, 0.0))
    return stats


def nearly_constant(raw: Array, positions: Rows, values: Array) -> bool:
    """True when some candidate leaves column j nearly constant (spread below FRAGILE times
    the values' size), where z-scores are dominated by rounding and the O(1) updated sums
    cancel: such batches are normalised from the whole column, as `prepare` does.

    >>> nearly_constant(np.array([2.0, 2.0, 3.0]), np.array([2]), np.array([2.0 + 1e-12]))
    True
    """
    size = float(np.abs(raw).max()) if raw.size else 0.0
    others_lo, others_hi = others_bounds(raw, positions)
    spread = np.maximum(others_hi, values) - np.minimum(others_lo, values)
    return bool((spread < FRAGILE * max(size, float(np.abs(values).max()))).any())


def _normalise_with(
    kind: str, v: Array, stats: dict[str, Array], higher: bool, goal: float
) -> Array:
    """n of raw values v under the given column statistics (same formulas as `normalise`)."""
    if kind == "minmax":
        lo, hi = stats["lo"], stats["hi"]
        span = hi - lo
        safe = np.where(span > 0, span, 1.0)
        n = (v - lo) / safe if higher else (hi - v) / safe
        return np.asarray(np.where(span > 0, n, 1.0), dtype=np.float64)
    if kind == "vector":
        norm = stats["norm"]
        r = v / np.where(norm > 0, norm, 1.0)
        return np.asarray(r if higher else 1.0 - r, dtype=np.float64)
    if kind == "zscore":
        std = stats["std"]
        z = np.where(std > 0, (v - stats["mean"]) / np.where(std > 0, std, 1.0), 0.0 * v)
        return np.asarray(z if higher else -z, dtype=np.float64)
    up = np.clip(v / goal, 0.0, 1.0)
    down = np.where(v <= goal, 1.0, goal / np.where(v > goal, v, 1.0))
    return np.asarray((up if higher else down) + 0.0 * stats["lo"], dtype=np.float64)


def margin_to_quota(
    group_scores: Array, own: Array, positions: Rows, members: Rows, quota: int
) -> Array:
    """own score minus the quota-th best score among the other group members (>= 0: selected).

    >>> margin_to_quota(np.array([[5.0, 7.0, 6.0]]), np.array([5.0]), np.array([0]), np.array([0, 1, 2]), 2)
    array([-1.])
    """
    others = group_scores.copy()
    is_self = members[None, :] == positions[:, None]
    others[is_self] = -np.inf
    m = others.shape[1]
    if quota >= m:
        return np.full(own.shape, np.inf)
    kth = np.partition(others, m - quota, axis=1)[:, m - quota]
    return np.asarray(own - kth, dtype=np.float64)


def _batch_weights(scheme: Scheme, scope: ScopeModel, x: Array, j: int) -> Array:
    """Effective weights (B, k) when column j of the scope is replaced by x (B, m, 1)."""
    b = x.shape[0]
    kind = scheme.method.weighting
    if kind in FAST_WEIGHTS:
        return scope.weights[None, :]
    info_col = information_matrix_column(scheme, x, j)
    base = np.broadcast_to(scope.base, (b, scope.base.size)).copy()
    if kind == "entropy":
        base[:, j] = entropy_divergence(info_col)[:, 0]
    else:
        info = np.broadcast_to(
            information_matrix(scheme, winsorise(scope.raw, scheme.method.winsorise)),
            (b, *scope.raw.shape),
        ).copy()
        info[:, :, j] = info_col[:, :, 0]
        base = critic_information(info)
    return effective_weights(scheme, base)


def information_matrix_column(scheme: Scheme, x: Array, j: int) -> Array:
    """`information_matrix` for one (batched) column j."""
    n = minmax(x, directions(scheme)[j : j + 1])
    means = np.nanmean(n, axis=-2, keepdims=True)
    return np.where(np.isnan(n), means, n)


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
