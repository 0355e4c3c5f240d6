"""A published contest re-verifies: from its inputs, and from its stored outputs."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from saima.engine.judging import contest_digest, judge_contest, published_contest

from .factories import make_contest, random_scores


def contest():
    return make_contest(random_scores(np.random.default_rng(5), (8, 4, 2), missing=0.1))


def test_rerunning_the_same_inputs_gives_the_same_digest() -> None:
    first, second = contest(), contest()
    d1 = contest_digest(first, published_contest(judge_contest(first)))
    assert d1 == contest_digest(second, published_contest(judge_contest(second)))
    assert len(d1) == 64


def test_stored_outputs_rehash_after_a_json_round_trip() -> None:
    c = contest()
    outputs = published_contest(judge_contest(c))
    stored = json.loads(json.dumps(outputs, allow_nan=True))
    assert contest_digest(c, stored) == contest_digest(c, outputs)


def test_changing_one_score_changes_the_digest() -> None:
    c = contest()
    scores = c.scores.copy()
    scores[3, 2, 1] = 9.5 if scores[3, 2, 1] != 9.5 else 9.0
    moved = replace(c, scores=scores)
    assert contest_digest(c, published_contest(judge_contest(c))) != contest_digest(
        moved, published_contest(judge_contest(moved))
    )


def test_tampered_outputs_do_not_verify() -> None:
    c = contest()
    outputs = published_contest(judge_contest(c))
    honest = contest_digest(c, outputs)
    outputs["contestants"][0]["score"] += 0.01
    assert contest_digest(c, outputs) != honest


def test_float_noise_below_ten_significant_digits_does_not_change_the_digest() -> None:
    c = contest()
    outputs = published_contest(judge_contest(c))
    honest = contest_digest(c, outputs)
    outputs["contestants"][0]["score"] *= 1 + 1e-14
    assert contest_digest(c, outputs) == honest
