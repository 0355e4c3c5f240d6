"""Writing to and verifying the audit chain, and publishing its head.

``record_event`` is called by services inside their transaction, so an event exists exactly
when the change it describes was committed. ``verify_chain`` streams the events in order and
returns the first broken link.

The canonical form: each event's hash is the SHA-256 of one JSON text (sorted keys, no spaces,
UTF-8) over its fields, whose values are first put by ``json_safe`` into a form that SQLite and
PostgreSQL (jsonb) both store and return unchanged. Events written before that normalisation
hash exactly as before (the hash function itself did not change).

Publishing the head (against tail rewrites). Someone with write access to the database can
rewrite the newest events and the head consistently; only a copy of the head kept outside
detects that. So the head is published:

- ``chain_head()`` returns the current head (``seq``, ``hash``, ``at``), and
  ``chain_head(at_seq=n)`` the head as it was right after event #n (for a result published by
  that event);
- every published board and kit shows it: ``{% load audit_tags %}{% audit_chain_head %}``
  (or ``{% audit_chain_head seq %}`` for the head as of event ``seq``) renders
  ``core/includes/audit_head.html``, a line with the number, the hash and a link to the
  public page; a kit writes ``chain_head(...).as_dict()`` into its manifest;
- ``/audit/head/`` shows the head to anyone, and ``/audit/checkpoint.json`` downloads a signed
  checkpoint (``saima.core.checkpoints``);
- ``saima audit verify --checkpoint FILE`` proves the current chain extends a saved checkpoint.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import math
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db import models, transaction
from django.utils import timezone

from saima.core.access import access_policy
from saima.core.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64
# Integral floats from here up print in exponent form in Python ("1e+16") but come back from
# PostgreSQL's jsonb as integers ("10000000000000000"), so they are recorded as integers.
_JSONB_INTEGRAL_FLOAT = 1e16
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates


def _text(value: str) -> str:
    """Text every database stores unchanged: NUL (refused by PostgreSQL) and lone surrogates
    (not encodable as UTF-8) become U+FFFD."""
    return _UNSTORABLE_TEXT.sub("\ufffd", value)


def _number(value: float) -> float | int | None:
    """A float in the form PostgreSQL's jsonb gives back unchanged.

    >>> [_number(x) for x in (float("nan"), float("-inf"), -0.0, 2.5, 1e-7)]
    [None, None, 0.0, 2.5, 1e-07]
    >>> _number(1e16)
    10000000000000000
    """
    if not math.isfinite(value):  # NaN, ±inf: not JSON
        return None
    if value == 0:
        return 0.0  # jsonb's numeric has no negative zero
    if abs(value) >= _JSONB_INTEGRAL_FLOAT:
        return int(value)  # exactly the float's value, as jsonb would return it
    return value


def json_safe(value: Any) -> Any:
    """Turn values into the canonical JSON form the audit chain hashes.

    Every database stores this form unchanged, so an event's hash recomputed from what was
    read back equals the hash written: numbers as jsonb returns them (no ``-0.0``, large
    integral floats as integers, NaN and infinities as null), Decimals and UUIDs as text,
    dates in ISO 8601 (UTC for aware datetimes), models as their primary key, text without
    NUL or lone surrogates, set members sorted.
    """
    if isinstance(value, dict):
        return {_text(str(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_safe(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, str):
        return _text(value)
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, float):
        return _number(value)
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return _text(value.name or "")
    return value


def snapshot(instance: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """The concrete field values of ``instance`` (foreign keys as ids), JSON-safe."""
    data: dict[str, Any] = {}
    for field in instance._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        data[field.attname] = json_safe(getattr(instance, field.attname))
    return data


def _canonical(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(event: AuditEvent) -> str:
    payload = {
        "seq": event.seq,
        "at": json_safe(event.at),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_repr": event.object_repr,
        "before": event.before,
        "after": event.after,
        "reason": event.reason,
        "prev": event.prev_hash,
    }
    if event.scope:  # events written before scopes existed hash as they did
        payload["scope"] = event.scope
    return hashlib.sha256(_canonical(payload)).hexdigest()


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return _text(str(getattr(actor, "username", actor)))


def _start_of_day() -> dt.datetime:
    return timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)


def record_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str = "",
    object_repr: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    actor_label: str = "",
    day_only: bool = False,
) -> AuditEvent:
    """Append one event to the chain (inside the caller's transaction).

    ``actor_label`` names an actor who holds no login (a judge arriving by link); by default
    the user's name.

    ``day_only``: the event's time is the start of the day (local time), not the moment: for
    events that must not tell when within a day someone acted (an anonymous clue and the
    anonymous submitter's answers, in ``saima.conduct``). The chain hashes ``at`` as stored,
    so it verifies as any other event; only the order of ``seq`` still places the event
    between its neighbours (docs/conduct.md says what that leaves).
    """
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    scope = access_policy().audit_scope_of(obj) if obj is not None else ""
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        event = AuditEvent(
            seq=head.seq + 1,
            at=_start_of_day() if day_only else timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=_text(actor_label)[:150] if actor_label else _actor_label(actor),
            action=_text(action),
            object_type=_text(object_type),
            object_id=_text(object_id),
            object_repr=_text(object_repr)[:255],
            before=json_safe(before) if before is not None else None,
            after=json_safe(after) if after is not None else None,
            reason=_text(reason),
            scope=scope,
            prev_hash=head.hash,
        )
        event.hash = event_hash(event)
        event.save()
        AuditHead.objects.filter(pk=1).update(seq=event.seq, hash=event.hash)
    return event


@dataclass(frozen=True)
class ChainReport:
    ok: bool
    events: int
    head_hash: str
    broken_seq: int | None = None
    reason: str = ""

    def line(self) -> str:
        if self.ok:
            return f"OK: {self.events} audit events, chain intact, head {self.head_hash}"
        return f"BROKEN at event #{self.broken_seq}: {self.reason}"


def _stream() -> Iterator[AuditEvent]:
    return AuditEvent.objects.order_by("pk").iterator(chunk_size=2000)


def verify_chain() -> ChainReport:
    """Walk the chain in insertion order; report the first event that does not fit."""
    expected_prev = GENESIS_HASH
    expected_seq = 1
    count = 0
    for event in _stream():
        if event.seq != expected_seq:
            return ChainReport(
                False,
                count,
                expected_prev,
                event.seq,
                f"sequence number {event.seq} where {expected_seq} was expected "
                "(an event was deleted, inserted or moved)",
            )
        if event.prev_hash != expected_prev:
            return ChainReport(
                False,
                count,
                expected_prev,
                event.seq,
                "its link to the previous event does not match "
                "(the previous event was altered, removed or reordered)",
            )
        if event_hash(event) != event.hash:
            return ChainReport(
                False,
                count,
                expected_prev,
                event.seq,
                "its content does not match its hash (the event was altered)",
            )
        expected_prev = event.hash
        expected_seq += 1
        count += 1
    head = AuditHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.hash) if head else (0, GENESIS_HASH)
    if head_seq != count or head_hash != expected_prev:
        return ChainReport(
            False,
            count,
            expected_prev,
            count + 1,
            f"the chain ends at #{count} but its head records #{head_seq} "
            "(the newest events were deleted, or the head was altered)",
        )
    return ChainReport(True, count, expected_prev)


@dataclass(frozen=True)
class ChainHead:
    """The chain's newest link: what outsiders keep to detect a rewritten tail later."""

    seq: int
    hash: str
    at: dt.datetime | None

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "hash": self.hash, "at": json_safe(self.at)}


def chain_head(at_seq: int | None = None) -> ChainHead:
    """The head now, or right after event ``at_seq``; the genesis head (#0) before any event."""
    events = AuditEvent.objects.order_by("-seq")
    if at_seq is not None:
        events = events.filter(seq__lte=at_seq)
    event = events.only("seq", "hash", "at").first()
    if event is None:
        return ChainHead(0, GENESIS_HASH, None)
    return ChainHead(event.seq, event.hash, event.at)
