"""The API's world: the URL sweep's sample objects (a race of 杭州市 in every state), tokens of
every kind of caller, and a JSON client.

``world`` is built once per test module inside a transaction rolled back at the module's end;
each test runs in a savepoint inside it (as the URL sweep does), so what one test writes the
next does not see.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.core import signals
from django.core.cache import cache
from django.db import close_old_connections, transaction
from django.test import Client
from django.test.utils import override_settings
from django.utils import timezone

from saima.api import services
from saima.api.models import ApiToken
from saima.org.models import Role, Unit, User
from tests.factories import SampleObjects, build_sample_objects


def issue(user: User, unit: Unit, roles: Iterable[str], days: int = 30, name: str = "测试") -> str:
    return services.token_create(actor=user, unit=unit, roles=roles, name=name, days=days).plaintext


@dataclass
class World:
    s: SampleObjects
    tokens: dict[str, str]


def build_world() -> World:
    s = build_sample_objects()
    reporter, organiser = s.users["reporter_a"], s.users["organiser_a"]
    expired = services.token_create(
        actor=reporter, unit=s.unit_a, roles=[Role.REPORTER], name="旧", days=1
    )
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    revoked = services.token_create(
        actor=reporter, unit=s.unit_a, roles=[Role.REPORTER], name="弃", days=30
    )
    services.token_revoke(actor=reporter, token=revoked.token)
    county_b = s.users["reporter_b"].grants.get().unit
    other_county_a = Unit.objects.get(name="淳安县")
    tokens = {
        "reporter": issue(reporter, s.unit_a, [Role.REPORTER]),
        "organiser": issue(organiser, s.city_a, [Role.ORGANISER]),
        "observer": issue(s.users["discipline_a"], s.city_a, [Role.DISCIPLINE]),
        "other_unit": issue(s.users["reporter_b"], county_b, [Role.REPORTER]),
        "other_organiser": issue(s.users["organiser_b"], s.city_b, [Role.ORGANISER]),
        # organiser_a's own token, limited to 淳安县: it must not reach 上城区 or the city's race
        "narrowed": issue(organiser, other_county_a, [Role.ORGANISER]),
        "expired": expired.plaintext,
        "revoked": revoked.plaintext,
        "malformed": "saima_abcdefgh_not-the-secret",
    }
    return World(s, tokens)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[World]:
    media = tmp_path_factory.mktemp("media")
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=fast),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _fresh_throttle_counts():
    cache.clear()
    yield
    cache.clear()


class Api:
    """A test client speaking JSON to ``/api/v1`` with an optional token."""

    def __init__(self, token: str | None = None, language: str = "zh-hans") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, body: Any = None, **params: Any) -> Any:
        url = f"/api/v1{path}"
        if method == "GET":
            return self.client.get(url, params, headers=self.headers)
        call = getattr(self.client, method.lower())
        return call(url, body, content_type="application/json", headers=self.headers)

    def get(self, path: str, **params: Any) -> Any:
        return self.request("GET", path, **params)

    def put(self, path: str, body: Any) -> Any:
        return self.request("PUT", path, body)

    def post(self, path: str, body: Any) -> Any:
        return self.request("POST", path, body)


ApiFactory = Callable[..., Api]


@pytest.fixture
def api(db, world) -> ApiFactory:
    def make(who: str | None = None, language: str = "zh-hans") -> Api:
        return Api(world.tokens[who] if who else None, language)

    return make


@pytest.fixture
def keep_test_connection():
    """Django's WSGI handler closes the database connection after each request (as it should
    in production); called in process by a test, that would end the test's own transaction on
    PostgreSQL. Django's test client avoids it the same way: for the test's duration the
    handler does not close connections."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def report_path(period: Any, unit: Unit) -> str:
    return f"/periods/{period.pk}/reports/{unit.code}"
