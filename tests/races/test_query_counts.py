"""Pages whose query count does not grow with what they show: the leaderboard with its units,
the unit page with its history, the race list and the home page with the number of races."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from saima.races.reporting import services as reporting
from saima.races.reporting.imports import import_values
from saima.races.results import services as result_services
from saima.races.schemes import services as scheme_services
from tests.races.conftest import SCHEME, build_world


def _board_queries(client, result, group):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("races:board", args=[result.pk]) + f"?group={group}")
    assert response.status_code == 200
    return len(captured)


def test_the_leaderboards_query_count_does_not_grow_with_the_number_of_units(
    client, db, settings, tmp_path
):
    from saima.org.models import PeerGroup
    from saima.races.results import services as result_services
    from tests.factories import make_unit

    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    world.published(2026, 1)
    small = world.published(2026, 2)
    group = PeerGroup.objects.get(code=world.group_code)
    for index in range(40):
        group.members.add(make_unit(f"扩充县{index:02d}", "county", world.city_a))
    period = world.period(2026, 3)
    rows = {
        unit.code: {"fai": float(i), "projects": float(i % 7), "snails": float(i % 3)}
        for i, unit in enumerate(group.members.all())
    }
    organiser = world.users["organiser"]
    import_values(actor=organiser, period=period, values=rows, filename="big.csv")
    reporting.reports_verify_bulk(
        actor=organiser, period=period, report_ids=period.reports.values_list("pk", flat=True)
    )
    reporting.period_close(actor=organiser, period=period)
    big = result_services.result_publish(
        actor=organiser, result=result_services.result_compute(actor=organiser, period=period)
    )
    assert (small.rows.count(), big.rows.count()) == (6, 46)
    assert _board_queries(client, big, world.group_code) == _board_queries(
        client, small, world.group_code
    )


def test_the_unit_pages_query_count_does_not_grow_with_history(client, world):
    first = world.published(2026, 1)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("races:unit", args=[first.pk, world.counties["上城区"].code]))
    world.published(2026, 2)
    third = world.published(2026, 3)
    with CaptureQueriesContext(connection) as three:
        client.get(reverse("races:unit", args=[third.pk, world.counties["上城区"].code]))
    assert len(three) == len(one)


def _another_published_race(world, n):
    organiser = world.users["organiser"]
    race = scheme_services.race_create(
        actor=organiser,
        code=f"more-{n}",
        name=f"另一场赛马{n}",
        owner=world.city_a,
        scheme_toml=SCHEME.format(group=world.group_code),
        robustness_draws=20,
    )
    period = reporting.period_open(
        actor=organiser,
        race=race,
        year=2026,
        number=1,
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    world.fill(period)
    reporting.period_close(actor=organiser, period=period)
    result = result_services.result_compute(actor=organiser, period=period)
    result_services.result_publish(actor=organiser, result=result)


def _queries(client, url):
    cache.clear()  # the portal keeps whole pages: count the queries of rendering one
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("role", ["anonymous", "organiser", "reporter"])
@pytest.mark.parametrize("page", ["races:index", "home"])
def test_the_race_list_and_home_page_query_counts_do_not_grow_with_the_races(
    client, world, role, page
):
    if role != "anonymous":
        client.force_login(world.users[role])
    url = reverse(page)
    if page == "home" and role == "anonymous":  # a visitor's home is the portal's front page
        url = reverse("portal:front")
    world.published()
    one = _queries(client, url)
    for n in range(5):
        _another_published_race(world, n)
    assert _queries(client, url) == one
