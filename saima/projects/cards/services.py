"""Cards (黄牌警告、红牌退场): every transition a service, checked against the engine's table of
allowed edges (``saima.engine.progress.CARD_EDGES``), recorded as a ``CardEvent`` and an audit
event, in one transaction under a row lock.

none → snail (a published snail rating) → yellow card (整改方案 and deadline month) → at the
deadline, by the lights: cleared (the last N months green or yellow) or red card (红牌退场: the
project leaves the list, its history kept). snail → none: the rating withdrawn, with a reason;
cleared → snail: a snail again. Anything else is refused with the engine's reason.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.core.audit import record_event
from saima.engine.progress import CardRules, check_card_transition, decide_yellow_cards
from saima.engine.progress import CardState as EngineState
from saima.projects.errors import ProjectError
from saima.projects.lights.services import current_rules, rules_of
from saima.projects.models import (
    Card,
    CardEvent,
    CardState,
    ListMembership,
    MonthlyLight,
    RatingEntry,
)

REFUSALS = {
    "left_the_list": gettext_lazy("红牌退场后状态不再改变"),
    "already_in_state": gettext_lazy("已经是这个状态"),
    "red_card_needs_yellow_card": gettext_lazy("只有黄牌到期未整改到位才能红牌退场"),
    "only_a_yellow_card_is_cleared": gettext_lazy("只有黄牌才能整改销号"),
    "yellow_card_needs_snail": gettext_lazy("只有蜗牛项目才能给予黄牌"),
    "yellow_card_ends_at_deadline": gettext_lazy("黄牌只能在整改期限到期时判定"),
    "not_an_edge": gettext_lazy("不允许这样变更"),
    "rectification_plan_missing": gettext_lazy("黄牌须附整改方案"),
    "deadline_missing": gettext_lazy("黄牌须设定整改期限"),
    "deadline_not_after_month": gettext_lazy("整改期限须晚于本月"),
    "before_deadline": gettext_lazy("整改期限未到"),
}


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def this_month() -> tuple[int, int]:
    today = timezone.localdate()
    return today.year, today.month


def _deadline(card: Card) -> int | None:
    if card.deadline_year is None or card.deadline_month is None:
        return None
    return month_index(card.deadline_year, card.deadline_month)


def transition_refusal(
    card: Card,
    target: str,
    *,
    now: tuple[int, int],
    plan: str = "",
    deadline: tuple[int, int] | None = None,
    reason: str = "",
) -> str | None:
    """Why ``card`` may not move to ``target`` now (None: it may). The engine's table decides
    the edge; the conditions (plan, deadline, the lights at the deadline, a reason) follow."""
    current = EngineState(card.state)
    wanted = EngineState(target)
    month = month_index(*now)
    if wanted == EngineState.YELLOW_CARD:
        due = None if deadline is None else month_index(*deadline)
        has_plan = bool(plan.strip())
    else:
        due, has_plan = _deadline(card), bool(card.plan)
    check = check_card_transition(current, wanted, month=month, deadline=due, has_plan=has_plan)
    if not check.allowed:
        return str(REFUSALS.get(check.reason, check.reason))
    if current == EngineState.SNAIL and wanted == EngineState.NONE and not reason.strip():
        return str(_("撤销蜗牛认定须写明理由"))
    if current == EngineState.YELLOW_CARD:
        outcome = yellow_card_outcome(card)
        if outcome is None:
            return str(_("整改期限及之前月份的亮灯尚未计算"))
        if outcome != target:
            return str(
                _("按整改期限前的亮灯应判定为「%(state)s」") % {"state": CardState(outcome).label}
            )
    return None


def light_history(card: Card) -> tuple[np.ndarray, int] | None:
    """The project's stored lights up to the card's deadline (lists of the same owner, across
    years; a month without a light is grey) and the deadline's position in it."""
    due = _deadline(card)
    if due is None:
        return None
    rows = list(
        MonthlyLight.objects.filter(
            project=card.project, project_list__owner_id=card.project_list.owner_id
        ).values_list("project_list__year", "month", "light")
    )
    if not rows:
        return None
    start = min(month_index(y, m) for y, m, _light in rows)
    if due < start:
        return None
    history = np.full(due - start + 1, 3, dtype=np.int8)
    for y, m, light in rows:
        position = month_index(y, m) - start
        if position < len(history):
            history[position] = light
    return history, due - start


