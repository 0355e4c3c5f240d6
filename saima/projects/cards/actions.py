"""Card transitions as action objects: yellow card, withdraw the snail rating, decide at the
deadline (cleared or red card by the lights). The edge table is the engine's."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.projects.cards import services
from saima.projects.models import Card, CardState
from saima.projects.permissions import may_manage_list


class _CardAction(Action[Card]):
    target: str = ""

    def __init__(
        self,
        user: Any,
        card: Card,
        *,
        reason: str = "",
        plan: str = "",
        deadline: tuple[int, int] | None = None,
        now: tuple[int, int] | None = None,
    ) -> None:
        super().__init__(user)
        self.card, self.reason, self.plan, self.deadline = card, reason, plan, deadline
        self.now = now or services.this_month()

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.card.project_list)

    def target_state(self) -> str:
        return self.target

    def refusal(self) -> str | None:
        target = self.target_state()
        if not target:
            return str(_("整改期限及之前月份的亮灯尚未计算"))
        return services.transition_refusal(
            self.card,
            target,
            now=self.now,
            plan=self.plan,
            deadline=self.deadline,
            reason=self.reason,
        )

    def perform(self) -> Card:
        return services.card_transition(
            actor=self.user,
            card=self.card,
            target=self.target_state(),
            reason=self.reason,
            plan=self.plan,
            deadline=self.deadline,
            now=self.now,
        )


class GiveYellowCard(_CardAction):
    label = _("给予黄牌警告")
    target = CardState.YELLOW_CARD


class WithdrawSnail(_CardAction):
    label = _("撤销蜗牛认定")
    target = CardState.NONE


class DecideCard(_CardAction):
    """At the deadline: cleared or red card, whichever the lights say."""

    label = _("到期判定")

    def target_state(self) -> str:
        if self.card.state != CardState.YELLOW_CARD:
            return CardState.CLEARED  # refused by the edge table with its reason
        return services.yellow_card_outcome(self.card) or ""
