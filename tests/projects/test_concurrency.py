"""The same monthly-report POST ten times at once stores one report and one audit event, and no
request fails (PostgreSQL; SQLite serialises every write, so these are skipped there)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from saima.core.models import AuditEvent
from saima.projects.models import ListMembership, MonthlyReport
from tests.projects.conftest import build_world

THREADS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and MVCC"
    ),
]


def _at_once(task: Callable[[int], Any]) -> list[Any]:
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


def _status(client: Client, url: str, data: dict[str, Any]) -> int | str:
    try:
        return client.post(url, data).status_code
    except Exception as exc:  # the test client re-raises what would be a 500
        return type(exc).__name__


@pytest.fixture
def world_tx(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_ten_simultaneous_submissions_of_one_month_store_one_report_and_one_event(world_tx):
    project = world_tx.samples.project
    url = reverse("projects:report", args=[project.code, 2026, 3])
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(world_tx.users["reporter_a"])
    data = {"cumulative_investment": "300", "physical_progress": "25", "submit": "1"}

    outcomes = _at_once(lambda i: _status(clients[i], url, data))

    assert Counter(outcomes) == {302: 1, 200: THREADS - 1}
    report = MonthlyReport.objects.get(project=project, year=2026, month=3)
    assert report.status == "submitted"
    events = AuditEvent.objects.filter(
        object_id=str(report.pk), action__startswith="projects.report"
    )
    assert events.count() == 1


def test_ten_simultaneous_additions_to_a_list_add_it_once(world_tx):
    plist, project = world_tx.samples.plist, world_tx.samples.quiet_project
    url = reverse("projects:list_action", args=[plist.code, "add"])
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(world_tx.users["organiser_a"])

    outcomes = _at_once(
        lambda i: _status(clients[i], url, {"project": project.code, "reason": "补充列入"})
    )

    assert set(outcomes) == {302}
    assert (
        ListMembership.objects.filter(project_list=plist, project=project, removed_at=None).count()
        == 1
    )
    assert AuditEvent.objects.filter(action="projects.list.add", reason="补充列入").count() == 1
