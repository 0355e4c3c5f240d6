"""Simultaneous requests never give a 500 (issue 7, §6): duplicates get a form error, and ten
simultaneous computes of unchanged inputs freeze one result.

These run real threads, each with its own database connection, against PostgreSQL (the CI's
second pass); on SQLite, which serialises every write through one file lock, they are skipped.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saima.races.models import Objection, Period, Race, Result
from saima.races.reporting import services as reporting
from saima.races.results import services as result_services
from tests.races.conftest import build_world

THREADS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and MVCC"
    ),
]


def _at_once(task: Callable[[int], Any]) -> list[Any]:
    """Run ``task(i)`` in THREADS threads released together; each outcome or exception."""
    barrier = threading.Barrier(THREADS)
    outcomes: list[Any] = [None] * THREADS

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = task(i)
        except Exception as exc:  # collected and asserted on by the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


@pytest.fixture
def world_tx(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _status(client: Client, url: str, data: dict[str, Any]) -> int | str:
    try:
        return client.post(url, data).status_code
    except Exception as exc:  # the test client re-raises what would be a 500
        return type(exc).__name__


def test_ten_simultaneous_new_periods_open_one_and_tell_the_others(world_tx):
    url = reverse("races:period_new", args=[world_tx.race.code])
    deadline = (timezone.localtime() + dt.timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(world_tx.users["organiser"])

    outcomes = _at_once(
        lambda i: _status(clients[i], url, {"year": 2026, "number": 3, "deadline": deadline})
    )

    assert Counter(outcomes) == {302: 1, 200: THREADS - 1}
    assert Period.objects.filter(race=world_tx.race, year=2026, number=3).count() == 1


def test_ten_simultaneous_new_races_with_one_code_create_one(world_tx):
    url = reverse("races:race_new")
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(world_tx.users["organiser"])
    data = {
        "owner": world_tx.city_a.pk,
        "code": "hz-twice",
        "name": "杭州市第二个赛马",
        "cadence": "quarter",
        "scheme_text": world_tx.race.scheme_toml,
    }

    outcomes = _at_once(lambda i: _status(clients[i], url, data))

    assert Counter(outcomes) == {302: 1, 200: THREADS - 1}
    assert Race.objects.filter(code="hz-twice").count() == 1


def test_ten_simultaneous_computes_of_unchanged_inputs_freeze_one_result(world_tx):
    period = world_tx.period()
    world_tx.fill(period)
    reporting.period_close(actor=world_tx.users["organiser"], period=period)

    outcomes = _at_once(
        lambda i: (
            result_services.result_compute(actor=world_tx.users["organiser"], period=period).pk
        )
    )

    assert all(isinstance(pk, int) for pk in outcomes), outcomes
    assert Result.objects.filter(period=period).count() == 1
    assert set(outcomes) == {Result.objects.get(period=period).pk}


def test_ten_simultaneous_objections_from_one_unit_file_one(world_tx):
    result = world_tx.published()
    url = reverse("races:objection_new", args=[result.pk, world_tx.counties["上城区"].code])
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(world_tx.users["reporter"])

    outcomes = _at_once(lambda i: _status(clients[i], url, {"reasons": "重大项目数漏报 1 个"}))

    assert Counter(outcomes) == {302: 1, 200: THREADS - 1}
    assert Objection.objects.filter(result=result).count() == 1
