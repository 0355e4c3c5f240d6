"""The races app's one refusal type."""

from __future__ import annotations

from saima.core.workflow import ActionRefused


class RaceError(ActionRefused):
    """A refused change; the message is meant for the user."""
