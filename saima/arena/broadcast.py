"""The one way arena services tell live screens that something changed.

A service calls :func:`announce` inside its transaction; the message goes to the contest's
channel group only after the transaction commits (never for a rolled-back change), so a
board never shows a score the database does not hold. Consumers in ``saima.arena.live``
listen on :func:`group_name` and answer each message by sending their client a delta, or a
fresh snapshot when they reconnect.
"""

from __future__ import annotations

from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction


def group_name(contest_id: int) -> str:
    return f"arena.contest.{contest_id}"


def announce(contest_id: int, event: str, data: dict[str, Any] | None = None) -> None:
    """Send ``event`` (e.g. "scoring_opened", "score_saved", "timer") to the contest's group
    once the current transaction commits. ``data`` must be JSON-serialisable."""
    message = {"type": "contest.event", "event": event, "data": data or {}}

    def send() -> None:
        layer = get_channel_layer()
        if layer is not None:
            async_to_sync(layer.group_send)(group_name(contest_id), message)

    transaction.on_commit(send)
