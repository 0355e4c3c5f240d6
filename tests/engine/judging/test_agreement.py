"""Kendall's W (worked textbook examples, scipy's Friedman test), average ranks (scipy
rankdata) and leave-one-out Spearman (scipy spearmanr), all to 1e-12."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from saima.engine.judging import Rules, average_ranks, judge_contest, kendall_w
from saima.engine.judging.agreement import leave_one_out_spearman, panel_concordance

from .factories import make_contest, random_scores

# Applied Nonparametric Statistical Methods, 5th ed. (Smeeton, Spencer & Sprent), Example 10.10:
# judges A, B, C rank six divers I–VI; W = 0.6317 (no ties). Data and expected value as in the
# book's R package ANSM5 (data ch10$diving.rank, tests/testthat/test-kendall.concordance.R).
DIVING = np.array([[2, 4, 1, 6, 3, 5], [2, 3, 1, 5, 6, 4], [4, 3, 2, 5, 1, 6]], dtype=float)
# Same book, Exercise 10.11: six examiners' marks for ten scripts (ch10$marks). Read with the
# scripts as the "judges" ranking the examiners, many marks tie within a script; ANSM5 gives
# W = 0.36812865 (its test for kendall.concordance(marks, examiner, script)).
MARKS = np.array(
    [
        [22, 30, 27, 30, 28, 28, 28, 28, 36, 29],
        [20, 28, 25, 29, 28, 25, 29, 34, 40, 30],
        [22, 28, 29, 28, 25, 29, 33, 29, 33, 27],
        [24, 29, 30, 28, 29, 27, 30, 30, 34, 30],
        [30, 41, 37, 41, 34, 32, 35, 29, 42, 34],
        [27, 27, 32, 33, 33, 23, 36, 22, 42, 29],
    ],
    dtype=float,
)


def test_kendall_w_matches_the_textbook_diving_example() -> None:
    assert kendall_w(DIVING) == pytest.approx(0.63174603, abs=5e-9)


def test_kendall_w_with_ties_matches_the_textbook_exercise() -> None:
    assert kendall_w(MARKS.T) == pytest.approx(0.36812865, abs=5e-9)


def test_without_the_tie_correction_the_exercise_would_miss_the_published_value() -> None:
    ranks = average_ranks(MARKS.T)
    m, n = ranks.shape
    s = ((ranks.sum(axis=0) - m * (n + 1) / 2) ** 2).sum()
    uncorrected = 12 * s / (m * m * (n**3 - n))
    assert uncorrected == pytest.approx(12 * 629.5 / 21000)  # 0.3597
    assert abs(uncorrected - 0.36812865) > 0.008


@pytest.mark.parametrize("seed", range(10))
def test_kendall_w_is_friedmans_tie_corrected_statistic_over_m_n_minus_1(seed: int) -> None:
    rng = np.random.default_rng(seed)
    m, n = int(rng.integers(3, 12)), int(rng.integers(3, 9))
    x = rng.integers(0, 4, (m, n)).astype(float)  # many ties
    chi2 = stats.friedmanchisquare(*x.T).statistic
    assert abs(kendall_w(x) - chi2 / (m * (n - 1))) <= 1e-12


@pytest.mark.parametrize("seed", range(5))
def test_average_ranks_match_scipy_rankdata_with_missing_values(seed: int) -> None:
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 5, (6, 9)).astype(float)
    x[rng.random(x.shape) < 0.2] = np.nan
    got = average_ranks(x)
    for row, ranked in zip(x, got, strict=True):
        scored = ~np.isnan(row)
        assert np.array_equal(ranked[scored], stats.rankdata(row[scored]))
        assert np.isnan(ranked[~scored]).all()


@pytest.mark.parametrize("seed", range(6))
def test_leave_one_out_spearman_matches_scipy_spearmanr(seed: int) -> None:
    rng = np.random.default_rng(seed)
    totals = np.round(rng.uniform(0, 100, (9, 8)))
    totals[rng.random(totals.shape) < 0.15] = np.nan
    members = np.array([[True] * 4 + [False] * 5, [False] * 4 + [True] * 5])
    got = leave_one_out_spearman(totals, members)
    for j in range(9):
        mates = members[:, j] @ members & (np.arange(9) != j)
        consensus = np.nanmean(np.where(mates[:, None], totals, np.nan), axis=0)
        both = ~np.isnan(totals[j]) & ~np.isnan(consensus)
        expected = stats.spearmanr(totals[j, both], consensus[both]).statistic
        assert abs(got[j] - expected) <= 1e-12


def test_a_judge_who_reverses_the_panel_is_flagged_and_the_others_are_not() -> None:
    rng = np.random.default_rng(7)
    base = np.linspace(3, 9, 6)
    s = np.clip(base[None, :, None] + rng.normal(0, 0.4, (8, 6, 2)), 0, 10)
    s[5] = s[5, ::-1]  # judge 5 scores the best as the worst
    result = judge_contest(make_contest(s))
    assert result.outlier.tolist() == [j == 5 for j in range(8)]
    assert result.spearman[5] < -0.8
    assert (np.delete(result.spearman, 5) > 0.8).all()


def test_outlier_threshold_is_a_rule_of_the_contest() -> None:
    s = random_scores(np.random.default_rng(2), (6, 5, 1))
    loose = judge_contest(make_contest(s, rules=Rules(outlier_below=-2.0)))
    strict = judge_contest(make_contest(s, rules=Rules(outlier_below=2.0)))
    assert not loose.outlier.any()
    assert strict.outlier.tolist() == (~np.isnan(strict.spearman)).tolist()


def test_w_leaves_out_judges_with_a_missing_score_and_says_how_many_it_used() -> None:
    totals = np.array([[1.0, 2, 3, 4], [1, 2, 3, 4], [4, 3, 2, np.nan], [2, 1, 3, 4]])
    w, used = panel_concordance(totals, np.ones((1, 4), dtype=bool))
    assert used.tolist() == [3]
    assert w[0] == pytest.approx(kendall_w(totals[[0, 1, 3]]), abs=1e-15)


def test_w_is_nan_with_fewer_than_two_complete_judges() -> None:
    totals = np.array([[1.0, 2, 3], [np.nan, 2, 3]])
    w, used = panel_concordance(totals, np.ones((1, 2), dtype=bool))
    assert np.isnan(w[0]) and used.tolist() == [1]
