"""The lights part of ``tests.factories.SampleObjects``: a published list of 杭州市 (city A)
with its lights, ratings, cards, supervision and incentives in every state a page shows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from saima.projects.cards import services as cards
from saima.projects.incentives.services import incentives_compute
from saima.projects.lights import services as lights
from saima.projects.models import Card, CardState, ProjectList, QuarterRating, SupervisionItem
from saima.projects.ratings import services as ratings
from tests.projects_lights.helpers import TEST_RULES
from tests.projects_lights.world import LightsWorld, build_lights_world, fill_reports


@dataclass
class LightsSamples:
    """``plist``: months 1–6 published, 7 computed (unpublished); Q1 published (P5 a snail with
    its card and open supervision item), Q2 proposed; P3's yellow card past its deadline;
    incentives computed. ``quiet``: an unpublished list of city A, nothing computed."""

    world: LightsWorld
    plist: ProjectList
    quiet: ProjectList
    published: QuarterRating
    proposed: QuarterRating
    snail_card: Card
    yellow_card: Card
    item: SupervisionItem

    @property
    def locality(self) -> Any:
        return self.world.units["county_a1"]


def build_lights_samples(base: dict[str, Any]) -> LightsSamples:
    world = build_lights_world(base, through=7, prefix="lt-")
    fill_reports(world, 7)
    organiser = base["users"]["organiser"]
    plist = world.plist
    lights.rules_version_create(actor=organiser, project_list=plist, rules_toml=TEST_RULES)
    for month in range(1, 8):
        run = lights.lights_compute(actor=organiser, project_list=plist, month=month)
        if month < 7:
            lights.lights_publish(actor=organiser, run=run)
    published = ratings.rating_propose(actor=organiser, project_list=plist, quarter=1)
    ratings.rating_publish(actor=organiser, rating=published)
    proposed = ratings.rating_propose(actor=organiser, project_list=plist, quarter=2)
    snail_card = Card.objects.get(project=world.projects["P5"], project_list=plist)
    yellow_card = Card.objects.create(project_list=plist, project=world.projects["P3"])
    for target, extra in (
        (CardState.SNAIL, {}),
        (CardState.YELLOW_CARD, {"plan": "倒排工期", "deadline": (2026, 5)}),
    ):
        cards.card_transition(
            actor=organiser, card=yellow_card, target=target, now=(2026, 4), **extra
        )
    incentives_compute(actor=organiser, project_list=plist)
    quiet = ProjectList.objects.create(
        code="lt-hz-quiet", name="杭州市未公开清单", owner=base["city_a"], year=2026
    )
    assert timezone.now()  # the lists above are published with the current time
    return LightsSamples(
        world=world,
        plist=plist,
        quiet=quiet,
        published=published,
        proposed=proposed,
        snail_card=snail_card,
        yellow_card=Card.objects.get(pk=yellow_card.pk),
        item=SupervisionItem.objects.get(project=world.projects["P5"]),
    )
