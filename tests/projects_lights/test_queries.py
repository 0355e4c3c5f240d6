"""No query per project: the dashboard and the quarter's proposal take the same number of
queries for 6 projects and for 36 (a bound asserted here, never a timing)."""

from __future__ import annotations

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saima.projects.models import QuarterRating
from saima.projects.ratings import services as ratings
from tests.projects_lights.helpers import computed, with_test_rules
from tests.projects_lights.world import _project, fill_reports, plan


def _grow(world, n: int) -> None:
    for i in range(n):
        project = _project(f"X{i:02d}", world.units["county_a1"], world.plist)
        plan(project)
    fill_reports(world, 6)


def _dashboard_queries(world) -> int:
    client = Client()
    client.force_login(world.users["organiser"])
    url = reverse("projects:locality", args=[world.plist.code, world.units["city_a"].code])
    client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _proposal_queries(world) -> int:
    QuarterRating.objects.filter(project_list=world.plist).delete()
    with CaptureQueriesContext(connection) as ctx:
        ratings.rating_propose(actor=world.users["organiser"], project_list=world.plist, quarter=2)
    return len(ctx.captured_queries)


def test_the_dashboard_and_the_proposal_do_not_query_per_project(world):
    with_test_rules(world)
    computed(world, 6)
    small = (_dashboard_queries(world), _proposal_queries(world))
    _grow(world, 30)
    for month in range(1, 7):
        from saima.projects.lights.services import lights_compute

        lights_compute(
            actor=world.users["organiser"], project_list=world.plist, month=month, reason="补充项目"
        )
    large = (_dashboard_queries(world), _proposal_queries(world))
    assert large == small, (small, large)
