"""Conflicts of interest (回避) declared and withdrawn by the contest's manager (the rule a
score obeys is ``saima.arena.conflicts``).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saima.arena import broadcast
from saima.arena.errors import ArenaError, refuse
from saima.arena.models import Conflict, Contestant, JudgeSeat, Score
from saima.arena.services.common import (
    _audit,
    _locked,
    _require_manager,
    contest_state,
    seating_refusal,
)
from saima.core.audit import snapshot


def conflict_declare(
    *, actor: Any, seat: JudgeSeat, contestant: Contestant, reason: str
) -> Conflict:
    reason = reason.strip()
    if not reason:
        raise ArenaError(_("请写明回避理由"))
    with transaction.atomic():
        contest = _locked(seat.contest)
        _require_manager(actor, contest)
        refuse(seating_refusal(contest))
        if contestant.contest_id != contest.pk:
            raise ArenaError(_("参赛单位不属于此擂台赛"))
        if Score.objects.filter(seat=seat, contestant=contestant).exists():
            raise ArenaError(
                _("%(j)s 已为 %(c)s 评分，不能再登记回避") % {"j": seat.name, "c": contestant}
            )
        conflict, created = Conflict.objects.get_or_create(
            seat=seat,
            contestant=contestant,
            defaults={
                "reason": reason[:200],
                "declared_by": actor if getattr(actor, "is_authenticated", False) else None,
            },
        )
        if not created:
            raise ArenaError(_("此回避已登记"))
        _audit(
            actor,
            "arena.conflict.declare",
            contest,
            after={"seat": seat.pk, "contestant": contestant.pk, "reason": conflict.reason},
        )
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
    return conflict


def conflict_withdraw(*, actor: Any, conflict: Conflict) -> None:
    with transaction.atomic():
        contest = _locked(conflict.seat.contest)
        _require_manager(actor, contest)
        refuse(seating_refusal(contest))
        before = snapshot(conflict)
        conflict.delete()
        _audit(actor, "arena.conflict.withdraw", contest, before=before)
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
