"""The races app's one refusal type."""

from __future__ import annotations


class RaceError(ValueError):
    """A refused change; the message is meant for the user."""
