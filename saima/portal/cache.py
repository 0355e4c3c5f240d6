"""Whole public pages kept in the cache (Redis in production, local memory by default).

A published result never changes, so a portal page is rendered once per page, language and
*publication generation*, then served from the cache. The generation is a random token kept in
the cache; any publication or correction replaces it (``forget_pages``, a listener of
``saima.core.publications``), so every worker on every machine stops using the older copies at
once, and they expire on their own. A random token, not a counter, so a token evicted from the
cache can never bring back pages of an earlier generation.

Only what the portal's pages depend on goes into the key (the scheme and host, which absolute
addresses in the catalogue and the feed are built from, the path and the listed query
parameters), so odd query strings cannot fill the cache, and a copy made for ``http://`` is
never handed out over HTTPS. The pages do not depend on who asks: they never read the user or
the session. They answer GET and HEAD only (405 otherwise: an OPTIONS is not sent the page).
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language

TOKEN_KEY = "saima:portal:generation"
PAGE_SECONDS = 3600  # a kept page lives at most an hour (a unit renamed shows within it)
BROWSER_SECONDS = 300  # browsers and proxies may keep a page five minutes

KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")

View = Callable[..., HttpResponse]


def generation() -> str:
    token = cache.get(TOKEN_KEY)
    if token is None:
        cache.add(TOKEN_KEY, secrets.token_hex(8), None)
        token = cache.get(TOKEN_KEY) or "none"
    return str(token)


def forget_pages() -> None:
    """Start a new generation: every kept page is stale from now on."""
    cache.set(TOKEN_KEY, secrets.token_hex(8), None)


def raw_page_key(
    host: str, path: str, query: str, language: str, token: str, scheme: str = "http"
) -> str:
    raw = f"{scheme}://{host}{path}?{query}|{language}"
    digest = hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    return f"{token}:{digest}"


def scheme_of(request: HttpRequest) -> str:
    return "https" if request.is_secure() else "http"


def page_key(request: HttpRequest, params: tuple[str, ...]) -> str:
    query = "&".join(f"{name}={request.GET.get(name, '')}" for name in params)
    key = raw_page_key(
        request.get_host(), request.path, query, get_language(), generation(), scheme_of(request)
    )
    return f"saima:portal:page:{key}"


def public_page(*params: str) -> Callable[[View], View]:
    """Keep the view's successful responses; ``params`` are the query parameters it reads."""

    def decorate(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method not in ("GET", "HEAD"):
                return HttpResponseNotAllowed(["GET", "HEAD"])
            key = page_key(request, params)
            kept = cache.get(key)
            if kept is not None:
                headers, body = kept
                response = HttpResponse(body, headers=headers)
                response["X-Saima-Cache"] = "hit"
            else:
                response = view(request, *args, **kwargs)
                if response.status_code == 200 and not response.streaming:
                    headers = {h: response[h] for h in KEPT_HEADERS if h in response}
                    cache.set(key, (headers, response.content), PAGE_SECONDS)
                response["X-Saima-Cache"] = "miss"
            patch_cache_control(response, public=True, max_age=BROWSER_SECONDS)
            if not params:  # the whole response may be kept for visitors (saima.portal.kept)
                response.saima_public_language = get_language()  # type: ignore[attr-defined]
            return response

        return wrapper

    return decorate
