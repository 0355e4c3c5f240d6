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
from saima.engine.columns import candidate_column, candidate_weights
from saima.engine.pipeline import build_scope
from saima.engine.replaced import entropy_divergence_replaced, winsorised_bounds_replaced
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


# --- winsorising: each candidate's bounds and column in O(log m), equal to the rebuilt ones ---

columns = st.lists(st.integers(-4, 12).map(float), min_size=1, max_size=40)
shares = st.sampled_from([0.01, 0.05, 0.1, 0.2, 0.25, 0.3, 0.49])


@settings(max_examples=200, deadline=None)
@given(columns, shares, st.data())
def test_winsorised_bounds_equal_numpy_quantiles_bit_for_bit(column, p, draw) -> None:
    raw = np.array(column)
    m = raw.size
    positions = np.array(draw.draw(st.lists(st.integers(0, m - 1), min_size=1, max_size=8)))
    values = np.array(
        draw.draw(
            st.lists(
                st.floats(-6.0, 14.0, allow_nan=False, width=16),
                min_size=positions.size,
                max_size=positions.size,
            )
        )
    )
    lo, hi = winsorised_bounds_replaced(np.sort(raw), raw[positions], values, p)
    for b, (i, v) in enumerate(zip(positions, values, strict=True)):
        x = raw.copy()
        x[i] = v
        assert lo[b] == np.nanquantile(x, p) and hi[b] == np.nanquantile(x, 1 - p)


def winsorised_scheme(normalise: str, lower: bool, p: float, missing: str = "reject") -> Scheme:
    base = make_scheme(missing=missing)
    indicators = tuple(
        replace(i, direction="lower" if lower else i.direction, target=5.0) for i in base.indicators
    )
    method = replace(base.method, normalise=normalise, winsorise=p)
    return replace(base, indicators=indicators, method=method)


@settings(max_examples=150, deadline=None)
@given(
    arrays(np.float64, (12, 3), elements=st.integers(0, 9).map(float)),
    st.sampled_from(["minmax", "target", "vector", "zscore"]),
    st.booleans(),
    shares,
    st.integers(0, 2),
    st.booleans(),
    st.lists(st.floats(-3.0, 12.0, allow_nan=False, width=16), min_size=1, max_size=12),
)
def test_winsorised_candidate_columns_equal_rebuilt_columns(
    raw, normalise, lower, p, j, missing, news
) -> None:
    """The fast winsorised column (`_column`) is the column `prepare` builds with the value
    replaced, bit for bit, with ties, missing values and values beyond either bound."""
    scheme = winsorised_scheme(normalise, lower, p, "reweight" if missing else "reject")
    if missing:
        raw = raw.copy()
        raw[3, j] = np.nan
    rows = np.arange(raw.shape[0], dtype=np.intp)
    scope = build_scope(scheme, rows, raw)
    weigh = candidate_weights(scheme, scope, j)
    positions = np.array([i for i in range(len(news)) if i != 3 or not missing], dtype=np.intp)
    values = np.array(news, dtype=np.float64)[: positions.size]
    rivals = np.arange(0, raw.shape[0], 2, dtype=np.intp)
    col = candidate_column(scheme, scope, rivals, j, positions, values, weigh)
    for b, (i, v) in enumerate(zip(positions, values, strict=True)):
        x = raw.copy()
        x[i, j] = v
        rebuilt = build_scope(scheme, rows, x)
        n = rebuilt.n[:, j]
        others = rivals != i  # the moved unit's own entry among the rivals is never read
        got = [col.rows[b][others], col.own[b], col.ideal[b], col.anti[b]]
        expected = [n[rivals][others], n[i], np.nanmax(n), np.nanmin(n)]
        for g, e in zip(got, expected, strict=True):
            if normalise in ("minmax", "target"):  # O(log m) bounds: bit for bit
                np.testing.assert_array_equal(g, e)
            else:  # column sums in another order (batched), as before
                np.testing.assert_allclose(g, e, rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(col.weights[min(b, col.weights.shape[0] - 1)], rebuilt.weights)