def clear_rules(card: Card) -> CardRules:
    version = current_rules(card.project_list)
    return rules_of(version).cards if version is not None else CardRules()


def yellow_card_outcome(card: Card) -> str | None:
    """ "cleared" or "red_card" by the lights at the deadline (None: not decidable yet)."""
    found = light_history(card)
    rules = clear_rules(card)
    if found is None or found[1] < rules.clear_months - 1:
        return None
    history, position = found
    return str(decide_yellow_cards(history[None, :], [position], rules)[0])


def _leave_list(actor: Any, card: Card, reason: str) -> None:
    """红牌退场: the project's open membership of the list is closed (history kept)."""
    membership = (
        ListMembership.objects.select_for_update()
        .filter(project_list=card.project_list, project=card.project, removed_at__isnull=True)
        .first()
    )
    if membership is None:
        return
    membership.removed_at = timezone.now()
    membership.removed_by = actor if getattr(actor, "is_authenticated", False) else None
    membership.removed_reason = reason
    membership.save(update_fields=["removed_at", "removed_by", "removed_reason"])
    record_event(
        actor=actor,
        action="projects.membership.remove",
        obj=membership,
        after={"list": card.project_list.code, "project": card.project.code},
        reason=reason,
    )


def card_transition(
    *,
    actor: Any,
    card: Card,
    target: str,
    reason: str = "",
    plan: str = "",
    deadline: tuple[int, int] | None = None,
    now: tuple[int, int] | None = None,
    entry: RatingEntry | None = None,
) -> Card:
    """Move ``card`` to ``target`` (a ``CardState`` value), or refuse with the reason."""
    if target not in CardState.values:
        raise ProjectError(_("未知的状态"))
    now = now or this_month()
    with transaction.atomic():
        card = (
            Card.objects.select_for_update()
            .select_related("project", "project_list")
            .get(pk=card.pk)
        )
        refusal = transition_refusal(
            card, target, now=now, plan=plan, deadline=deadline, reason=reason
        )
        if refusal is not None:
            raise ProjectError(refusal)
        before = card.state
        card.state = target
        if target == CardState.YELLOW_CARD:
            assert deadline is not None
            card.plan = plan.strip()
            card.deadline_year, card.deadline_month = deadline
        card.save()
        text = reason.strip() or str(CardState(target).label)
        CardEvent.objects.create(
            card=card,
            from_state=before,
            to_state=target,
            reason=reason.strip(),
            plan=plan.strip() if target == CardState.YELLOW_CARD else "",
            deadline=f"{deadline[0]}-{deadline[1]:02d}"
            if deadline and target == CardState.YELLOW_CARD
            else "",
            rating_entry=entry,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
        )
        if target == CardState.RED_CARD:
            _leave_list(actor, card, str(_("红牌退场：%(why)s") % {"why": text}))
        record_event(
            actor=actor,
            action="projects.card.transition",
            obj=card,
            before={"state": before},
            after={
                "state": target,
                "project": card.project.code,
                "deadline": f"{card.deadline_year}-{card.deadline_month}"
                if card.deadline_year
                else None,
            },
            reason=reason.strip(),
        )
    return card


def card_rated_snail(*, actor: Any, entry: RatingEntry) -> Card | None:
    """A published snail rating: the project's card moves to snail (from none or cleared); a
    card already snail or yellow stays as it is; a red card is final."""
    card, _created = Card.objects.get_or_create(
        project_list=entry.rating.project_list, project=entry.project
    )
    if card.state not in (CardState.NONE, CardState.CLEARED):
        return None
    reason = str(_("%(label)s蜗牛项目") % {"label": entry.rating.label})
    return card_transition(
        actor=actor, card=card, target=CardState.SNAIL, reason=reason, entry=entry
    )


def card_decide(*, actor: Any, card: Card, now: tuple[int, int] | None = None) -> Card:
    """At or after a yellow card's deadline: cleared or red card, as the lights say."""
    outcome = yellow_card_outcome(card)
    if card.state != CardState.YELLOW_CARD:
        raise ProjectError(REFUSALS["only_a_yellow_card_is_cleared"])
    if outcome is None:
        raise ProjectError(_("整改期限及之前月份的亮灯尚未计算"))
    return card_transition(actor=actor, card=card, target=outcome, now=now)
