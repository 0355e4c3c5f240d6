"""The same POST ten times at once (PostgreSQL, real threads): one light run, one publication,
one yellow card, one closing — the others are told why, never a 500; one audit event each."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from saima.core.models import AuditEvent
from saima.projects.models import CardState, LightRun, RatingStatus, SupervisionStatus
from tests.factories import build_small_province
from tests.projects_lights.samples import build_lights_samples

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


@pytest.fixture
def s():
    base = build_small_province()
    samples = build_lights_samples(base)
    samples.organiser = base["users"]["organiser"]  # type: ignore[attr-defined]
    return samples


def _posts(s, url: str, data: dict[str, Any]) -> list[Any]:
    clients = [Client() for _ in range(THREADS)]
    for client in clients:
        client.force_login(s.organiser)

    def post(i: int) -> Any:
        try:
            return clients[i].post(url, data).status_code
        except Exception as exc:  # the test client re-raises what would be a 500
            return type(exc).__name__

    return _at_once(post)


def test_ten_computes_of_a_new_month_store_one_current_run(s):
    url = reverse("projects:progress_action", args=[s.plist.code, "compute"])
    outcomes = _posts(s, url, {"month": 8})
    assert outcomes == [302] * THREADS
    assert LightRun.objects.filter(project_list=s.plist, month=8, is_current=True).count() == 1
    assert s.plist.light_runs.get(month=8, is_current=True).lights.count() == 6


def test_ten_publications_of_a_quarter_publish_it_once(s):
    url = reverse("projects:rating_action", args=[s.proposed.pk, "publish"])
    outcomes = _posts(s, url, {})
    assert outcomes == [302] * THREADS
    s.proposed.refresh_from_db()
    assert s.proposed.status == RatingStatus.PUBLISHED
    assert (
        AuditEvent.objects.filter(
            action="projects.rating.publish", object_id=str(s.proposed.pk)
        ).count()
        == 1
    )
    snails = s.proposed.entries.filter(kind="snail", removed=False).count()
    assert s.plist.supervision_items.filter(rating_entry__rating=s.proposed).count() == snails


def test_ten_yellow_cards_give_one(s):
    url = reverse("projects:card_action", args=[s.snail_card.pk, "yellow"])
    outcomes = _posts(s, url, {"plan": "倒排工期", "deadline": "2099-03"})
    assert outcomes == [302] * THREADS
    s.snail_card.refresh_from_db()
    assert s.snail_card.state == CardState.YELLOW_CARD
    assert s.snail_card.events.filter(to_state=CardState.YELLOW_CARD).count() == 1


def test_ten_closings_close_once(s):
    url = reverse("projects:supervision_action", args=[s.item.pk, "close"])
    outcomes = _posts(s, url, {"note": "已开工"})
    assert outcomes == [302] * THREADS
    s.item.refresh_from_db()
    assert s.item.status == SupervisionStatus.CLOSED
    assert AuditEvent.objects.filter(action="projects.supervision.close").count() == 1
