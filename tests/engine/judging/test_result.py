"""Weighted panels, criteria weights, the official method beside the others, the tie rule."""

from __future__ import annotations

import numpy as np
import pytest

from saima.engine.judging import Rules, judge_contest

from .factories import make_contest, random_scores


def linshui() -> tuple[np.ndarray, tuple[str, ...]]:
    """Two leaders (60%) and three other attendees (40%), one 0–100 score, three contestants."""
    s = np.array([[90, 80, 70], [86, 84, 70], [60, 90, 80], [62, 88, 82], [64, 86, 78]], float)
    return s[:, :, None], ("leaders", "leaders", "others", "others", "others")


def test_panels_are_aggregated_separately_then_combined_by_weight() -> None:
    s, seats = linshui()
    contest = make_contest(
        s,
        maxima=(100.0,),
        panels=(("leaders", 0.6), ("others", 0.4)),
        judge_panels=seats,
        rules=Rules(method="mean"),
    )
    result = judge_contest(contest)
    official = result.official
    assert official.panel_scores[0].tolist() == pytest.approx([88.0, 82.0, 70.0])
    assert official.panel_scores[1].tolist() == pytest.approx([62.0, 88.0, 80.0])
    assert official.scores.tolist() == pytest.approx(
        [0.6 * 88 + 0.4 * 62, 0.6 * 82 + 0.4 * 88, 74.0]
    )
    assert official.ranks.tolist() == [2, 1, 3]
    row = result.contestant_rows()[1]
    assert (row["panel:leaders"], row["panel:others"]) == pytest.approx((82.0, 88.0))


def test_panel_weights_outweigh_a_larger_panel() -> None:
    s, seats = linshui()
    equal = make_contest(
        s, maxima=(100.0,), panels=(("leaders", 0.5), ("others", 0.5)), judge_panels=seats
    )
    pooled = make_contest(s, maxima=(100.0,), rules=Rules(method="mean"))
    assert judge_contest(equal).methods["mean"].scores[0] == pytest.approx((88 + 62) / 2)
    assert judge_contest(pooled).methods["mean"].scores[0] == pytest.approx(np.mean(s[:, 0]))


def test_criteria_weights_scale_each_criterion_by_its_maximum() -> None:
    s = np.array([[[30.0, 15.0]]])  # 30 of 40, 15 of 60
    by_points = make_contest(s, maxima=(40.0, 60.0), weights=(40.0, 60.0))
    equal = make_contest(s, maxima=(40.0, 60.0), weights=(1.0, 1.0))
    assert judge_contest(by_points).official.scores[0] == pytest.approx(45.0)  # 45 of 100
    assert judge_contest(equal).official.scores[0] == pytest.approx(50.0)  # (75% + 25%) / 2


def test_every_method_is_computed_beside_the_official_one() -> None:
    s = random_scores(np.random.default_rng(4), (9, 5, 2), missing=0.1)
    for method in ("mean", "trimmed", "standardised"):
        result = judge_contest(make_contest(s, rules=Rules(method=method)))
        assert set(result.methods) == {"mean", "trimmed", "standardised"}
        assert result.official is result.methods[method]
        assert result.contestant_rows()[0]["score"] == result.methods[method].scores[0]


def test_the_tie_rule_goes_total_then_named_criterion_then_top_marks_then_shares() -> None:
    # c0 and c1 tie on the total; c1 is better on k0 (the tie-break criterion)
    # c2 and c3 tie on the total and on k0; c3 has a top mark (a 10)
    # c4 and c5 tie on everything: they share a rank
    s = np.array(
        [
            [[6, 8], [8, 6], [5, 5], [10, 2], [3, 3], [3, 3]],
            [[6, 8], [8, 6], [5, 5], [0, 8], [3, 3], [3, 3]],
        ],
        dtype=float,
    )
    result = judge_contest(make_contest(s, rules=Rules(method="mean", tiebreak="k0")))
    assert result.official.scores.tolist() == pytest.approx([70, 70, 50, 50, 30, 30])
    assert result.official.ranks.tolist() == [2, 1, 4, 3, 5, 5]
    assert result.top_marks.tolist() == [0, 0, 0, 1, 0, 0]


def test_without_a_named_criterion_top_marks_break_the_tie() -> None:
    s = np.array([[[10.0], [9.0]], [[6.0], [7.0]]])
    result = judge_contest(make_contest(s, rules=Rules(method="mean")))
    assert result.official.ranks.tolist() == [1, 2]


def test_rows_name_every_method_panel_and_judge() -> None:
    s, seats = linshui()
    result = judge_contest(
        make_contest(
            s, maxima=(100.0,), panels=(("leaders", 0.6), ("others", 0.4)), judge_panels=seats
        )
    )
    row = result.contestant_rows()[0]
    assert {
        "contestant",
        "rank",
        "score",
        "top_marks",
        "panel:leaders",
        "trimmed:panel:others",
    } <= set(row)
    assert [r["judge"] for r in result.judge_rows()] == ["j0", "j1", "j2", "j3", "j4"]
    assert [r["panel"] for r in result.panel_rows()] == ["leaders", "others"]


def test_one_judge_one_contestant_gives_the_score_and_no_agreement_figures() -> None:
    result = judge_contest(make_contest(np.array([[[7.0]]])))
    assert [m.scores.tolist() for m in result.methods.values()] == [[70.0]] * 3
    assert result.official.ranks.tolist() == [1]
    assert np.isnan(result.kendall_w).all() and np.isnan(result.spearman).all()
    assert not result.outlier.any()


def test_judges_who_each_scored_one_contestant_express_no_standardised_preference() -> None:
    s = np.array([[[7.0], [np.nan]], [[np.nan], [5.0]]])
    result = judge_contest(make_contest(s))
    assert result.methods["mean"].scores.tolist() == [70.0, 50.0]
    assert result.methods["standardised"].scores.tolist() == [60.0, 60.0]
    assert result.judges_in_w.tolist() == [0]
