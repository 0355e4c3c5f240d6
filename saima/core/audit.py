"""Writing to and verifying the audit chain.

``record_event`` is called by services inside their transaction, so an event exists exactly
when the change it describes was committed. ``verify_chain`` streams the events in order and
returns the first broken link.
"""

from __future__ import annotations

import datetime as dt
import decimal
import hashlib
import json
import math
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils import timezone

from saima.core.models import AuditEvent, AuditHead

GENESIS_HASH = "0" * 64


def json_safe(value: Any) -> Any:
    """Turn model field values into JSON values that hash the same on every database."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [json_safe(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, set | frozenset) else items
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).isoformat() if value.tzinfo else value.isoformat()
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, float) and not math.isfinite(value):  # NaN, ±inf: not JSON
        return None
    if hasattr(value, "name") and hasattr(value, "url"):  # FieldFile
        return value.name or ""
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


# Forward relations followed, in order, to find the unit an object belongs to.
SCOPE_RELATIONS = ("unit", "owner", "report", "period", "race", "result")


def scope_unit(obj: Any, depth: int = 0) -> Any:
    """The unit an audited object concerns: itself if a unit, else its unit, owner, report's
    unit, period's race's owner … (forward foreign keys only, three steps at most)."""
    from saima.org.models import Unit

    if isinstance(obj, Unit):
        return obj
    if obj is None or depth > 3 or not isinstance(obj, models.Model):
        return None
    for name in SCOPE_RELATIONS:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and (field.many_to_one or field.one_to_one):
            found = scope_unit(getattr(obj, name), depth + 1)
            if found is not None:
                return found
    return None


def _actor_label(actor: Any) -> str:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return "system"
    return str(getattr(actor, "username", actor))


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
) -> AuditEvent:
    """Append one event to the chain (inside the caller's transaction)."""
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
        object_repr = object_repr or str(obj)[:255]
    unit = scope_unit(obj)
    with transaction.atomic():
        head, _created = AuditHead.objects.select_for_update().get_or_create(
            pk=1, defaults={"seq": 0, "hash": GENESIS_HASH}
        )
        event = AuditEvent(
            seq=head.seq + 1,
            at=timezone.now(),
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            actor_label=_actor_label(actor),
            action=action,
            object_type=object_type,
            object_id=object_id,
            object_repr=object_repr[:255],
            before=json_safe(before) if before is not None else None,
            after=json_safe(after) if after is not None else None,
            reason=reason,
            scope=unit.path if unit is not None else "",
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
