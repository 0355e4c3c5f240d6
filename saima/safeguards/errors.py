"""The safeguards app's one refusal type, and the way services turn a rule's reason into it."""

from __future__ import annotations

from saima.core.workflow import ActionRefused


class SafeguardError(ActionRefused):
    """A refused change; the message is meant for the user."""


def refuse(reason: str | None) -> None:
    """Raise ``SafeguardError(reason)`` when a rule gave a reason (rules return None to allow)."""
    if reason is not None:
        raise SafeguardError(reason)
