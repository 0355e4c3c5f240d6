"""Former known limits of the numeric search, now regression tests: extreme gaps under z-score
normalisation and CRITIC weights, where the margin is nearly flat and a score sits next to a
rounding edge, so the fast per-candidate update and `rank` could round differently
(docs/engine.md, "Known limits of the numeric search")."""

from __future__ import annotations

import numpy as np
import pytest

from saima.engine import rank

from .test_gaps import check_variant, variant, variant_data

EXTREME_CRITIC_ZSCORE = np.array(
    [
        [1.5, 61.375, 61.375],
        [61.375, 33.75, 61.375],
        [81.0, 61.375, 61.375],
        [89.0, 50.0, 1.0],
        [10.0, 23.9375, 61.375],
        [61.375, 61.375, 61.375],
        [61.375, 1.0, 61.375],
        [61.375, 61.375, 61.375],
    ]
)

# the fast scores of a rival next to a rounding edge used to depend on which other candidates
# shared the batch
EXTREME_CRITIC_ZSCORE_BATCHED = np.array(
    [
        [1.5, 61.375, 61.375],
        [61.375, 33.625, 61.375],
        [81.0, 61.375, 61.375],
        [89.0, 50.0, 61.375],
        [10.0, 23.9375, 61.375],
        [61.375, 61.375, 61.375],
        [61.375, 1.0, 61.375],
        [61.375, 61.375, 1.0],
    ]
)


@pytest.mark.parametrize(
    ("values", "delay_gap"),
    [
        # a gap of -9.4e4 on a column of range 88, which used to tie within rounding
        pytest.param(EXTREME_CRITIC_ZSCORE, -9.4e4, id="tie-within-rounding"),
        # unit 6's gap of -2.6e6, next to a rival's rounding edge
        pytest.param(EXTREME_CRITIC_ZSCORE_BATCHED, -2.6e6, id="rounding-edge-in-a-batch"),
    ],
)
def test_an_extreme_gap_under_critic_and_zscore_selects_the_unit(values, delay_gap) -> None:
    gaps = rank(variant("critic-zscore"), variant_data(values), explain=True).gaps
    assert gaps is not None
    assert gaps["delay"][6] == pytest.approx(delay_gap, rel=0.01)  # found, not given up (NaN)
    assert check_variant(values, "critic-zscore") > 0
