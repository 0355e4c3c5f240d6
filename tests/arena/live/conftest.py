"""Sockets under test: the real ASGI stack (origin check, sessions, routing) over the in-memory
channel layer, with the arena services' broadcasts really sent after commit (a transactional
database, so ``transaction.on_commit`` fires as in production)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore

from tests.arena.world import ArenaWorld

ASGI: dict[str, Any] = {}
COOKIES: dict[int, bytes] = {}  # user id → session cookie, made before the async body runs


@pytest.fixture
def live_world(transactional_db, world: ArenaWorld) -> Iterator[ArenaWorld]:
    channel_layers.backends.clear()  # a fresh in-memory layer for each test
    if not ASGI:  # imported once, with the database open (asgi.py checks it at import)
        from saima.config.asgi import application

        ASGI["app"] = application
    COOKIES.clear()
    for user in {*world.users.values(), world.organiser}:  # type: ignore[attr-defined]
        COOKIES[user.pk] = session_cookie(user)
    yield world
    channel_layers.backends.clear()


def session_cookie(user: Any) -> bytes:
    """A signed-in session for ``user``, as the browser's cookie header carries it."""
    if user is None:
        return b""
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}".encode()


def socket(path: str, user: Any = None, origin: str = "http://testserver") -> WebsocketCommunicator:
    headers = [(b"host", b"testserver")]
    if origin:
        headers.append((b"origin", origin.encode()))
    cookie = COOKIES[user.pk] if user is not None else b""
    if cookie:
        headers.append((b"cookie", cookie))
    return WebsocketCommunicator(ASGI["app"], path, headers=headers)


def run(body: Callable[[], Awaitable[Any]]) -> Any:
    """Run an async test body on one event loop (the consumers and the layer share it)."""
    return async_to_sync(body)()


def db(fn: Callable[..., Any]) -> Callable[..., Awaitable[Any]]:
    """A sync ORM or service call from the async test body (in the test's own thread)."""
    return database_sync_to_async(fn)
