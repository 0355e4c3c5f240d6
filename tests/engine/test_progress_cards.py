"""The card state machine: every edge of the state × state table, conditions, deadlines."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from saima.engine import DataError
from saima.engine.progress import (
    CardRules,
    CardState,
    card_edge,
    check_card_transition,
    decide_yellow_cards,
)

S = CardState
ALLOWED = {
    (S.NONE, S.SNAIL),
    (S.CLEARED, S.SNAIL),
    (S.SNAIL, S.NONE),
    (S.SNAIL, S.YELLOW_CARD),
    (S.YELLOW_CARD, S.CLEARED),
    (S.YELLOW_CARD, S.RED_CARD),
}
TABLE = list(itertools.product(CardState, CardState))


@pytest.mark.parametrize(("current", "target"), TABLE, ids=[f"{a}->{b}" for a, b in TABLE])
def test_the_state_table_allows_exactly_the_documented_edges(
    current: CardState, target: CardState
) -> None:
    check = card_edge(current, target)
    assert check.allowed == ((current, target) in ALLOWED)
    if check.allowed:
        assert check.reason == f"{current.value}_to_{target.value}"
    else:
        assert check.reason and "_to_" not in check.reason


@pytest.mark.parametrize(
    ("current", "target", "reason"),
    [
        (S.RED_CARD, S.SNAIL, "left_the_list"),
        (S.RED_CARD, S.NONE, "left_the_list"),
        (S.SNAIL, S.SNAIL, "already_in_state"),
        (S.SNAIL, S.RED_CARD, "red_card_needs_yellow_card"),
        (S.NONE, S.CLEARED, "only_a_yellow_card_is_cleared"),
        (S.NONE, S.YELLOW_CARD, "yellow_card_needs_snail"),
        (S.YELLOW_CARD, S.NONE, "yellow_card_ends_at_deadline"),
        (S.CLEARED, S.NONE, "not_an_edge"),
    ],
)
def test_a_refused_edge_says_why(current: CardState, target: CardState, reason: str) -> None:
    assert card_edge(current, target).reason == reason


def test_a_yellow_card_needs_a_plan_and_a_deadline_after_this_month() -> None:
    def check(**kw: object) -> str:
        return check_card_transition(S.SNAIL, S.YELLOW_CARD, month=3, **kw).reason  # type: ignore[arg-type]

    assert check(deadline=6) == "rectification_plan_missing"
    assert check(has_plan=True) == "deadline_missing"
    assert check(has_plan=True, deadline=3) == "deadline_not_after_month"
    assert check(has_plan=True, deadline=6) == "snail_to_yellow_card"


@pytest.mark.parametrize("target", [S.CLEARED, S.RED_CARD])
def test_a_yellow_card_is_decided_at_or_after_its_deadline_only(target: CardState) -> None:
    assert check_card_transition(S.YELLOW_CARD, target, month=5, deadline=6).reason == (
        "before_deadline"
    )
    assert check_card_transition(S.YELLOW_CARD, target, month=6, deadline=6).allowed
    assert check_card_transition(S.YELLOW_CARD, target, month=6).reason == "deadline_missing"


def test_a_forbidden_edge_is_refused_whatever_the_conditions() -> None:
    check = check_card_transition(S.RED_CARD, S.SNAIL, month=1, deadline=0, has_plan=True)
    assert (check.allowed, check.reason) == (False, "left_the_list")


def test_at_the_deadline_n_months_green_or_yellow_clear_the_card_else_red() -> None:
    lights = np.array(
        [
            [2, 2, 0, 1, 2],  # months 2..3 green, yellow: cleared at deadline 3
            [2, 2, 0, 2, 0],  # a red in the window: red card
            [2, 2, 0, 3, 0],  # a grey in the window: red card
            [0, 0, 0, 0, 2],  # deadline 4: red in the deadline month
        ],
        dtype=np.int8,
    )
    decided = decide_yellow_cards(lights, [3, 3, 3, 4], CardRules(clear_months=2))
    assert decided.tolist() == ["cleared", "red_card", "red_card", "red_card"]
    three = decide_yellow_cards(lights[:1], [3], CardRules(clear_months=3))
    assert three.tolist() == ["red_card"]  # month 1 (red) is in a 3-month window
    one = decide_yellow_cards(lights[1:2], [4], CardRules(clear_months=1))
    assert one.tolist() == ["cleared"]


def test_a_deadline_outside_the_lights_is_refused_naming_the_card() -> None:
    lights = np.zeros((2, 4), dtype=np.int8)
    with pytest.raises(DataError, match="Row 2, column 'deadline': deadline month 5"):
        decide_yellow_cards(lights, [3, 4], CardRules())
    with pytest.raises(DataError, match="Row 1, column 'deadline'"):
        decide_yellow_cards(lights, [0, 3], CardRules(clear_months=2))
