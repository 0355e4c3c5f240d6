"""The same POST at once (PostgreSQL): one decision, one answer, one award per clue; the
others are told, never a 500. Real threads, each with its own connection; skipped on SQLite."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from saima.conduct import clues
from saima.conduct.models import ClueMessage, ClueStatus
from saima.core.models import AuditEvent
from tests.conduct.conftest import build_world

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
        except Exception as exc:  # collected and asserted on
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


def _investigating(world):
    officer = world.users["officer_a"]
    clue, receipt = clues.clue_submit(data=world.input())
    clue = clues.clue_assign(actor=officer, clue=clue, assignee=officer)
    return clues.clue_start(actor=officer, clue=clue), receipt.code


def test_the_same_decision_posted_at_once_is_taken_once():
    world = build_world()
    clue, _code = _investigating(world)
    officer_clients = [Client() for _ in range(THREADS)]
    for client in officer_clients:
        client.force_login(world.users["officer_a"])
    url = reverse("conduct:clue_action", args=[clue.pk, "decide"])
    data = {"decision": ClueStatus.SUBSTANTIATED, "findings": "属实"}
    outcomes = _at_once(lambda i: officer_clients[i].post(url, data).status_code)
    assert outcomes == [302] * THREADS
    assert AuditEvent.objects.filter(action="conduct.clue.decide").count() == 1


def test_the_same_answer_posted_at_once_is_kept_once():
    world = build_world()
    clue, code = _investigating(world)
    clues.clue_ask(actor=world.users["officer_a"], clue=clue, text="哪个项目？")
    url = reverse("conduct:answer")
    outcomes = _at_once(
        lambda i: (
            Client(REMOTE_ADDR=f"10.9.0.{i}")
            .post(url, {"receipt": code, "answer": "A"})
            .status_code
        )
    )
    assert outcomes == [200] * THREADS
    assert ClueMessage.objects.filter(kind="answer").count() == 1
