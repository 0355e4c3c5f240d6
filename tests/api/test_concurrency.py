"""The same report POSTed ten times at once stores it once (issue 12 §4): one submission, one
audit event for it, and every caller answered 200 with the stored report — a race's period
report and a key project's monthly report alike.

Real threads, each with its own database connection, against PostgreSQL (skipped on SQLite,
which serialises every write through one file lock).
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections

from saima.core.audit import verify_chain
from saima.core.models import AuditEvent
from saima.projects.models import MonthlyReport
from saima.projects.models import ReportStatus as ProjectReportStatus
from saima.races.models import Report, ReportStatus
from tests.api.conftest import Api, build_world, report_path

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


@pytest.mark.parametrize("step", ["submit", "save"])
def test_ten_identical_requests_at_once_store_once(settings, tmp_path, step):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    s = world.s
    path = report_path(s.open_period, s.unit_a)
    body = {"values": {"fai": 8.5, "snails": 1}}
    clients = [Api(world.tokens["reporter"]) for _ in range(THREADS)]

    def send(i: int) -> Any:
        if step == "submit":
            return clients[i].post(path + "/submit", body)
        return clients[i].put(path, body)

    outcomes = _at_once(send)
    statuses = [o.status_code if hasattr(o, "status_code") else repr(o) for o in outcomes]
    assert statuses == [200] * THREADS
    assert sorted(o.json()["changed"] for o in outcomes) == [False] * 9 + [True]
    action = "races.report.submit" if step == "submit" else "races.report.save"
    report = Report.objects.get(pk=s.report.pk)
    assert AuditEvent.objects.filter(action=action, object_id=str(report.pk)).count() == 1
    assert AuditEvent.objects.filter(action="api.write").count() == 1
    assert report.status == (ReportStatus.SUBMITTED if step == "submit" else ReportStatus.DRAFT)
    assert verify_chain().ok


@pytest.mark.parametrize("step", ["submit", "save"])
def test_ten_identical_project_reports_at_once_store_once(settings, tmp_path, step):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    project = world.s.projects.project
    path = f"/projects/{project.code}/reports/2026/3"
    body = {
        "cumulative_investment": "160",
        "physical_progress": 15,
        "milestones": {"land": "2026-03-02"},
    }
    clients = [Api(world.tokens["reporter"]) for _ in range(THREADS)]

    def send(i: int) -> Any:
        if step == "submit":
            return clients[i].post(path + "/submit", body)
        return clients[i].put(path, body)

    outcomes = _at_once(send)
    statuses = [o.status_code if hasattr(o, "status_code") else repr(o) for o in outcomes]
    assert statuses == [200] * THREADS
    assert sorted(o.json()["changed"] for o in outcomes) == [False] * 9 + [True]
    report = MonthlyReport.objects.get(project=project, year=2026, month=3)
    action = "projects.report.submit" if step == "submit" else "projects.report.save"
    assert AuditEvent.objects.filter(action=action, object_id=str(report.pk)).count() == 1
    assert AuditEvent.objects.filter(action="api.write").count() == 1
    assert project.milestones.filter(milestone="land").count() == 1
    expected = ProjectReportStatus.SUBMITTED if step == "submit" else ProjectReportStatus.DRAFT
    assert report.status == expected
    assert verify_chain().ok
