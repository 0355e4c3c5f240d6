"""The person's record section (干部档案 · 重点项目): the responsible leader's ratings and cards."""

from __future__ import annotations

from saima.core.records import record_of
from saima.org.models import Person
from saima.projects.cards import services as cards
from saima.projects.models import Card, CardState, Project
from tests.projects_lights.helpers import computed, published_quarter, with_test_rules


def test_a_leaders_record_lists_their_projects_snails_and_cards(world):
    leader = Person.objects.create(name="李四", position="副县长", unit=world.units["county_a2"])
    Project.objects.filter(pk=world.projects["P5"].pk).update(leader=leader)
    with_test_rules(world)
    computed(world, 6)
    rating = published_quarter(world, 1)
    card = Card.objects.get(project=world.projects["P5"])
    cards.card_transition(
        actor=world.users["organiser"],
        card=card,
        target=CardState.YELLOW_CARD,
        plan="限期开工",
        deadline=(2026, 9),
        now=(2026, 4),
    )
    section = next(s for s in record_of(leader) if s.key == "projects.cards")
    refs = {e.ref: e for e in section.entries}
    snail = rating.entries.get(project=world.projects["P5"], kind="snail")
    assert refs[f"projects.ratingentry:{snail.pk}"].negative
    assert refs[f"projects.card:{card.pk}"].negative
    assert "2026-09" in refs[f"projects.card:{card.pk}"].outcome
    assert all("P5" in e.title or world.projects["P5"].name in e.title for e in section.entries)


def test_someone_who_leads_no_project_has_an_empty_section(world):
    other = Person.objects.create(name="王五", unit=world.units["county_a1"])
    section = next(s for s in record_of(other) if s.key == "projects.cards")
    assert section.entries == []
