"""Conflicts of interest (回避): a judge never scores their own unit, nor a contestant they
declared a conflict with. Read by the scoring service (which enforces them) and the judge's
page (which shows them)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saima.arena.models import Conflict, Contestant, JudgeSeat


def conflict_reason(seat: JudgeSeat, contestant: Contestant) -> str | None:
    """Why ``seat`` may not score ``contestant`` (own unit, or a declared conflict), or None."""
    if seat.unit_id == contestant.unit_id:
        return _("本单位回避")
    declared = Conflict.objects.filter(seat=seat, contestant=contestant).first()
    if declared is not None:
        return _("已申明回避：%(r)s") % {"r": declared.reason}
    return None
