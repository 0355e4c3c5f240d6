"""Ten clicks at once on PostgreSQL: one generation, one publication (row locks, not luck)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from saima.bulletins import services
from saima.bulletins.models import BulletinVersion
from saima.core.models import AuditEvent
from tests.races.conftest import build_world
from tests.races.test_trust_concurrency import THREADS, _at_once, _status

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and MVCC"
    ),
]


@pytest.fixture
def drafted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    world.published()
    bulletin = services.bulletin_create(
        actor=world.users["organiser"],
        owner=world.city_a,
        kind="quarterly",
        year=2026,
        quarter=1,
        issuer="杭州市发展和改革委员会",
        doc_number="杭发改〔2026〕7号",
    )
    return world, bulletin


def _clients(world, n: int) -> list[Client]:
    clients = [Client() for _ in range(n)]
    for client in clients:
        client.force_login(world.users["organiser"])
    return clients


def test_ten_simultaneous_generates_make_one_version(drafted):
    world, bulletin = drafted
    url = reverse("bulletins:generate", args=[bulletin.pk])
    clients = _clients(world, THREADS)
    outcomes = _at_once(lambda i: _status(clients[i], url, {}))
    assert set(outcomes) == {302}, outcomes  # the others are told it is running
    assert BulletinVersion.objects.filter(bulletin=bulletin).count() == 1
    assert AuditEvent.objects.filter(action="bulletins.generate").count() == 1


def test_ten_simultaneous_publishes_publish_once(drafted):
    world, bulletin = drafted
    services.bulletin_generate(actor=world.users["organiser"], bulletin=bulletin)  # runs on commit
    url = reverse("bulletins:publish", args=[bulletin.pk])
    clients = _clients(world, THREADS)
    outcomes = _at_once(lambda i: _status(clients[i], url, {}))
    assert set(outcomes) == {302}, outcomes
    assert AuditEvent.objects.filter(action="bulletins.publish").count() == 1
