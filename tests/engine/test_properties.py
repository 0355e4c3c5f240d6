"""Hypothesis invariants of the engine."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from saima.engine import Dataset, rank
from saima.engine.weights import compose_sections, critic_weights, entropy_weights

from .conftest import make_scheme

UNITS = 6
values = arrays(np.float64, (UNITS, 3), elements=st.floats(1.0, 100.0, allow_nan=False, width=32))
methods = st.sampled_from(
    [
        {},
        {"weighting": "entropy"},
        {"weighting": "critic"},
        {"aggregate": "topsis", "normalise": "vector"},
        {"normalise": "rank"},
        {"normalise": "zscore", "scope": "all"},
    ]
)
GROUPS = ("city",) * 3 + ("county",) * 3


def dataset(v: np.ndarray, order: list[int] | None = None) -> Dataset:
    idx = order or list(range(UNITS))
    units = tuple(f"u{i}" for i in idx)
    return Dataset(units, tuple(GROUPS[i] for i in idx), v[idx])


@settings(max_examples=60, deadline=None)
@given(values, methods, st.permutations(range(UNITS)))
def test_results_do_not_depend_on_row_order(v, method, order) -> None:
    order = sorted(order, key=lambda i: (GROUPS[i], order.index(i)))
    scheme = make_scheme(**method)
    a = rank(scheme, dataset(v))
    b = rank(scheme, dataset(v, order))
    np.testing.assert_allclose(b.score, a.score[order], rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(b.rank, a.rank[order])


@settings(max_examples=80, deadline=None)
@given(values, st.integers(0, UNITS - 1), st.floats(0.0, 50.0))
def test_raising_a_higher_indicator_never_lowers_arithmetic_score_or_rank(v, unit, rise) -> None:
    scheme = make_scheme()
    before = rank(scheme, dataset(v))
    raised = v.copy()
    raised[unit, 0] += rise
    after = rank(scheme, dataset(raised))
    assert after.score[unit] >= before.score[unit] - 1e-9
    assert after.rank[unit] <= before.rank[unit]


@settings(max_examples=60, deadline=None)
@given(values, st.floats(0.01, 100.0), st.floats(-100.0, 100.0), st.integers(0, 2))
def test_minmax_scores_are_invariant_under_positive_affine_rescaling(v, a, b, col) -> None:
    scheme = make_scheme()
    rescaled = v.copy()
    rescaled[:, col] = a * v[:, col] + b
    np.testing.assert_allclose(
        rank(scheme, dataset(rescaled)).score, rank(scheme, dataset(v)).score, atol=1e-7
    )


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, (5, 4), elements=st.floats(0.0, 1.0, allow_nan=False)))
def test_data_driven_and_section_weights_sum_to_one(n) -> None:
    for w in (
        entropy_weights(n),
        critic_weights(n),
        compose_sections(n[0], [0, 0, 1, 1], [2.0, 1.0]),
    ):
        assert np.all(w >= 0)
        assert abs(w.sum() - 1.0) < 1e-12


@settings(max_examples=40, deadline=None)
@given(values, methods)
def test_huge_concentration_collapses_rank_intervals_to_the_nominal_rank(v, method) -> None:
    scheme = make_scheme(**method)
    nominal = rank(scheme, dataset(v))
    for g in ("city", "county"):
        s = np.sort(nominal.score[np.array(GROUPS) == g])
        gaps = np.diff(s)
        assume(gaps.size == 0 or gaps.min() > 1e-3)
    sharp = replace(scheme, robustness_concentration=1e12)
    result = rank(sharp, dataset(v), robustness=40, seed=1)
    assert result.robustness is not None
    np.testing.assert_array_equal(result.robustness.rank_p05, nominal.rank)
    np.testing.assert_array_equal(result.robustness.rank_p95, nominal.rank)
    np.testing.assert_array_equal(result.robustness.p_selected, nominal.selected.astype(float))
