"""Pages where the visitor stays anonymous: nothing downstream ever sees who they are.

An app registers the URL prefixes of such pages (the clue intake, in ``saima.conduct``) in its
``ready()``::

    from saima.core.anonymity import register_anonymous_prefix

    register_anonymous_prefix("/conduct/report/")

``AnonymousPagesMiddleware`` runs first of all middleware. For a request under a registered
prefix it derives one opaque key for the client (:func:`client_key`), then removes from the
request every header that names the client (address, forwarded-for chains, user agent,
referrer): logging, error reports, django-axes and every view see ``0.0.0.0`` and nothing else.
The key is an HMAC of the client's address under a random secret that lives only in the cache
and changes every day, so rate limits work per client while nothing stored can be turned back
into an address (the secret is gone the next day, and it was never in the database).

:func:`hit` is a fixed-window counter on such keys (per client, per target, per receipt).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from saima.core.security import client_ip

# Request headers that identify the client or its software (Django's META names).
IDENTIFYING_META = (
    "REMOTE_ADDR",
    "REMOTE_HOST",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CLIENT_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_USER_AGENT",
    "HTTP_REFERER",
    "HTTP_FROM",
    "HTTP_VIA",
    "HTTP_SEC_CH_UA",
    "HTTP_SEC_CH_UA_MOBILE",
    "HTTP_SEC_CH_UA_PLATFORM",
)
NOBODY = "0.0.0.0"
_PREFIXES: set[str] = set()


def register_anonymous_prefix(prefix: str) -> None:
    _PREFIXES.add(prefix)


def is_anonymous_path(path: str) -> bool:
    """Under a registered prefix, or the prefix without its slash (redirected to it)."""
    return any(path.startswith(prefix) or path == prefix.rstrip("/") for prefix in _PREFIXES)


def _daily_secret(day: dt.date) -> bytes:
    """Today's random secret: made once per day by whichever worker asks first (shared through
    the cache), forgotten two days later. Never derived from anything stored."""
    key = f"saima:anon:secret:{day.isoformat()}"
    cache.add(key, secrets.token_hex(32), timeout=2 * 86400)
    value = cache.get(key)
    return str(value).encode()


def client_key(request: HttpRequest) -> str:
    """An opaque key for the client today: HMAC-SHA256 of its address under the daily secret."""
    address = client_ip(request) or ""
    secret = _daily_secret(timezone.localdate())
    return hmac.new(secret, address.encode(), hashlib.sha256).hexdigest()[:32]


def scrub(request: HttpRequest) -> None:
    """Forget the client's identity: the key is kept, the headers that name them are not."""
    request.anonymous_client = client_key(request)  # type: ignore[attr-defined]
    for name in IDENTIFYING_META:
        request.META.pop(name, None)
    request.META["REMOTE_ADDR"] = NOBODY
    scope = getattr(request, "scope", None)
    if isinstance(scope, dict):  # ASGI: the connection's address rides along in the scope
        scope["client"] = (NOBODY, 0)
        scope["headers"] = [
            (k, v) for k, v in scope.get("headers", []) if k.lower() not in _SCOPE_HEADERS
        ]


_SCOPE_HEADERS = {
    name.removeprefix("HTTP_").lower().replace("_", "-").encode()
    for name in IDENTIFYING_META
    if name.startswith("HTTP_")
}


class AnonymousPagesMiddleware:
    """First in ``MIDDLEWARE``: scrubs requests to the registered anonymous pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if is_anonymous_path(request.path_info):
            scrub(request)
        return self.get_response(request)


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one event under ``key`` in a window of ``window`` seconds; False once over
    ``limit`` (the caller refuses). The window starts at the first event."""
    cache_key = f"saima:anon:hits:{key}"
    if cache.add(cache_key, 1, timeout=window):
        return limit >= 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, timeout=window)
        count = 1
    return count <= limit


def hits(key: str) -> int:
    return int(cache.get(f"saima:anon:hits:{key}") or 0)


def forget_hits(key: str) -> None:
    cache.delete(f"saima:anon:hits:{key}")
