"""Pledges' delivered values (军令状兑现), recorded whenever they are known."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.arena.errors import ArenaError
from saima.arena.models import PledgeItem
from saima.arena.services.common import _audit, _require_manager, _tell_portal
from saima.core.audit import snapshot


def pledge_deliver(
    *, actor: Any, pledge: PledgeItem, delivered: Decimal | None, note: str = ""
) -> PledgeItem:
    """Record what was delivered against a pledge item (军令状兑现), audited; any status."""
    with transaction.atomic():
        pledge = (
            PledgeItem.objects.select_for_update()
            .select_related("contestant__contest")
            .get(pk=pledge.pk)
        )
        contest = pledge.contestant.contest
        _require_manager(actor, contest)
        before = snapshot(pledge, ["delivered", "delivered_note"])
        if delivered is not None:
            if not delivered.is_finite() or abs(delivered) >= Decimal("1e12"):
                raise ArenaError(_("完成值不是有效的数字"))
            delivered = delivered.quantize(Decimal("0.01"))
        pledge.delivered = delivered
        pledge.delivered_note = note.strip()[:300]
        pledge.delivered_at = timezone.now() if delivered is not None else None
        pledge.delivered_by = actor if getattr(actor, "is_authenticated", False) else None
        pledge.save(update_fields=["delivered", "delivered_note", "delivered_at", "delivered_by"])
        _audit(
            actor,
            "arena.pledge.deliver",
            contest,
            object_repr=f"{pledge.contestant} · {pledge.item}"[:255],
            before=before,
            after={"pledge": pledge.pk, **snapshot(pledge, ["delivered", "delivered_note"])},
        )
        _tell_portal(contest)
    return pledge
