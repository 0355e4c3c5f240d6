"""The same decision POSTed ten times at once (PostgreSQL): one decision, one audit event."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from saima.core.models import AuditEvent
from saima.safeguards.clarification import services as clarification
from saima.safeguards.models import ClarificationCase, Consent, ToleranceApplication
from tests.safeguards.conftest import build_safe_world

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


def _clients(user) -> list[Client]:
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(user)
    return clients


def _post(client: Client, url: str, data: dict[str, Any]) -> int | str:
    try:
        return client.post(url, data).status_code
    except Exception as exc:  # the test client re-raises what would be a 500
        return type(exc).__name__


def test_ten_simultaneous_decisions_decide_once_with_one_audit_event():
    world = build_safe_world()
    application = world.reviewed()
    url = reverse("safeguards:application_action", args=[application.pk, "decide"])
    clients = _clients(world.users["officer"])
    before = AuditEvent.objects.filter(action="safeguards.application.decide").count()
    outcomes = _at_once(
        lambda i: _post(clients[i], url, {"outcome": "tolerated", "reason": f"决定{i}"})
    )
    assert outcomes == [302] * THREADS
    decided = ToleranceApplication.objects.get(pk=application.pk)
    assert decided.status == "tolerated"
    events = AuditEvent.objects.filter(action="safeguards.application.decide")
    assert events.count() == before + 1
    assert events.get().after["reason"] == decided.decision_reason


def test_ten_simultaneous_consents_record_one():
    world = build_safe_world()
    case = clarification.case_open(
        actor=world.users["officer"], person=world.people["张三"], allegation="反映"
    )
    url = reverse("safeguards:case_action", args=[case.pk, "consent"])
    clients = _clients(world.users["officer"])
    outcomes = _at_once(lambda i: _post(clients[i], url, {"given_on": "2026-11-30"}))
    assert outcomes == [302] * THREADS
    assert Consent.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(action="safeguards.consent.record").count() == 1
    assert ClarificationCase.objects.get(pk=case.pk).status == "opened"


def test_ten_simultaneous_cases_from_one_finding_open_one(monkeypatch):
    import datetime as dt

    from saima.core import referrals

    world = build_safe_world()
    person = world.people["张三"]
    finding = referrals.Referral(person.pk, "conduct.clue:12", dt.date(2026, 11, 30), "诬告")
    monkeypatch.setattr(referrals, "_SOURCES", [lambda person_id: [finding]])
    url = reverse("safeguards:case_new", args=[person.pk]) + "?ref=conduct.clue:12"
    clients = _clients(world.users["officer"])
    data = {"allegation": "诬告", "petitions": 1, "source_ref": "conduct.clue:12"}
    outcomes = _at_once(lambda i: _post(clients[i], url, data))
    assert sorted(outcomes, key=str) == [200] * (THREADS - 1) + [302]
    assert ClarificationCase.objects.filter(source_ref="conduct.clue:12").count() == 1
    assert AuditEvent.objects.filter(action="safeguards.case.open").count() == 1
