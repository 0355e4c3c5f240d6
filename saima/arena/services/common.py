"""What every arena service shares: the manager's right, the contest row locked, the audit
event, the portal told of a change, the contest's state as the live screens hear it, and the
rules for when the setup and the seating may still change.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from saima.arena.models import Contest, ContestStatus
from saima.arena.permissions import may_manage_contest
from saima.core.audit import record_event
from saima.core.publications import publication_changed
from saima.core.workflow import ActionForbidden


def _require_manager(actor: Any, contest: Contest) -> None:
    if not may_manage_contest(actor, contest):
        raise ActionForbidden(_("你没有管理此擂台赛的权限"))


def _locked(contest: Contest) -> Contest:
    """The contest row, locked for this transaction, read afresh."""
    return Contest.objects.select_for_update().select_related("owner").get(pk=contest.pk)


def _audit(actor: Any, action: str, contest: Contest, **kwargs: Any) -> None:
    record_event(actor=actor, action=action, obj=contest, **kwargs)


def _tell_portal(contest: Contest) -> None:
    """A change the public portal may show: a released contest, or a contest of a series with
    a released contest (its pledges are checked on the next contest's public page). Called
    inside the writing transaction; the portal hears of it after commit."""
    shown = contest.released or (
        contest.series_id is not None
        and Contest.objects.filter(series_id=contest.series_id, released=True).exists()
    )
    if shown:
        publication_changed(kind="arena.contest", object_id=contest.pk)


# ---------------------------------------------------------------- the contest's state, in words


def contest_state(contest: Contest) -> dict[str, Any]:
    return {
        "status": contest.status,
        "released": contest.released,
        "current": contest.current_id,
    }


EDITABLE = (ContestStatus.DRAFT, ContestStatus.READY)


def setup_refusal(contest: Contest) -> str | None:
    """Rubric, panels and weights, contestants and order are fixed once the contest runs."""
    if contest.status not in EDITABLE:
        return _("擂台赛已开始，评分规则、参赛单位和评委组不能再改")
    return None


def seating_refusal(contest: Contest) -> str | None:
    """Judges, links and conflicts may still change while the contest runs (a late judge)."""
    if contest.status in (ContestStatus.CLOSED, ContestStatus.REVEALED):
        return _("评分已结束，评委和回避不能再改")
    return None
