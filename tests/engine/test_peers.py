"""Equality with pymcdm and scikit-criteria (test-only dependencies) to 1e-9."""

from __future__ import annotations

import numpy as np
import pytest

from saima.engine.aggregate import make_terms, scores
from saima.engine.normalise import vector
from saima.engine.weights import critic_weights, entropy_weights

pymcdm = pytest.importorskip("pymcdm")
skc = pytest.importorskip("skcriteria")


def positive_matrix(seed: int) -> np.ndarray:
    return np.random.default_rng(seed).lognormal(1.0, 0.5, size=(30, 6))


TYPES = np.array([1, 1, -1, 1, -1, 1])


def saima_closeness(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    n = vector(x, TYPES > 0)
    return scores(make_terms("topsis", n), w[None, :])[0] / 100.0


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_topsis_closeness_equals_pymcdm_with_vector_normalisation(seed: int) -> None:
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    x = positive_matrix(seed)
    w = np.random.default_rng(seed + 10).dirichlet(np.ones(6))
    theirs = TOPSIS(normalization_function=vector_normalization)(x, w, TYPES)
    np.testing.assert_allclose(saima_closeness(x, w), theirs, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_topsis_closeness_equals_scikit_criteria(seed: int) -> None:
    from skcriteria.agg.similarity import TOPSIS
    from skcriteria.pipeline import mkpipe
    from skcriteria.preprocessing.scalers import VectorScaler

    x = positive_matrix(seed)
    w = np.random.default_rng(seed + 10).dirichlet(np.ones(6))
    dm = skc.mkdm(x, [max if t > 0 else min for t in TYPES], weights=w)
    theirs = mkpipe(VectorScaler(target="matrix"), TOPSIS()).evaluate(dm).e_.similarity
    np.testing.assert_allclose(saima_closeness(x, w), theirs, rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_entropy_weights_equal_pymcdm_on_positive_data(seed: int) -> None:
    from pymcdm.weights import entropy_weights as theirs

    x = positive_matrix(seed)
    np.testing.assert_allclose(entropy_weights(x), theirs(x), rtol=0, atol=1e-9)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_entropy_weights_equal_scikit_criteria_on_positive_data(seed: int) -> None:
    from skcriteria.preprocessing.weighters import entropy_weights as theirs

    x = positive_matrix(seed)
    np.testing.assert_allclose(entropy_weights(x), theirs(x), rtol=0, atol=1e-9)


def test_critic_weights_equal_pymcdm() -> None:
    from pymcdm.weights import critic_weights as theirs

    x = positive_matrix(4)
    from saima.engine.normalise import minmax

    ours = critic_weights(minmax(x, np.ones(6, dtype=bool)))
    np.testing.assert_allclose(ours, theirs(x), rtol=0, atol=1e-9)


def test_critic_weights_equal_pymcdm_only_on_direction_adjusted_data() -> None:
    """pymcdm's CRITIC ignores directions (it min-max normalises every column as "higher");
    ours flips "lower" columns first, which changes the signs of their correlations."""
    from pymcdm.weights import critic_weights as theirs

    from saima.engine.normalise import minmax

    x = positive_matrix(4)
    ours = critic_weights(minmax(x, TYPES > 0))
    adjusted = np.where(TYPES > 0, x, -x)  # "lower" columns negated: higher is better
    np.testing.assert_allclose(ours, theirs(adjusted), rtol=0, atol=1e-9)
    assert np.abs(ours - theirs(x)).max() > 1e-3


def test_entropy_weights_handle_zero_columns() -> None:
    n = np.array([[0.0, 0.0, 1.0], [0.5, 0.0, 0.0], [1.0, 0.0, 0.2]])
    w = entropy_weights(n)
    assert np.isfinite(w).all()
    assert w[1] == pytest.approx(0.0, abs=1e-12)
    assert w.sum() == pytest.approx(1.0)
