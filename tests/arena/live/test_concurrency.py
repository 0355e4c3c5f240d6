"""The same console step posted at once from several hosts' screens: one takes effect, the others
are told why not, none gets a 500, the audit log records the step once, and a board watching
receives one consistent picture.

Real threads, each with its own database connection, against PostgreSQL (skipped on SQLite,
which serialises every write through one file lock)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from saima.arena.models import TimerState
from saima.core.models import AuditEvent
from tests.arena.world import refresh

THREADS = 8

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
            outcomes[i] = type(exc).__name__
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def test_the_same_step_from_several_consoles_at_once_takes_effect_once(live_world):
    contest = live_world.running
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(live_world.organiser)
    url = reverse("arena_live:console_action", args=[contest.pk, "timer-start"])
    before = AuditEvent.objects.filter(action="arena.timer.start").count()

    outcomes = _at_once(lambda i: clients[i].post(url, HTTP_X_REQUESTED_WITH="fetch").status_code)

    assert Counter(outcomes) == {200: 1, 409: THREADS - 1}, outcomes
    assert AuditEvent.objects.filter(action="arena.timer.start").count() == before + 1
    assert refresh(contest).timer_state == TimerState.RUNNING


def test_calling_different_contestants_at_once_leaves_one_on_stage(live_world):
    contest = live_world.running
    others = list(contest.contestants.exclude(pk=contest.current_id))
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(live_world.organiser)
    url = reverse("arena_live:console_action", args=[contest.pk, "call"])

    outcomes = _at_once(
        lambda i: (
            clients[i]
            .post(url, {"contestant": others[i % len(others)].pk}, HTTP_X_REQUESTED_WITH="fetch")
            .status_code
        )
    )

    assert set(outcomes) == {200}, outcomes  # calling is always allowed while running
    calls = AuditEvent.objects.filter(action="arena.host.call").order_by("-seq")
    last = calls.first()
    assert refresh(contest).current_id == last.after["contestant"]  # the last one audited won
