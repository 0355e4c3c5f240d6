"""Hostile or broken contest inputs are refused, each problem named."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from saima.engine.judging import (
    ContestError,
    Criterion,
    Panel,
    Rules,
    contest_errors,
    judge_contest,
)

from .factories import make_contest


def good() -> np.ndarray:
    return np.full((3, 2, 2), 5.0)


def test_a_valid_contest_has_no_errors() -> None:
    assert contest_errors(make_contest(good())) == []


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (10.5, "judge 'j1', contestant 'c0', criterion 'k1': 10.5 is above the maximum 10"),
        (-1.0, "judge 'j1', contestant 'c0', criterion 'k1': -1 is below 0"),
        (np.inf, "judge 'j1', contestant 'c0', criterion 'k1': inf is not a number"),
    ],
)
def test_a_score_out_of_range_is_named_by_judge_contestant_and_criterion(value, message) -> None:
    s = good()
    s[1, 0, 1] = value
    assert contest_errors(make_contest(s)) == [message]
    with pytest.raises(ContestError, match="judge 'j1', contestant 'c0'"):
        judge_contest(make_contest(s))


def test_a_panel_without_any_score_for_a_contestant_is_refused() -> None:
    s = good()
    s[2, 1, 0] = np.nan
    contest = make_contest(s, panels=(("a", 0.6), ("b", 0.4)), judge_panels=("a", "a", "b"))
    assert contest_errors(contest) == [
        "panel 'b' has no score for contestant 'c1' on criterion 'k0'"
    ]


def test_scores_of_the_wrong_shape_are_refused() -> None:
    contest = replace(make_contest(good()), scores=np.full((3, 2), 5.0))
    assert contest_errors(contest) == ["scores have shape (3, 2), expected (3, 2, 2)"]


def test_rubric_panels_and_rules_are_checked_together() -> None:
    contest = replace(
        make_contest(good()),
        criteria=(Criterion("k0", "a", 0, 1), Criterion("k0", "b", 10, -1)),
        panels=(Panel("all", "all", 0),),
        rules=Rules(method="median", trim=-1, min_kept=0, tiebreak="nope"),  # type: ignore[arg-type]
    )
    assert contest_errors(contest) == [
        "criterion 'k0' appears more than once",
        "criterion 'k0': maximum must be a positive number",
        "criterion 'k0': weight must be a positive number",
        "panel 'all': weight must be a positive number",
        "method 'median' is not one of mean, trimmed, standardised",
        "trim must be 0 or more, not -1",
        "min_kept must be 1 or more, not 0",
        "tiebreak 'nope' is not a criterion of this contest",
    ]


def test_judges_must_sit_on_a_panel_of_the_contest_and_every_panel_needs_a_judge() -> None:
    contest = make_contest(good(), panels=(("a", 1.0), ("b", 1.0)), judge_panels=("a", "a", "x"))
    assert contest_errors(contest) == [
        "judge 'j2': panel 'x' is not a panel of this contest",
        "panel 'b' has no judge",
    ]


def test_duplicate_judges_are_refused() -> None:
    contest = replace(make_contest(good()), judges=("j0", "j0", "j1"))
    assert contest_errors(contest) == ["judge 'j0' appears more than once"]


def test_many_problems_are_listed_up_to_twenty_then_counted() -> None:
    s = np.full((10, 5, 1), 11.0)
    problems = contest_errors(make_contest(s))
    assert len(problems) == 21
    assert problems[-1] == "and 30 more problems"
