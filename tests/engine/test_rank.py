"""Scores, ranks and selections on small worked data."""

from __future__ import annotations

import numpy as np
import pytest

from saima.engine import DataError, Dataset, rank
from saima.engine.ranking import competition_ranks, rank_within_groups

from .conftest import make_data, make_scheme


def test_competition_ranking_shares_ranks_and_skips() -> None:
    assert competition_ranks(np.array([5.0, 7.0, 7.0, 1.0, 7.0])).tolist() == [4, 1, 1, 5, 1]


def test_scores_differing_by_float_noise_share_a_rank() -> None:
    assert competition_ranks(np.array([0.1 + 0.2, 0.3])).tolist() == [1, 1]


def test_tie_at_boundary_marks_the_tied_block_that_exceeds_the_quota() -> None:
    _, selected, tie = rank_within_groups(
        np.array([9.0, 7.0, 7.0, 3.0, 5.0]), np.array([0, 0, 0, 0, 1]), [2, 1]
    )
    assert selected.tolist() == [True, True, True, False, True]
    assert tie.tolist() == [False, True, True, False, False]


def test_minmax_arithmetic_scores_follow_the_formula(scheme, data) -> None:
    result = rank(scheme, data)
    city = data.values[:4]
    lo, hi = city.min(axis=0), city.max(axis=0)
    n = (city - lo) / (hi - lo)
    n[:, 2] = (hi[2] - city[:, 2]) / (hi[2] - lo[2])
    expected = 100 * n @ np.array([0.5, 0.3, 0.2])
    np.testing.assert_allclose(result.score[:4], expected, rtol=1e-12)


def test_contributions_sum_to_the_arithmetic_score(scheme, data) -> None:
    result = rank(scheme, data)
    total = sum(result.contributions.values())
    np.testing.assert_allclose(total, result.score, rtol=1e-12)


def test_quota_selects_the_top_units_of_each_group(scheme, data) -> None:
    result = rank(scheme, data)
    for code, quota in (("city", 2), ("county", 1)):
        inside = np.array(data.groups) == code
        assert result.selected[inside].sum() == quota
        assert set(result.rank[inside & result.selected]) <= set(range(1, quota + 1))


def test_scope_all_normalises_over_every_unit(data) -> None:
    result = rank(make_scheme(scope="all"), data)
    assert result.score[np.argmax(data.values[:, 0])] > 0
    assert result.weights["city"] == result.weights["county"]


def test_group_scope_gives_each_group_its_own_entropy_weights(data) -> None:
    result = rank(make_scheme(weighting="entropy"), data)
    assert result.weights["city"] != result.weights["county"]
    for weights in result.weights.values():
        assert sum(weights.values()) == pytest.approx(1.0)


def test_section_weights_split_within_sections(data) -> None:
    from dataclasses import replace

    scheme = make_scheme()
    sections = tuple(replace(s, weight=w) for s, w in zip(scheme.sections, (1.0, 3.0), strict=True))
    result = rank(replace(scheme, sections=sections), data)
    assert result.weights["city"] == pytest.approx({"fai": 0.25, "industry": 0.45, "delay": 0.3})


def with_missing(value_row: int, column: int) -> Dataset:
    data = make_data()
    values = data.values.copy()
    values[value_row, column] = np.nan
    return Dataset(data.units, data.groups, values)


def test_missing_value_is_rejected_by_default() -> None:
    with pytest.raises(DataError) as info:
        rank(make_scheme(), with_missing(1, 2))
    assert (info.value.row, info.value.column) == (2, "delay")


def test_reweight_scores_a_unit_on_its_present_indicators() -> None:
    result = rank(make_scheme(missing="reweight"), with_missing(1, 2))
    c = result.contributions
    assert c["delay"][1] == 0.0
    assert result.score[1] == pytest.approx(c["fai"][1] + c["industry"][1])


def test_group_mean_fills_a_missing_value_with_its_groups_mean() -> None:
    filled = make_data()
    values = filled.values.copy()
    values[1, 2] = np.mean(values[[0, 2, 3], 2])
    expected = rank(make_scheme(), Dataset(filled.units, filled.groups, values))
    result = rank(make_scheme(missing="group_mean"), with_missing(1, 2))
    np.testing.assert_allclose(result.score, expected.score, rtol=1e-12)


def test_geometric_aggregation_refuses_non_positive_values() -> None:
    data = make_data()
    values = data.values.copy()
    values[3, 1] = 0.0
    with pytest.raises(DataError, match="> 0") as info:
        rank(
            make_scheme(aggregate="geometric", normalise="vector"),
            Dataset(data.units, data.groups, values),
        )
    assert (info.value.row, info.value.column) == (4, "industry")


def test_geometric_score_is_the_weighted_geometric_mean(data) -> None:
    result = rank(make_scheme(aggregate="geometric", normalise="vector"), data)
    x = data.values[:4]
    r = x / np.sqrt((x**2).sum(axis=0))
    n = np.column_stack([r[:, 0], r[:, 1], 1 - r[:, 2]])
    expected = 100 * np.prod(n ** np.array([0.5, 0.3, 0.2]), axis=1)
    np.testing.assert_allclose(result.score[:4], expected, rtol=1e-12)


def test_geometric_with_minmax_gives_zero_to_a_unit_worst_on_any_indicator(data) -> None:
    result = rank(make_scheme(aggregate="geometric"), data)
    assert result.score[2] == 0.0  # 温州 has the longest delay among cities


def test_winsorising_limits_an_outliers_pull(data) -> None:
    from dataclasses import replace

    values = data.values.copy()
    values[0, 0] = 1000.0
    outlier = Dataset(data.units, data.groups, values)
    plain = rank(make_scheme(), outlier)
    scheme = make_scheme()
    clipped = rank(replace(scheme, method=replace(scheme.method, winsorise=0.25)), outlier)
    spread = lambda r: np.ptp(r.contributions["fai"][1:4])  # noqa: E731
    assert spread(clipped) > spread(plain)


def test_zscore_scores_are_centred_within_each_group(data) -> None:
    result = rank(make_scheme(normalise="zscore"), data)
    assert result.score[:4].mean() == pytest.approx(0.0, abs=1e-9)


def test_duplicate_unit_is_refused_with_its_row() -> None:
    data = make_data()
    units = data.units[:2] + (data.units[0],) + data.units[3:]
    with pytest.raises(DataError) as info:
        rank(make_scheme(), Dataset(units, data.groups, data.values))
    assert (info.value.row, info.value.column) == (3, "unit")


def test_empty_group_is_refused() -> None:
    data = make_data()
    with pytest.raises(DataError, match="group 'county' has no units"):
        rank(make_scheme(), Dataset(data.units[:4], data.groups[:4], data.values[:4]))


def test_rank_counts_fall_back_to_argsort_for_scores_too_wide_to_pack() -> None:
    from saima.engine.ranking import accumulate_rank_counts

    scores = np.array([[1e300, -1e300, 5.0, 5.0], [0.0, 1.0, 2.0, 3.0]])
    counts = np.zeros(16, dtype=np.int64)
    accumulate_rank_counts(scores, counts)
    expected = np.zeros(16, dtype=np.int64)
    for row in scores:
        for unit, r in enumerate(competition_ranks(row)):
            expected[unit * 4 + r - 1] += 1
    np.testing.assert_array_equal(counts, expected)
