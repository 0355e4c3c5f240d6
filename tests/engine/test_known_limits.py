"""Former known limits of the numeric search, now regression tests: extreme gaps under z-score
normalisation and CRITIC weights, where the margin is nearly flat and a score sits next to a
rounding edge, so the fast per-candidate update and `rank` could round differently
(docs/engine.md, "Known limits of the numeric search")."""

from __future__ import annotations

import numpy as np

from tests.engine.test_gaps import check_variant

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

# unit 6's `delay` gap is about -2.6e6; the fast scores of a rival next to a rounding edge
# used to depend on which other candidates shared the batch
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


def test_an_extreme_gap_under_critic_and_zscore_selects_the_unit() -> None:
    # a gap of -9.4e4 on a column of range 88, which used to tie within rounding
    check_variant(EXTREME_CRITIC_ZSCORE, "critic-zscore")


def test_an_extreme_gap_next_to_a_rounding_edge_selects_the_unit() -> None:
    check_variant(EXTREME_CRITIC_ZSCORE_BATCHED, "critic-zscore")
