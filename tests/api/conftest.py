"""The API's world: the URL sweep's sample objects (a race of 杭州市 in every state), and tokens."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from saima.api import services
from saima.api.models import ApiToken
from saima.org.models import Role, Unit, User
from tests.factories import SampleObjects, build_sample_objects


@pytest.fixture
def samples(db, settings, tmp_path) -> SampleObjects:
    settings.MEDIA_ROOT = tmp_path
    return build_sample_objects()


def issue(user: User, unit: Unit, roles: Iterable[str], days: int = 30, name: str = "测试") -> str:
    return services.token_create(actor=user, unit=unit, roles=roles, name=name, days=days).plaintext


class Api:
    """A test client that speaks JSON to ``/api/v1`` with an optional token."""

    def __init__(self, token: str | None = None, language: str = "zh-hans") -> None:
        self.client = Client()
        self.headers: dict[str, str] = {"Accept-Language": language}
        if token is not None:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> Any:
        return self.client.get(f"/api/v1{path}", params, headers=self.headers)

    def put(self, path: str, body: Any) -> Any:
        return self.client.put(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )

    def post(self, path: str, body: Any) -> Any:
        return self.client.post(
            f"/api/v1{path}", body, content_type="application/json", headers=self.headers
        )


@pytest.fixture
def tokens(samples) -> dict[str, str]:
    """One token per kind of caller the permission matrix tries."""
    s = samples
    expired = services.token_create(
        actor=s.users["reporter_a"], unit=s.unit_a, roles=[Role.REPORTER], name="旧", days=1
    )
    ApiToken.objects.filter(pk=expired.token.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    revoked = services.token_create(
        actor=s.users["reporter_a"], unit=s.unit_a, roles=[Role.REPORTER], name="弃", days=30
    )
    services.token_revoke(actor=s.users["reporter_a"], token=revoked.token)
    return {
        "reporter_a": issue(s.users["reporter_a"], s.unit_a, [Role.REPORTER]),
        "organiser_a": issue(s.users["organiser_a"], s.city_a, [Role.ORGANISER]),
        "discipline_a": issue(s.users["discipline_a"], s.city_a, [Role.DISCIPLINE]),
        "reporter_b": issue(
            s.users["reporter_b"], s.users["reporter_b"].grants.get().unit, [Role.REPORTER]
        ),
        "organiser_b": issue(s.users["organiser_b"], s.city_b, [Role.ORGANISER]),
        "expired": expired.plaintext,
        "revoked": revoked.plaintext,
        "malformed": "saima_abcdefgh_not-the-secret",
    }


ApiFactory = Callable[..., Api]


@pytest.fixture
def api(tokens) -> ApiFactory:
    def make(who: str | None = None, language: str = "zh-hans") -> Api:
        return Api(tokens[who] if who else None, language)

    return make
