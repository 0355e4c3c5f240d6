"""A judge's socket is let in by the judge's link token, checked as the judge page checks it.

The token is hashed (only its SHA-256 is stored) and looked up with the arena's own selector;
the link must be neither revoked nor expired. Wrong guesses count in the same throttle as the
judge page's (``core.throttle.GuessThrottle`` named ``arena.link``: one count per client
address, shared by every worker through the cache), so a guesser gains nothing by switching
from pages to sockets.
"""

from __future__ import annotations

from django.utils import timezone

from saima.arena import selectors
from saima.arena.models import JudgeLink, JudgeSeat
from saima.arena.services import token_hash
from saima.core.throttle import GuessThrottle

LINK_GUESSES = GuessThrottle("arena.link", limit=20, window=600)  # as saima.arena.views.judging
TOKEN_MAX = 64  # secrets.token_urlsafe(16) is 22 characters


def live_link(token: str) -> JudgeLink | None:
    """The unrevoked, unexpired link behind ``token`` (None for any other token)."""
    if not token or len(token) > TOKEN_MAX:
        return None
    link = selectors.link_for_token(token_hash(token))
    if link is None or link.revoked_at is not None or link.expires_at <= timezone.now():
        return None
    return link


def seat_for_token(token: str, *, client: str) -> JudgeSeat | None:
    """The seat ``token`` opens, or None (a wrong, revoked or expired token, or a client that
    has guessed too often)."""
    if LINK_GUESSES.blocked(client):
        return None
    if not token or len(token) > TOKEN_MAX:
        LINK_GUESSES.fail(client)
        return None
    link = selectors.link_for_token(token_hash(token))
    if link is None:
        LINK_GUESSES.fail(client)
        return None
    if link.revoked_at is not None or link.expires_at <= timezone.now():
        return None
    return link.seat
