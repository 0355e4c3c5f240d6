"""Robustness draws are right at every concentration, checked against an independent Monte Carlo.

At a small concentration (c = 1e-3) Gamma(c · w) draws used to underflow to zero, every score
tied and 95 of 101 units got median rank 1. The independent check draws with NumPy's own
`Generator.dirichlet` (stick-breaking for small parameters, so it does not underflow) and ranks
each draw in a plain loop.
"""

from __future__ import annotations

import numpy as np
import pytest
from scipy.stats import rankdata

from saima.engine import Dataset, load_scheme, rank
from saima.engine.robustness import dirichlet_draws

WEIGHTS = (0.6, 0.3, 0.1)  # subset sums keep 0.1 away from 1/2: medians are not near a flip
UNITS = 101
QUOTA = 30
DRAWS = 4000


def scheme_with(concentration: float):
    indicators = "".join(
        f'[[indicators]]\ncode = "i{j}"\nsection = "s"\ndirection = "higher"\nweight = {w}\n'
        for j, w in enumerate(WEIGHTS)
    )
    return load_scheme(
        f'name = "x"\n[robustness]\nconcentration = {concentration}\n'
        f'[[groups]]\ncode = "g"\nquota = {QUOTA}\n[[sections]]\ncode = "s"\n{indicators}'
    )


def dataset() -> Dataset:
    values = np.random.default_rng(2024).normal(50.0, 10.0, size=(UNITS, len(WEIGHTS)))
    return Dataset(tuple(f"u{i}" for i in range(UNITS)), ("g",) * UNITS, values)


def independent(concentration: float, data: Dataset) -> np.ndarray:
    """Ranks (draws, units) under numpy's dirichlet, one draw at a time."""
    x = data.values
    n = (x - x.min(axis=0)) / (x.max(axis=0) - x.min(axis=0))
    rng = np.random.default_rng(99)
    alpha = concentration * np.array(WEIGHTS) / sum(WEIGHTS)
    ranks = np.empty((DRAWS, UNITS))
    for d in range(DRAWS):
        w = rng.dirichlet(alpha)
        score = np.round(100.0 * n @ w, 9)
        ranks[d] = rankdata(-score, method="min")
    return ranks


@pytest.mark.parametrize("concentration", [1e-3, 0.5, 50.0])
def test_p_selected_and_median_rank_agree_with_an_independent_monte_carlo(
    concentration: float,
) -> None:
    data = dataset()
    result = rank(scheme_with(concentration), data, robustness=DRAWS, seed=7).robustness
    assert result is not None
    ranks = independent(concentration, data)
    # two samples of 4,000: the standard error of a difference is at most 0.011
    assert np.abs(result.p_selected - (ranks <= QUOTA).mean(axis=0)).max() < 0.06
    # each unit's median lies within the other sample's 40th to 60th percentile of ranks
    assert (np.quantile(ranks, 0.4, axis=0) <= result.rank_median).all()
    assert (result.rank_median <= np.quantile(ranks, 0.6, axis=0)).all()
    if concentration < 0.01:  # near the vertices the median is one vertex's rank: exactly equal
        np.testing.assert_array_equal(result.rank_median, np.median(ranks, axis=0))


def test_small_concentration_does_not_tie_every_unit() -> None:
    result = rank(scheme_with(1e-3), dataset(), robustness=DRAWS, seed=7).robustness
    assert result is not None
    assert (result.rank_median == 1).sum() <= len(WEIGHTS)  # one leader per vertex at most
    # without ties each draw selects exactly QUOTA units, so the probabilities sum to QUOTA
    assert result.p_selected.sum() == pytest.approx(QUOTA, abs=0.01)


@pytest.mark.parametrize("concentration", [1e-300, 1e-9, 1e-3, 0.7, 3.0, 1e6])
def test_draws_are_finite_weights_summing_to_one(concentration: float) -> None:
    w = np.array([0.5, 0.0, 0.3, 0.2])
    draws = dirichlet_draws(np.random.default_rng(1), w, concentration, 2000)
    assert np.isfinite(draws).all()
    np.testing.assert_allclose(draws.sum(axis=1), 1.0)
    assert (draws[:, 1] == 0).all()  # a zero weight stays zero


def test_tiny_concentration_puts_each_draw_on_a_vertex_with_probability_w() -> None:
    w = np.array([0.6, 0.3, 0.1])
    draws = dirichlet_draws(np.random.default_rng(5), w, 1e-6, 20_000)
    assert (draws.max(axis=1) > 0.999999).all()
    share = np.bincount(draws.argmax(axis=1), minlength=3) / 20_000
    np.testing.assert_allclose(share, w, atol=0.015)
