"""Mean, trimmed mean and standardised figures against independent references."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from saima.engine.judging import Rules, judge_contest
from saima.engine.judging.aggregate import (
    by_panel,
    judge_z_scores,
    panel_mean,
    panel_standardised,
    panel_trimmed_mean,
    trim_counts,
)

from .factories import make_contest, random_scores


def test_mean_matches_numpy_nanmean_over_each_panel() -> None:
    rng = np.random.default_rng(1)
    s = random_scores(rng, (12, 6, 3), missing=0.2)
    members = np.array([[True] * 5 + [False] * 7, [False] * 5 + [True] * 7])
    got = panel_mean(by_panel(s, members))
    assert np.allclose(got[0], np.nanmean(s[:5], axis=0), rtol=0, atol=1e-12)
    assert np.allclose(got[1], np.nanmean(s[5:], axis=0), rtol=0, atol=1e-12)


@pytest.mark.parametrize("seed", range(8))
def test_trimmed_mean_matches_scipy_trim_mean_per_contestant_and_criterion(seed: int) -> None:
    rng = np.random.default_rng(seed)
    s = random_scores(rng, (15, 5, 3), missing=0.15)
    trim, min_kept = 2, 3
    got, per_end = panel_trimmed_mean(s[None], trim, min_kept)
    for c in range(5):
        for k in range(3):
            given = s[:, c, k][~np.isnan(s[:, c, k])]
            n, cut = given.size, int(per_end[0, c, k])
            assert cut == min(trim, max(0, (n - min_kept) // 2))
            # scipy cuts int(proportion * n) at each end: (cut + 0.5) / n gives exactly `cut`
            expected = stats.trim_mean(given, (cut + 0.5) / n) if cut else given.mean()
            assert abs(got[0, c, k] - expected) <= 1e-12


def test_trimming_drops_the_highest_and_lowest_score() -> None:
    s = np.array([2.0, 9.0, 7.0, 8.0, 10.0, 8.0]).reshape(1, 6, 1, 1)
    got, per_end = panel_trimmed_mean(s, trim=1, min_kept=3)
    assert got.item() == pytest.approx((9 + 7 + 8 + 8) / 4)
    assert per_end.item() == 1


@pytest.mark.parametrize(
    ("scored", "trim", "min_kept", "dropped"),
    [
        (9, 2, 3, 2),
        (6, 2, 3, 1),
        (5, 2, 3, 1),
        (4, 2, 3, 0),
        (3, 1, 3, 0),
        (2, 1, 1, 0),
        (1, 1, 1, 0),
    ],
)
def test_too_few_judges_trim_less_so_min_kept_remain(scored, trim, min_kept, dropped) -> None:
    assert trim_counts(np.array([scored]), trim, min_kept).item() == dropped
    assert scored - 2 * dropped >= min(min_kept, scored)


def test_a_conflicted_judges_gap_does_not_count_as_a_score() -> None:
    s = np.array([[[9.0]], [[np.nan]], [[5.0]], [[7.0]]])
    got, per_end = panel_trimmed_mean(s[None], trim=1, min_kept=1)
    assert got.item() == 7.0  # 5, 7, 9: drop 5 and 9
    assert per_end.item() == 1


def test_z_scores_match_scipy_zscore_per_judge_and_criterion() -> None:
    rng = np.random.default_rng(3)
    s = random_scores(rng, (7, 9, 2), missing=0.2, step=0.1)
    z = judge_z_scores(s)
    for j in range(7):
        for k in range(2):
            expected = stats.zscore(s[j, :, k], nan_policy="omit")
            assert np.allclose(z[j, :, k], expected, rtol=0, atol=1e-12, equal_nan=True)


def test_a_judge_without_spread_expresses_no_preference() -> None:
    s = np.array([[[6.0], [8.0], [7.0]], [[5.0], [5.0], [5.0]], [[1.0], [3.0], [2.0]]])
    z = judge_z_scores(s)
    assert z[1].ravel().tolist() == [0.0, 0.0, 0.0]
    figures, mean_z = panel_standardised(s, np.ones((1, 3), dtype=bool))
    assert mean_z[0, :, 0] == pytest.approx([-np.sqrt(1.5) * 2 / 3, np.sqrt(1.5) * 2 / 3, 0.0])
    # spread: mean SD of the judges who spread their scores (both sqrt(2/3)); the flat one is left out
    centre = np.mean(s)
    assert figures[0, :, 0] == pytest.approx(centre + np.sqrt(2 / 3) * mean_z[0, :, 0])


def test_a_panel_where_no_judge_spreads_scores_gets_its_mean_for_everyone() -> None:
    s = np.array([[[5.0], [5.0]], [[7.0], [7.0]]])
    figures, _ = panel_standardised(s, np.ones((1, 2), dtype=bool))
    assert figures.ravel().tolist() == [6.0, 6.0]


def test_standardised_removes_a_lenient_judges_advantage() -> None:
    # judges 0 and 2 put C above B; judge 1 gives 3 points more than they do and is
    # conflicted with C, so the plain mean lifts A and B but not C
    s = np.array([[[6.0], [7.0], [8.0]], [[9.0], [10.0], [np.nan]], [[6.0], [7.0], [8.0]]])
    result = judge_contest(make_contest(s, rules=Rules(method="standardised")))
    assert result.methods["mean"].scores.tolist() == pytest.approx([70.0, 80.0, 80.0])
    assert result.methods["mean"].ranks.tolist() == [3, 1, 2]  # B wins the tie on a top mark
    assert result.methods["standardised"].ranks.tolist() == [3, 2, 1]
