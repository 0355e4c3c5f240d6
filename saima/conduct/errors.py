"""The conduct app's one refusal type."""

from __future__ import annotations

from saima.core.workflow import ActionRefused


class ConductError(ActionRefused):
    """A refused change; the message is meant for the user."""


def refuse(reason: str | None) -> None:
    if reason is not None:
        raise ConductError(reason)
