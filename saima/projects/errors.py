"""The projects app's one refusal type, and the way services turn a rule's reason into it."""

from __future__ import annotations

from saima.core.workflow import ActionRefused


class ProjectError(ActionRefused):
    """A refused change; the message is meant for the user."""


def refuse(reason: str | None) -> None:
    """Raise ``ProjectError(reason)`` when a rule gave a reason (None: the step is allowed)."""
    if reason is not None:
        raise ProjectError(reason)
