"""The arena's one refusal type, and the way services turn a rule's reason into it."""

from __future__ import annotations

from saima.core.workflow import ActionRefused


class ArenaError(ActionRefused):
    """A refused change; the message is meant for the user."""


def refuse(reason: str | None) -> None:
    """Raise ``ArenaError(reason)`` when a rule gave a reason (``*_refusal`` returns None when
    the step is allowed)."""
    if reason is not None:
        raise ArenaError(reason)
