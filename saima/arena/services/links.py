"""Judges' links (评委链接): issued per seat (the token is never stored, only its hash),
expiring the day after the contest, revoked, and touched when used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.arena.errors import ArenaError, refuse
from saima.arena.models import Contest, JudgeLink, JudgeSeat
from saima.arena.services.common import _audit, _locked, _require_manager, seating_refusal


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def link_expiry(contest: Contest) -> dt.datetime:
    """Links stop working at the end of the day after the contest (local time)."""
    tz = timezone.get_current_timezone()
    day_after = contest.date + dt.timedelta(days=2)
    return dt.datetime.combine(day_after, dt.time.min, tzinfo=tz)


def link_issue(*, actor: Any, seat: JudgeSeat) -> tuple[JudgeLink, str]:
    """A new link for ``seat`` (revoking its previous one); returns the link and the token,
    which is never stored and cannot be shown again."""
    with transaction.atomic():
        contest = _locked(seat.contest)
        _require_manager(actor, contest)
        refuse(seating_refusal(contest))
        now = timezone.now()
        JudgeLink.objects.filter(seat=seat, revoked_at__isnull=True).update(revoked_at=now)
        token = secrets.token_urlsafe(16)  # 128 bits
        link = JudgeLink.objects.create(
            seat=seat,
            token_hash=token_hash(token),
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            expires_at=link_expiry(contest),
        )
        _audit(
            actor,
            "arena.link.issue",
            contest,
            after={
                "seat": seat.pk,
                "judge": seat.name,
                "link": link.pk,
                "expires_at": link.expires_at,
            },
        )
    return link, token


def links_issue_all(*, actor: Any, contest: Contest) -> dict[int, str]:
    """New links for every seat of the contest (for the QR sheet): seat id → token."""
    tokens = {}
    with transaction.atomic():
        for seat in JudgeSeat.objects.filter(contest=contest).select_related("contest"):
            _link, token = link_issue(actor=actor, seat=seat)
            tokens[seat.pk] = token
    return tokens


def link_revoke(*, actor: Any, link: JudgeLink) -> JudgeLink:
    with transaction.atomic():
        contest = _locked(link.seat.contest)
        _require_manager(actor, contest)
        link = JudgeLink.objects.select_for_update().get(pk=link.pk)
        if link.revoked_at is not None:
            raise ArenaError(_("此链接已撤销"))
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        _audit(
            actor,
            "arena.link.revoke",
            contest,
            after={"seat": link.seat_id, "judge": link.seat.name, "link": link.pk},
        )
    return link


def link_touch(link: JudgeLink) -> None:
    """Note that the link was used (to within ten minutes: a page polls every few seconds)."""
    now = timezone.now()
    if link.last_used_at is None or now - link.last_used_at > dt.timedelta(minutes=10):
        JudgeLink.objects.filter(pk=link.pk).update(last_used_at=now)
        link.last_used_at = now
