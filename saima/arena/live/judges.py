"""A judge's socket is let in by the judge's link token, checked as the judge page checks it.

The token is hashed (only its SHA-256 is stored, ``services.token_hash``); the link must be
neither revoked nor expired. Guesses are throttled per client address: after
``GUESS_LIMIT`` unknown tokens within ``GUESS_WINDOW`` seconds, that address gets no answer
but a refusal (a 128-bit token cannot be guessed anyway; the throttle keeps the database quiet).
"""

from __future__ import annotations

from django.core.cache import cache
from django.utils import timezone

from saima.arena.models import JudgeLink, JudgeSeat
from saima.arena.services import token_hash

GUESS_LIMIT = 20
GUESS_WINDOW = 600  # seconds
TOKEN_MAX = 64  # secrets.token_urlsafe(16) is 22 characters


def _guess_key(client: str) -> str:
    return f"arena.live.guesses:{client}"


def live_link(token: str) -> JudgeLink | None:
    """The unrevoked, unexpired link behind ``token`` (None for any other token)."""
    if not token or len(token) > TOKEN_MAX:
        return None
    return (
        JudgeLink.objects.select_related("seat__contest", "seat__unit")
        .filter(
            token_hash=token_hash(token), revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .first()
    )


def seat_for_token(token: str, *, client: str) -> JudgeSeat | None:
    """The seat ``token`` opens, or None (a wrong, revoked or expired token, or a client that
    has guessed too often)."""
    key = _guess_key(client)
    if cache.get(key, 0) >= GUESS_LIMIT:
        return None
    link = live_link(token)
    if link is None:
        try:
            cache.incr(key)
        except ValueError:
            cache.set(key, 1, GUESS_WINDOW)
        return None
    return link.seat
