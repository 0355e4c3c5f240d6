"""The demo's lights part on a small list: every state shows, and it runs once."""

from __future__ import annotations

from saima.core.demo import DemoContext
from saima.projects import demo_progress
from saima.projects.models import CardState, LightRun, RatingStatus, SupervisionStatus
from tests.projects_lights.world import fill_reports


def test_the_demo_shows_every_state_and_is_idempotent(world):
    fill_reports(world, 12)
    said: list[str] = []
    demo_progress.load(DemoContext(say=said.append), codes=(world.plist.code,))
    plist = world.plist
    runs = LightRun.objects.filter(project_list=plist, is_current=True)
    assert runs.count() >= 6 and runs.filter(published_at__isnull=True).count() == 1
    assert plist.rule_versions.count() == 2
    assert plist.ratings.filter(status=RatingStatus.PUBLISHED).count() >= 2
    states = set(plist.cards.values_list("state", flat=True))
    assert CardState.RED_CARD in states or CardState.CLEARED in states
    assert plist.supervision_items.filter(status=SupervisionStatus.CLOSED).exists()
    assert plist.incentives.exists()
    demo_progress.load(DemoContext(say=said.append), codes=(plist.code,))
    assert said[-1] == "key-project lights already computed"
    print(said, states)
