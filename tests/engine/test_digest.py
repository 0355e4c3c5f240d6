"""The digest covers every number a board publishes, and re-hashes from stored outputs."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest

from saima.engine import (
    RankResult,
    outputs_digest,
    published_outputs,
    rank,
    result_digest,
)
from saima.engine.digest import canonical_json

from .conftest import make_data, make_scheme


def full_result() -> RankResult:
    return rank(make_scheme(), make_data(), explain=True, robustness=200, seed=3)


def bump_section(r: RankResult) -> None:
    r.section_scores["scale"][0] += 0.5


def bump_contribution(r: RankResult) -> None:
    r.contributions["delay"][2] += 0.5


def bump_weight(r: RankResult) -> None:
    r.weights["city"]["fai"] += 0.01


def flip_tie(r: RankResult) -> None:
    r.tie_at_boundary[1] = not r.tie_at_boundary[1]


def change_kind(r: RankResult) -> None:
    assert r.gap_kinds is not None
    r.gap_kinds["fai"][2] = "out_of_reach"


def bump_gap(r: RankResult) -> None:
    assert r.gaps is not None
    r.gaps["fai"][2] += 0.5


def bump_interval(r: RankResult) -> None:
    assert r.robustness is not None
    r.robustness.rank_p95[0] += 1


def bump_p_selected(r: RankResult) -> None:
    assert r.robustness is not None
    r.robustness.p_selected[4] = 0.123


def bump_score(r: RankResult) -> None:
    r.score[3] += 1e-6


TAMPERINGS: list[Callable[[RankResult], None]] = [
    bump_section,
    bump_contribution,
    bump_weight,
    flip_tie,
    change_kind,
    bump_gap,
    bump_interval,
    bump_p_selected,
    bump_score,
]


@pytest.mark.parametrize("tamper", TAMPERINGS, ids=lambda f: f.__name__)
def test_changing_any_published_number_changes_the_digest(tamper) -> None:
    scheme, data = make_scheme(), make_data()
    result = full_result()
    before = result_digest(scheme, data, result)
    tamper(result)
    assert result_digest(scheme, data, result) != before


def test_the_draws_and_seed_are_covered() -> None:
    scheme, data = make_scheme(), make_data()
    outputs = published_outputs(full_result())
    digests = {
        outputs_digest(scheme, data, outputs, draws=200, seed=3),
        outputs_digest(scheme, data, outputs, draws=200, seed=4),
        outputs_digest(scheme, data, outputs, draws=201, seed=3),
    }
    assert len(digests) == 3


def postgres_like(value: Any) -> Any:
    """What a JSON column may hand back: whole floats as integers, -0.0 as 0 (jsonb numeric)."""
    if isinstance(value, dict):
        return {k: postgres_like(v) for k, v in value.items()}
    if isinstance(value, list):
        return [postgres_like(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def test_stored_outputs_re_hash_to_the_digest_after_a_json_round_trip() -> None:
    scheme, data = make_scheme(), make_data()
    result = full_result()
    stored = json.loads(json.dumps(published_outputs(result)))
    expected = result_digest(scheme, data, result)
    assert outputs_digest(scheme, data, stored, draws=200, seed=3) == expected
    assert outputs_digest(scheme, data, postgres_like(stored), draws=200, seed=3) == expected


def test_signed_zero_and_whole_floats_have_one_canonical_form() -> None:
    assert canonical_json([-0.0, 0.0, 0, 3.0, 3]) == "[0,0,0,3,3]"
    assert canonical_json({"x": np.float64(-0.0)}) == canonical_json({"x": 0})


def test_gap_kinds_and_effective_weights_are_in_the_published_rows() -> None:
    outputs = published_outputs(full_result())
    row = outputs["rows"][0]
    assert {"section:scale", "contrib:fai", "gap:fai", "gap_kind:fai", "p_selected"} <= set(row)
    assert outputs["weights"]["city"]["fai"] == pytest.approx(0.5)
