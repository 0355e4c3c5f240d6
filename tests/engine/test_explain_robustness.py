"""Gaps really bring a unit in when re-ranked; robustness is deterministic and exact."""

from __future__ import annotations

import numpy as np
import pytest

from saima.engine import Dataset, rank
from saima.engine import robustness as robustness_module

from .conftest import make_data, make_scheme

METHODS = [
    {},
    {"weighting": "entropy"},
    {"weighting": "critic"},
    {"aggregate": "topsis", "normalise": "vector"},
    {"aggregate": "geometric", "normalise": "vector"},
    {"normalise": "zscore", "scope": "all"},
]


def moved(data: Dataset, row: int, col: int, delta: float) -> Dataset:
    values = data.values.copy()
    values[row, col] += delta
    return Dataset(data.units, data.groups, values)


@pytest.mark.parametrize("method", METHODS, ids=lambda m: "-".join(m.values()) or "default")
def test_gap_is_enough_to_enter_the_quota_and_a_little_less_is_not(method: dict[str, str]) -> None:
    scheme, data = make_scheme(**method), make_data()
    result = rank(scheme, data, explain=True)
    assert result.gaps is not None
    checked = 0
    for j, code in enumerate(scheme.codes):
        for row in np.flatnonzero(~result.selected):
            gap = result.gaps[code][row]
            if np.isnan(gap):
                continue
            assert rank(scheme, moved(data, row, j, gap)).selected[row]
            if abs(gap) > 1e-6:
                assert not rank(scheme, moved(data, row, j, gap * (1 - 1e-4))).selected[row]
            checked += 1
    assert checked > 0


def test_gaps_are_zero_for_selected_units_and_signed_by_direction(scheme, data) -> None:
    result = rank(scheme, data, explain=True)
    assert result.gaps is not None
    assert (result.gaps["fai"][result.selected] == 0).all()
    unselected = ~result.selected
    assert (result.gaps["fai"][unselected] > 0).all()
    delay = result.gaps["delay"][unselected]
    finite = delay[~np.isnan(delay)]
    assert finite.size > 0, "no finite delay gap: the sign check below would test nothing"
    assert (finite < 0).all()


def test_gap_is_nan_where_the_indicator_alone_cannot_bring_the_unit_in() -> None:
    from dataclasses import replace

    base = make_scheme()
    capped = replace(
        base,
        method=replace(base.method, normalise="target"),
        indicators=tuple(replace(i, target=1.0) for i in base.indicators),
    )
    data = make_data()
    result = rank(capped, data, explain=True)
    assert result.gaps is not None
    # every "higher" value already exceeds its target of 1: raising it changes nothing
    assert np.isnan(result.gaps["fai"][~result.selected]).all()


def test_robustness_is_identical_for_the_same_seed_and_differs_for_another(scheme, data) -> None:
    a = rank(scheme, data, robustness=300, seed=5).robustness
    b = rank(scheme, data, robustness=300, seed=5).robustness
    c = rank(scheme, data, robustness=300, seed=6).robustness
    assert a is not None and b is not None and c is not None
    np.testing.assert_array_equal(a.p_selected, b.p_selected)
    np.testing.assert_array_equal(a.rank_p95, b.rank_p95)
    assert not np.array_equal(a.p_selected, c.p_selected)


def test_robustness_does_not_depend_on_chunk_size(scheme, data, monkeypatch) -> None:
    whole = rank(scheme, data, robustness=200, seed=1).robustness
    monkeypatch.setattr(robustness_module, "CELLS_PER_CHUNK", 7)
    chunked = rank(scheme, data, robustness=200, seed=1).robustness
    assert whole is not None and chunked is not None
    np.testing.assert_array_equal(whole.rank_median, chunked.rank_median)
    np.testing.assert_array_equal(whole.p_selected, chunked.p_selected)


def test_percentiles_from_rank_counts_equal_numpy_percentile() -> None:
    rng = np.random.default_rng(3)
    m, draws = 6, 101
    ranks = rng.integers(1, m + 1, size=(draws, m))
    counts = np.zeros((m, m), dtype=np.int64)
    for u in range(m):
        counts[u] = np.bincount(ranks[:, u] - 1, minlength=m)
    for q in (0.05, 0.5, 0.95):
        np.testing.assert_allclose(
            robustness_module.percentile_from_counts(counts, q),
            np.percentile(ranks, 100 * q, axis=0),
        )


def test_robustness_matches_a_plain_loop_over_the_same_draws(scheme, data) -> None:
    result = rank(scheme, data, robustness=50, seed=9)
    assert result.robustness is not None
    rng = np.random.default_rng(9)
    city = rank(scheme, data)
    w = np.array(list(city.weights["city"].values()))
    ranks = []
    for _ in range(50):
        draw = robustness_module.dirichlet_draws(rng, w, scheme.robustness_concentration, 1)[0]
        n = rank(scheme, data).contributions
        score = sum(n[c][:4] / w[j] * draw[j] for j, c in enumerate(scheme.codes))
        ranks.append(len(score) - np.argsort(np.argsort(score)))
    np.testing.assert_allclose(result.robustness.rank_median[:4], np.median(ranks, axis=0))
