"""Cards (黄牌警告、红牌退场) as a state machine held in data.

none → snail (蜗牛) → yellow card (黄牌, with a rectification plan and deadline) → at the deadline
either cleared (整改销号) or red card (红牌退场: the project leaves the key list; its history is
kept, the state is final). A cleared project can become a snail again; a snail rating withdrawn on
review returns to none.

>>> card_edge(CardState.SNAIL, CardState.YELLOW_CARD).allowed
True
>>> card_edge(CardState.SNAIL, CardState.RED_CARD)
CardCheck(allowed=False, reason='red_card_needs_yellow_card')
>>> check_card_transition(CardState.SNAIL, CardState.YELLOW_CARD, month=3, deadline=2,
...     has_plan=True).reason
'deadline_not_after_month'
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from ..errors import DataError
from .lights import Light
from .rules import CardRules


class CardState(StrEnum):
    """A project's card state (stored by the app as this code)."""

    NONE = "none"
    SNAIL = "snail"  # 蜗牛项目
    YELLOW_CARD = "yellow_card"  # 黄牌警告
    CLEARED = "cleared"  # 整改到位
    RED_CARD = "red_card"  # 红牌退场


# Every allowed edge, with what it means; anything else is refused.
CARD_EDGES: dict[tuple[CardState, CardState], str] = {
    (CardState.NONE, CardState.SNAIL): "rated a snail in a quarter",
    (CardState.CLEARED, CardState.SNAIL): "a snail again after a cleared card",
    (CardState.SNAIL, CardState.NONE): "snail rating withdrawn on review, with a written reason",
    (CardState.SNAIL, CardState.YELLOW_CARD): "yellow card with rectification plan and deadline",
    (CardState.YELLOW_CARD, CardState.CLEARED): "cleared at the deadline: lights recovered",
    (CardState.YELLOW_CARD, CardState.RED_CARD): "red card at the deadline: leaves the list",
}


@dataclass(frozen=True)
class CardCheck:
    """Whether a transition may happen; `reason` is the edge's code or why not."""

    allowed: bool
    reason: str


def card_edge(current: CardState, target: CardState) -> CardCheck:
    """Whether the state table has the edge current → target, and if not, why not."""
    if (current, target) in CARD_EDGES:
        return CardCheck(True, f"{current}_to_{target}")
    return CardCheck(False, _why_not(current, target))


def _why_not(current: CardState, target: CardState) -> str:
    if current == target:
        return "already_in_state"
    if current == CardState.RED_CARD:
        return "left_the_list"
    if target == CardState.RED_CARD:
        return "red_card_needs_yellow_card"
    if target == CardState.CLEARED:
        return "only_a_yellow_card_is_cleared"
    if target == CardState.YELLOW_CARD:
        return "yellow_card_needs_snail"
    if current == CardState.YELLOW_CARD:
        return "yellow_card_ends_at_deadline"
    return "not_an_edge"


def check_card_transition(
    current: CardState,
    target: CardState,
    *,
    month: int,
    deadline: int | None = None,
    has_plan: bool = False,
) -> CardCheck:
    """The edge, and its conditions at `month`: a yellow card needs a rectification plan and a
    deadline after `month`; clearing or a red card happens at or after the card's deadline."""
    edge = card_edge(current, target)
    if not edge.allowed:
        return edge
    if target == CardState.YELLOW_CARD:
        if not has_plan:
            return CardCheck(False, "rectification_plan_missing")
        if deadline is None:
            return CardCheck(False, "deadline_missing")
        if deadline <= month:
            return CardCheck(False, "deadline_not_after_month")
    if current == CardState.YELLOW_CARD:
        if deadline is None:
            return CardCheck(False, "deadline_missing")
        if month < deadline:
            return CardCheck(False, "before_deadline")
    return edge


def decide_yellow_cards(
    light: NDArray[np.int8], deadline: ArrayLike, rules: CardRules
) -> NDArray[np.str_]:
    """At each card's deadline month: "cleared" when the last `clear_months` lights up to and
    including it are green or yellow (no red, no grey), else "red_card". One row per card.

    >>> import numpy as np
    >>> lights = np.array([[2, 2, 1, 0], [2, 1, 2, 1], [2, 0, 3, 0]], dtype=np.int8)
    >>> decide_yellow_cards(lights, [3, 3, 3], CardRules(clear_months=2)).tolist()
    ['cleared', 'red_card', 'red_card']
    """
    months = np.asarray(deadline, dtype=np.int64)
    if months.shape != (light.shape[0],):
        raise DataError(f"needs one deadline per card ({light.shape[0]})", column="deadline")
    n = rules.clear_months
    bad = np.flatnonzero((months >= light.shape[1]) | (months < n - 1))
    if bad.size:
        raise DataError(
            f"deadline month {int(months[bad[0]]) + 1} is not covered by the lights "
            f"(months {n}..{light.shape[1]})",
            row=int(bad[0]) + 1,
            column="deadline",
        )
    window = months[:, None] - np.arange(n)[None, :]
    seen = np.take_along_axis(light, window, axis=1)
    recovered = ((seen == Light.GREEN) | (seen == Light.YELLOW)).all(axis=1)
    return np.where(recovered, str(CardState.CLEARED), str(CardState.RED_CARD))
