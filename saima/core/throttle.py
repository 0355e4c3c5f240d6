"""A cache-keyed limiter for guesses at secrets that are not logins (a judge's link token…).

Sign-ins are throttled by django-axes (``saima.core.security``). Other secrets in a URL are
guarded by :class:`GuessThrottle`: each failed guess from a client counts in the shared cache
(Redis in production, so every worker sees the same count) for ``window`` seconds; at
``limit`` failures the client is refused until the window passes. A success does not reset
the count (a guesser holding one valid token must not get free guesses at others).

>>> from django.core.cache import cache
>>> t = GuessThrottle("doctest", limit=2, window=60)
>>> cache.delete(t.key("1.2.3.4"))
>>> t.blocked("1.2.3.4"), t.fail("1.2.3.4"), t.fail("1.2.3.4"), t.blocked("1.2.3.4")
(False, 1, 2, True)
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache


@dataclass(frozen=True)
class GuessThrottle:
    name: str
    limit: int
    window: int  # seconds

    def key(self, client: str | None) -> str:
        return f"saima.throttle.{self.name}.{client or 'unknown'}"

    def failures(self, client: str | None) -> int:
        return int(cache.get(self.key(client), 0))

    def blocked(self, client: str | None) -> bool:
        return self.failures(client) >= self.limit

    def fail(self, client: str | None) -> int:
        """Count one failed guess; returns the count within the window."""
        key = self.key(client)
        if cache.add(key, 1, self.window):
            return 1
        try:
            return int(cache.incr(key))
        except ValueError:  # expired between add and incr
            cache.add(key, 1, self.window)
            return 1
