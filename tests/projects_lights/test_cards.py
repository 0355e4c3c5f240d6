"""Cards: every allowed edge of the engine's table is a service that works, every other pair is
refused with nothing written; the conditions of each edge hold (plan, deadline, the lights)."""

from __future__ import annotations

import itertools

import pytest

from saima.core.models import AuditEvent
from saima.engine.progress import CARD_EDGES
from saima.engine.progress import CardState as EngineState
from saima.projects.cards import services
from saima.projects.errors import ProjectError
from saima.projects.models import Card, CardEvent, CardState, ListMembership
from tests.projects_lights.helpers import computed

STATES = [s.value for s in EngineState]
ALLOWED = {(a.value, b.value) for a, b in CARD_EDGES}
FORBIDDEN = [pair for pair in itertools.product(STATES, STATES) if pair not in ALLOWED]
NOW = (2026, 7)


@pytest.fixture
def lit(world):
    computed(world, 6)
    return world


def card_in(world, state: str, code: str = "P1", deadline=(2026, 5)) -> Card:
    yellow = state == CardState.YELLOW_CARD
    return Card.objects.create(
        project_list=world.plist,
        project=world.projects[code],
        state=state,
        plan="整改方案" if yellow else "",
        deadline_year=deadline[0] if yellow else None,
        deadline_month=deadline[1] if yellow else None,
    )


def test_the_table_has_six_edges_and_nineteen_refusals():
    assert len(ALLOWED) == 6 and len(FORBIDDEN) == 19


def edge_inputs(source: str, target: str) -> dict:
    if target == CardState.YELLOW_CARD:
        return {"plan": "倒排工期，9月底前开工", "deadline": (2026, 9), "now": NOW}
    if (source, target) == (CardState.SNAIL, CardState.NONE):
        return {"reason": "复核：已按期开工", "now": NOW}
    return {"now": NOW}


@pytest.mark.parametrize("source,target", sorted(ALLOWED))
def test_every_allowed_edge_moves_the_card_with_an_event_and_an_audit_record(lit, source, target):
    # P1 is green throughout (cleared at its deadline); P3 red from April (red card)
    card = card_in(lit, source, code="P3" if target == CardState.RED_CARD else "P1")
    services.card_transition(
        actor=lit.users["organiser"], card=card, target=target, **edge_inputs(source, target)
    )
    card.refresh_from_db()
    assert card.state == target
    event = CardEvent.objects.get(card=card)
    assert (event.from_state, event.to_state) == (source, target)
    assert (
        AuditEvent.objects.filter(action="projects.card.transition", object_id=str(card.pk)).count()
        == 1
    )


@pytest.mark.parametrize("source,target", FORBIDDEN)
def test_every_forbidden_edge_is_refused_and_writes_nothing(lit, source, target):
    card = card_in(lit, source)
    with pytest.raises(ProjectError):
        services.card_transition(
            actor=lit.users["organiser"], card=card, target=target, **edge_inputs(source, target)
        )
    card.refresh_from_db()
    assert card.state == source
    assert not CardEvent.objects.filter(card=card).exists()
    assert not AuditEvent.objects.filter(action="projects.card.transition").exists()


def test_a_red_card_takes_the_project_off_the_list_and_keeps_its_history(lit):
    card = card_in(lit, CardState.YELLOW_CARD, code="P3")
    services.card_decide(actor=lit.users["organiser"], card=card, now=NOW)
    card.refresh_from_db()
    assert card.state == CardState.RED_CARD
    membership = ListMembership.objects.get(project_list=lit.plist, project=lit.projects["P3"])
    assert membership.removed_at is not None and "红牌退场" in membership.removed_reason
    assert lit.projects["P3"].lights.count() == 6  # the lights stay


def test_the_lights_decide_not_the_organiser(lit):
    card = card_in(lit, CardState.YELLOW_CARD, code="P3")
    with pytest.raises(ProjectError, match="红牌退场"):
        services.card_transition(
            actor=lit.users["organiser"], card=card, target=CardState.CLEARED, now=NOW
        )


@pytest.mark.parametrize(
    "inputs,message",
    [
        ({"plan": " ", "deadline": (2026, 9)}, "整改方案"),
        ({"plan": "方案", "deadline": None}, "期限"),
        ({"plan": "方案", "deadline": (2026, 7)}, "晚于本月"),
    ],
)
def test_a_yellow_card_needs_a_plan_and_a_later_deadline(lit, inputs, message):
    card = card_in(lit, CardState.SNAIL)
    with pytest.raises(ProjectError, match=message):
        services.card_transition(
            actor=lit.users["organiser"], card=card, target=CardState.YELLOW_CARD, now=NOW, **inputs
        )


def test_a_yellow_card_is_not_decided_before_its_deadline_or_without_lights(lit):
    early = card_in(lit, CardState.YELLOW_CARD, deadline=(2026, 9))
    with pytest.raises(ProjectError, match="未到|尚未计算"):
        services.card_decide(actor=lit.users["organiser"], card=early, now=NOW)
    with pytest.raises(ProjectError, match="未到"):
        services.card_transition(
            actor=lit.users["organiser"], card=early, target=CardState.CLEARED, now=(2026, 8)
        )


def test_withdrawing_a_snail_needs_a_reason(lit):
    card = card_in(lit, CardState.SNAIL)
    with pytest.raises(ProjectError, match="理由"):
        services.card_transition(
            actor=lit.users["organiser"], card=card, target=CardState.NONE, now=NOW
        )
