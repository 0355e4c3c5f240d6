"""Hypothesis invariants: standardising removes a judge's leniency (shift) and scale; judge
order does not matter; contestant order only permutes the result."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from saima.engine.judging import Contest, JudgingResult, Rules, judge_contest
from saima.engine.judging.totals import tie_ranks

from .factories import make_contest

TOL = 1e-9


@st.composite
def contests(draw: st.DrawFn, *, criteria: int | None = None, panels: int | None = None) -> Contest:
    """Scores on a 1–5 grid of halves (ties likely) out of 10, some unscored (judge 0 scores
    everything), one or two panels with every panel seated."""
    j = draw(st.integers(3, 8))
    c = draw(st.integers(2, 6))
    k = criteria or draw(st.integers(1, 3))
    p = panels or draw(st.integers(1, 2))
    grid = draw(st.lists(st.integers(2, 10), min_size=j * c * k, max_size=j * c * k))
    scores = np.array(grid, dtype=float).reshape(j, c, k) / 2
    gaps = np.array(draw(st.lists(st.booleans(), min_size=j * c * k, max_size=j * c * k)))
    gaps = gaps.reshape(j, c, k) & draw(st.booleans())
    gaps[:p] = False  # the first judge of each panel (judges 0 and 1) scores everything
    scores[gaps] = np.nan
    seats = (
        ("a",)
        + ("b",) * (p - 1)
        + tuple(draw(st.sampled_from(("a", "b")[:p])) for _ in range(j - p))
    )
    return make_contest(
        scores,
        weights=tuple(float(w) for w in draw(st.lists(st.integers(1, 5), min_size=k, max_size=k))),
        panels=(("a", 0.6), ("b", 0.4))[:p],
        judge_panels=seats,
        rules=Rules(method="standardised", tiebreak="k0"),
    )


def rescored(contest: Contest, judge: int, scale: float, shift: float) -> JudgingResult:
    scores = contest.scores.copy()
    scores[judge] = scores[judge] * scale + shift
    return judge_contest(Contest(**{**contest.__dict__, "scores": scores}))


@settings(max_examples=80, deadline=None)
@given(contests(), st.data(), st.floats(-1.0, 5.0))
def test_adding_a_constant_to_one_judge_leaves_the_standardised_result_unchanged(
    contest, data, a
) -> None:
    judge = data.draw(st.integers(0, len(contest.judges) - 1))
    before, after = judge_contest(contest), rescored(contest, judge, 1.0, a)
    assert np.allclose(before.mean_z, after.mean_z, rtol=0, atol=TOL, equal_nan=True)
    was, now = before.methods["standardised"], after.methods["standardised"]
    no_marks = np.zeros(len(contest.contestants), dtype=np.int64)  # top marks may change
    assert np.array_equal(
        tie_ranks(was.scores, None, no_marks), tie_ranks(now.scores, None, no_marks)
    )
    # the panel's mean moves with the judge: every contestant moves alike, gaps stay
    assert np.allclose(was.scores - was.scores[0], now.scores - now.scores[0], rtol=0, atol=TOL)


@settings(max_examples=80, deadline=None)
@given(contests(), st.data(), st.floats(0.2, 2.0))
def test_multiplying_one_judges_scores_leaves_the_standardised_result_unchanged(
    contest, data, b
) -> None:
    judge = data.draw(st.integers(0, len(contest.judges) - 1))
    before, after = judge_contest(contest), rescored(contest, judge, b, 0.0)
    assert np.allclose(before.mean_z, after.mean_z, rtol=0, atol=TOL, equal_nan=True)


@settings(max_examples=60, deadline=None)
@given(contests(criteria=1, panels=1), st.data(), st.floats(0.2, 1.5), st.floats(0.0, 2.5))
def test_one_criterion_one_panel_order_ignores_any_judges_scale_and_shift(
    contest, data, b, a
) -> None:
    judge = data.draw(st.integers(0, len(contest.judges) - 1))
    before, after = judge_contest(contest), rescored(contest, judge, b, a)
    # top marks (the tie rule's last key) may change with the scores; the order by score may not
    no_marks = np.zeros(len(contest.contestants), dtype=np.int64)
    was = tie_ranks(before.methods["standardised"].scores, None, no_marks)
    assert np.array_equal(was, tie_ranks(after.methods["standardised"].scores, None, no_marks))


def _permuted_judges(contest: Contest, order: list[int]) -> Contest:
    return Contest(
        **{
            **contest.__dict__,
            "judges": tuple(contest.judges[i] for i in order),
            "judge_panels": tuple(contest.judge_panels[i] for i in order),
            "scores": contest.scores[order],
        }
    )


@settings(max_examples=60, deadline=None)
@given(contests(), st.randoms(use_true_random=False))
def test_permuting_judges_changes_nothing(contest, random) -> None:
    order = list(range(len(contest.judges)))
    random.shuffle(order)
    before, after = judge_contest(contest), judge_contest(_permuted_judges(contest, order))
    for m in before.methods:
        assert np.allclose(before.methods[m].scores, after.methods[m].scores, rtol=0, atol=TOL)
        assert np.array_equal(before.methods[m].ranks, after.methods[m].ranks)
    assert np.allclose(before.kendall_w, after.kendall_w, rtol=0, atol=TOL, equal_nan=True)
    assert np.allclose(before.spearman[order], after.spearman, rtol=0, atol=TOL, equal_nan=True)
    assert np.array_equal(before.outlier[order], after.outlier)


@settings(max_examples=60, deadline=None)
@given(contests(), st.randoms(use_true_random=False))
def test_permuting_contestants_permutes_the_result(contest, random) -> None:
    order = list(range(len(contest.contestants)))
    random.shuffle(order)
    moved = Contest(
        **{
            **contest.__dict__,
            "contestants": tuple(contest.contestants[i] for i in order),
            "scores": contest.scores[:, order],
        }
    )
    before, after = judge_contest(contest), judge_contest(moved)
    for m in before.methods:
        assert np.allclose(
            before.methods[m].scores[order], after.methods[m].scores, rtol=0, atol=TOL
        )
        assert np.array_equal(before.methods[m].ranks[order], after.methods[m].ranks)
    assert np.allclose(before.kendall_w, after.kendall_w, rtol=0, atol=TOL, equal_nan=True)
    assert np.allclose(before.spearman, after.spearman, rtol=0, atol=TOL, equal_nan=True)
