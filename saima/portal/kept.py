"""Kept public pages answered before Django, for visitors.

A portal page is the same for every visitor in one language (``saima.portal.rendering``), and
``saima.portal.cache`` keeps its body. Going through Django's whole stack only to send those
bytes again costs most of a request. So:

- ``KeptPageStore`` (the outermost middleware) keeps the *complete* response of a public page
  (status, every header the middleware added: CSP, HSTS, …, and the body) when a visitor with
  no cookie asked for it, under the same key and publication generation as the page cache;
- ``KeptPages`` wraps the ASGI application: a GET with no cookie, no token (``Authorization``)
  and no query string for a portal, open-data or API address is answered from that copy when
  there is one, and everything else goes to Django as before.

The API's signed-out reads are kept the same way: without a token the API shows only what is
published, the same to every client, in the language ``Accept-Language`` negotiates (part of
the key). Signed-in users and anyone sending a cookie or a token always go through Django (their
responses are private; tokens are counted and throttled there). A request that production would
redirect to HTTPS is never answered here.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from types import SimpleNamespace
from typing import Any

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_request

from saima.portal.cache import PAGE_SECONDS, generation, raw_page_key, scheme_of

Scope = dict[str, Any]
ASGIApp = Callable[[Scope, Any, Any], Awaitable[None]]
FULL = "saima:portal:full:"


API = "/api/v1/"


def public_language(path: str, accept_language: str = "") -> str | None:
    """The language of a kept public address, or None when the path is not one.

    Portal pages carry it in the path; open data is one text in the default language; the API
    answers in the language the request's ``Accept-Language`` negotiates (no cookie is sent to
    this layer), exactly as ``LocaleMiddleware`` chooses it."""
    if path.startswith("/data/"):
        return str(settings.LANGUAGE_CODE)
    if path.startswith(API):
        visitor = SimpleNamespace(
            COOKIES={}, META={"HTTP_ACCEPT_LANGUAGE": accept_language}, path_info=path
        )
        return str(get_language_from_request(visitor, check_path=False))  # type: ignore[arg-type]
    for code, _name in settings.LANGUAGES:
        if path.startswith(f"/{code}/portal/"):
            return str(code)
    return None


def _keep_language(request: HttpRequest, response: HttpResponse) -> str | None:
    """The language to keep ``response`` under, or None when it is not to be kept: a portal page
    (``saima.portal.cache`` marks it) or a signed-out API read (no token: the same for every
    client; throttling and tokens only concern requests that carry something)."""
    marked = getattr(response, "saima_public_language", None)
    if marked:
        return str(marked)
    if (
        request.path.startswith(API)
        and not request.META.get("HTTP_AUTHORIZATION")
        and response.get("Content-Type", "").startswith("application/json")
    ):
        return response.get("Content-Language") or None
    return None


def full_key(
    host: str, path: str, language: str, token: str | None = None, scheme: str = "http"
) -> str:
    """Where the complete response is kept: per scheme, host, page, language and publication
    generation (``token``: the generation the page was rendered in; the current one by default).
    The scheme is part of it: the catalogue and the feed carry absolute addresses."""
    return FULL + raw_page_key(host, path, "", language, token or generation(), scheme)


class KeptPageStore:
    """Keeps the complete response of a public page asked for by a cookie-less visitor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # The generation as rendering starts: a publication that commits while the page is
        # being rendered starts a new one, and a page rendered from the data before it must
        # not be kept as that new generation's copy (it would outlive the publication).
        token = generation()
        response = self.get_response(request)
        language = _keep_language(request, response)
        if (
            language
            and request.method == "GET"
            and not request.META.get("QUERY_STRING")
            and not request.META.get("HTTP_COOKIE")
            and response.status_code == 200
            and not response.cookies
            and not response.streaming
        ):
            headers = [
                (name.lower().encode("latin-1"), str(value).encode("latin-1"))
                for name, value in response.items()
                if name.lower() != "x-saima-cache"
            ]
            headers.append((b"x-saima-cache", b"kept"))
            key = full_key(request.get_host(), request.path, language, token, scheme_of(request))
            cache.set(key, (response.status_code, headers, response.content), PAGE_SECONDS)
        return response


def _lookup(host: str, path: str, language: str, scheme: str) -> Any:
    return cache.get(full_key(host, path, language, scheme=scheme))


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope.get("headers", ()):
        if key == name:
            return bytes(value)
    return None


def request_scheme(scope: Scope) -> str:
    """The scheme Django will see (``HttpRequest.scheme``): the trusted proxy's header when it
    is sent (its first value), else the connection's own."""
    proxy = getattr(settings, "SECURE_PROXY_SSL_HEADER", None)
    if proxy:
        name = proxy[0].removeprefix("HTTP_").lower().replace("_", "-").encode("latin-1")
        value = _header(scope, name)
        if value is not None:
            first = value.decode("latin-1").split(",", 1)[0].strip()
            return "https" if first == proxy[1] else "http"
    return str(scope.get("scheme") or "http")


def _secure(scope: Scope) -> bool:
    return request_scheme(scope) == "https"


class KeptPages:
    """ASGI: answer a visitor's GET for a kept public page from the cache, else Django.

    Each worker also holds the pages it served last in memory (``LOCAL_PAGES``), valid for the
    publication generation it read at most ``GENERATION_SECONDS`` ago: after a publication, a
    worker on another machine serves the previous copy for at most that long.
    """

    LOCAL_PAGES = 256
    GENERATION_SECONDS = 1.0

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.lookup = sync_to_async(_lookup, thread_sensitive=False)
        self.read_generation = sync_to_async(generation, thread_sensitive=False)
        self.local: OrderedDict[str, Any] = OrderedDict()
        self.generation = ""
        self.generation_read = -math.inf

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        kept = await self._kept(scope) if scope["type"] == "http" else None
        if kept is None:
            await self.app(scope, receive, send)
            return
        status, headers, body = kept
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _kept(self, scope: Scope) -> Any:
        if scope.get("method") != "GET" or scope.get("query_string"):
            return None
        host = _header(scope, b"host")
        if host is None or _header(scope, b"cookie") or _header(scope, b"authorization"):
            return None
        accept = (_header(scope, b"accept-language") or b"").decode("latin-1")
        language = public_language(scope.get("path", ""), accept)
        if language is None:
            return None
        if getattr(settings, "SECURE_SSL_REDIRECT", False) and not _secure(scope):
            return None
        await self._current_generation()
        scheme = request_scheme(scope)
        key = f"{self.generation}|{scheme}|{host!r}|{scope['path']}|{language}"
        kept = self.local.get(key)
        if kept is None:
            kept = await self.lookup(host.decode("latin-1"), scope["path"], language, scheme)
            if kept is not None:
                self.local[key] = kept
                if len(self.local) > self.LOCAL_PAGES:
                    self.local.popitem(last=False)
        return kept

    async def _current_generation(self) -> None:
        now = time.monotonic()
        if now - self.generation_read < self.GENERATION_SECONDS:
            return
        token = await self.read_generation()
        self.generation_read = now
        if token != self.generation:
            self.generation = token
            self.local.clear()
