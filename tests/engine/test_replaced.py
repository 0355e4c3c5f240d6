"""Candidate weights from the O(k) updates in `saima.engine.replaced` equal the weights of the
scope rebuilt from scratch with the value replaced (entropy and CRITIC, both directions, with
section weights, ties, constant columns and values beyond either bound)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from saima.engine import Scheme
from saima.engine.explain import candidate_weights
from saima.engine.pipeline import build_scope
from saima.engine.replaced import entropy_divergence_replaced
from saima.engine.weights import entropy_divergence

from .conftest import make_scheme

M = 7
# small integers make ties, shared minima and constant columns likely
cells = st.integers(0, 6).map(float)
matrices = arrays(np.float64, (M, 3), elements=cells)


def scheme_for(weighting: str, lower: bool, sections: bool) -> Scheme:
    base = make_scheme(weighting=weighting)
    if lower:
        base = replace(
            base, indicators=tuple(replace(i, direction="lower") for i in base.indicators)
        )
    if sections:
        weighted = tuple(
            replace(s, weight=w) for s, w in zip(base.sections, (0.7, 0.3), strict=True)
        )
        base = replace(base, sections=weighted)
    return base


@settings(max_examples=150, deadline=None)
@given(
    matrices,
    st.sampled_from(["entropy", "critic"]),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2),
    st.lists(st.floats(-3.0, 9.0, allow_nan=False, width=16), min_size=1, max_size=M),
)
def test_candidate_weights_equal_rebuilt_weights(raw, weighting, lower, sections, j, news):
    scheme = scheme_for(weighting, lower, sections)
    rows = np.arange(M, dtype=np.intp)
    scope = build_scope(scheme, rows, raw)
    weigh = candidate_weights(scheme, scope, j)
    assert weigh is not None
    positions = np.arange(len(news), dtype=np.intp) % M
    values = np.array(news, dtype=np.float64)
    got = weigh(positions, values)
    for b, (p, v) in enumerate(zip(positions, values, strict=True)):
        moved = raw.copy()
        moved[p, j] = v
        expected = build_scope(scheme, rows, moved).weights
        np.testing.assert_allclose(got[b], expected, rtol=1e-9, atol=1e-12)


def test_entropy_update_handles_the_unit_that_alone_holds_the_minimum() -> None:
    z = np.array([1.0, 4.0, 6.0, 9.0])
    values = np.array([0.0, 2.0, 4.0, 12.0])  # below, inside, at and above the others' range
    got = entropy_divergence_replaced(z, np.zeros(4, dtype=np.intp), values)
    for b, v in enumerate(values):
        x = z.copy()
        x[0] = v
        n = (x - x.min()) / (x.max() - x.min())
        assert got[b] == pytest.approx(entropy_divergence(n[:, None])[0], abs=1e-12)


def test_winsorising_and_missing_values_rebuild_the_column() -> None:
    raw = np.arange(21.0).reshape(7, 3)
    scheme = make_scheme(weighting="entropy")
    winsorised = replace(scheme, method=replace(scheme.method, winsorise=0.1))
    assert candidate_weights(winsorised, build_scope(winsorised, np.arange(7), raw), 0) is None
    raw[2, 1] = np.nan
    reweight = make_scheme(weighting="entropy", missing="reweight")
    scope = build_scope(reweight, np.arange(7), raw)
    assert candidate_weights(reweight, scope, 1) is None
    assert candidate_weights(reweight, scope, 0) is not None
