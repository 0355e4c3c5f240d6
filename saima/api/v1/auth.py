"""Who is asking: a token (``Authorization: Bearer saima_…``) or nobody, and how often.

- no ``Authorization`` header: the request is anonymous and sees what the public web shows;
- a header naming an active token: the request acts as ``token_actor(token)`` (the token's user
  narrowed to its unit and roles); its use is counted and its last use recorded;
- any other header (wrong scheme, unknown, expired or revoked token, inactive user): 401. A bad
  token never falls back to anonymous, so a client notices at once that its token stopped.

Throttling: per token, and per client address for anonymous requests, in fixed one-minute
windows counted in the cache (shared by all workers when ``REDIS_URL`` is set):
``API_RATE_PER_TOKEN`` (default 1200 a minute) and ``API_RATE_ANONYMOUS`` (30000 a minute: public data,
also served by the public pages without a limit; it stops one address from flooding).
"""

from __future__ import annotations

import time
from typing import Any, cast

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.http import HttpRequest
from ninja.errors import AuthenticationError
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from saima.api.models import ApiToken
from saima.api.permissions import token_actor
from saima.api.services import token_authenticate
from saima.core.security import client_ip

WINDOW = 60


class TokenAuth(HttpBearer):
    """A bearer token, required."""

    optional = False

    def __call__(self, request: HttpRequest) -> Any:
        header = request.headers.get(self.header)
        if not header:
            return AnonymousUser() if self.optional else None
        scheme, _space, value = header.partition(" ")
        if scheme.lower() != self.openapi_scheme:
            raise AuthenticationError()
        return self.authenticate(request, value.strip())

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        found = token_authenticate(token)
        if found is None:
            raise AuthenticationError()
        request.api_token = found  # type: ignore[attr-defined]
        return token_actor(found)


class OptionalTokenAuth(TokenAuth):
    """A bearer token, or none at all for an anonymous request (the OpenAPI schema lists such
    operations with the security requirements ``TokenAuth`` or none)."""

    optional = True


TOKEN = TokenAuth()
TOKEN_OR_ANONYMOUS = OptionalTokenAuth()


def request_token(request: HttpRequest) -> ApiToken | None:
    return cast(ApiToken | None, getattr(request, "api_token", None))


def actor_of(request: HttpRequest) -> Any:
    """The user the predicates are asked about: the token's narrowed user, or anonymous."""
    return getattr(request, "auth", None) or AnonymousUser()


class WindowThrottle(BaseThrottle):
    """At most the configured number of requests per minute per token (or client address)."""

    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: HttpRequest) -> bool:
        token = request_token(request)
        if token is not None:
            ident, limit = f"t:{token.pk}", settings.API_RATE_PER_TOKEN
        else:
            ident, limit = f"a:{client_ip(request)}", settings.API_RATE_ANONYMOUS
        now = time.time()
        window = int(now // WINDOW)
        key = f"saima-api-throttle:{ident}:{window}"
        cache.add(key, 0, WINDOW + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, WINDOW + 5)
            count = 1
        if count > limit:
            self._wait = (window + 1) * WINDOW - now
            return False
        return True

    def wait(self) -> float | None:
        return self._wait
