"""Quarterly ratings: proposed by the rules from the stored lights, reviewed with reasons,
published (cards and supervision follow); the annual commendations and incentives."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saima.core.models import AuditEvent
from saima.projects.errors import ProjectError
from saima.projects.incentives.services import incentives_compute
from saima.projects.models import (
    Card,
    CardState,
    IncentiveProposal,
    MonthlyLight,
    RatingKind,
    RatingStatus,
    SupervisionItem,
)
from saima.projects.ratings import selectors, services
from tests.projects_lights.helpers import computed, published_quarter, with_test_rules


def named(rating, kind):
    return sorted(e.project.code for e in rating.entries.filter(kind=kind, removed=False))


@pytest.fixture
def rated(world):
    with_test_rules(world)
    computed(world, 6)
    return world


def test_the_rules_propose_red_flags_and_snails(rated):
    organiser = rated.users["organiser"]
    q1 = services.rating_propose(actor=organiser, project_list=rated.plist, quarter=1)
    assert named(q1, RatingKind.SNAIL) == ["P5"]  # start overdue at quarter end
    assert "snail:start_overdue" in q1.entries.get(project__code="P5").reasons
    assert len(named(q1, RatingKind.RED_FLAG)) >= 2
    assert "P4" not in named(q1, RatingKind.RED_FLAG)  # a grey month: not eligible
    q2 = services.rating_propose(actor=organiser, project_list=rated.plist, quarter=2)
    assert named(q2, RatingKind.SNAIL) == ["P3", "P5"]
    assert "snail:red_months" in q2.entries.get(project__code="P3").reasons


def test_the_stored_lights_decide_not_a_rerun(rated):
    """An edited rule after the lights were published does not change the red months."""
    MonthlyLight.objects.filter(project=rated.projects["P3"], month__in=[4, 5, 6]).update(light=1)
    q2 = services.rating_propose(
        actor=rated.users["organiser"], project_list=rated.plist, quarter=2
    )
    assert "P3" not in named(q2, RatingKind.SNAIL)


def test_a_quarter_without_its_lights_is_refused(world):
    with_test_rules(world)
    computed(world, 2)
    with pytest.raises(ProjectError, match="3 月"):
        services.rating_propose(actor=world.users["organiser"], project_list=world.plist, quarter=1)


def test_review_needs_written_reasons_and_keeps_removed_rows(rated):
    organiser = rated.users["organiser"]
    rating = services.rating_propose(actor=organiser, project_list=rated.plist, quarter=1)
    entry = rating.entries.get(project__code="P5", kind=RatingKind.SNAIL)
    with pytest.raises(ProjectError, match="理由"):
        services.rating_entry_remove(actor=organiser, entry=entry, reason="  ")
    services.rating_entry_remove(actor=organiser, entry=entry, reason="已于3月底开工，补录节点")
    services.rating_entry_add(
        actor=organiser,
        rating=rating,
        project=rated.projects["P2"],
        kind=RatingKind.SNAIL,
        reason="群众反映停工",
    )
    with pytest.raises(ProjectError, match="已在名单"):
        services.rating_entry_add(
            actor=organiser,
            rating=rating,
            project=rated.projects["P2"],
            kind=RatingKind.SNAIL,
            reason="再次",
        )
    with pytest.raises(ProjectError, match="不在本清单"):
        services.rating_entry_add(
            actor=organiser,
            rating=rating,
            project=rated.other_project,
            kind=RatingKind.SNAIL,
            reason="x",
        )
    assert named(rating, RatingKind.SNAIL) == ["P2"]
    assert rating.entries.get(pk=entry.pk).removed
    assert AuditEvent.objects.filter(
        action="projects.rating.remove", reason="已于3月底开工，补录节点"
    ).exists()
    assert AuditEvent.objects.filter(action="projects.rating.add", reason="群众反映停工").exists()


def test_publishing_opens_a_snail_card_and_a_supervision_item_and_freezes_the_list(rated):
    rating = published_quarter(rated, 1)
    assert rating.status == RatingStatus.PUBLISHED
    card = Card.objects.get(project=rated.projects["P5"])
    assert card.state == CardState.SNAIL
    assert card.events.get().rating_entry.rating == rating
    item = SupervisionItem.objects.get(project=rated.projects["P5"])
    assert item.due_date.isoformat() == "2026-06-30"
    assert "限期开工" in item.required_actions
    with pytest.raises(ProjectError, match="已发布"):
        services.rating_propose(actor=rated.users["organiser"], project_list=rated.plist, quarter=1)
    with pytest.raises(ProjectError, match="已发布"):
        services.rating_publish(actor=rated.users["organiser"], rating=rating)
    from saima.projects.lights.services import lights_compute

    with pytest.raises(ProjectError, match="通报已发布"):
        lights_compute(
            actor=rated.users["organiser"], project_list=rated.plist, month=2, reason="x"
        )


def test_commendations_count_each_published_red_flag(rated):
    published_quarter(rated, 1)
    published_quarter(rated, 2)
    rows = selectors.commendations(rated.plist)
    assert rows and all(1 <= len(c.quarters) <= 2 for c in rows)
    assert rows[0].quarters == [1, 2]


def test_incentives_follow_the_published_counts_with_their_derivation(rated):
    published_quarter(rated, 1)
    published_quarter(rated, 2)
    rows = {
        p.locality.name: p
        for p in incentives_compute(actor=rated.users["organiser"], project_list=rated.plist)
    }
    assert set(rows) == {"上城区", "淳安县"}
    for proposal in rows.values():
        funds = proposal.red_flags * 500 - proposal.snails * 300
        assert proposal.funds == Decimal(max(-800, min(800, funds)))
        assert sum(Decimal(t["amount"]) for t in proposal.terms["funds"]) == proposal.funds
    chun_an = rows["淳安县"]
    assert chun_an.snails == 2  # P5 in both quarters
    assert IncentiveProposal.objects.count() == 2
