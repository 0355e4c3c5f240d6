"""The host's actions (the console, built by ``saima.arena.live``): put a contestant on stage,
the speaker timer, scoring opened and closed for one contestant, and the contest closed,
revealed and released.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.arena import broadcast
from saima.arena.errors import ArenaError, refuse
from saima.arena.models import Contest, Contestant, ContestStatus, Score, ScoringState, TimerState
from saima.arena.results import coverage_problems, freeze_result
from saima.arena.services.common import _audit, _locked, _require_manager, contest_state
from saima.arena.services.scoring import sheet_progress
from saima.core.publications import publication_changed


def timer_state(contest: Contest) -> dict[str, Any]:
    return {
        "state": contest.timer_state,
        "elapsed": round(contest.timer_elapsed, 3),
        "started_at": contest.timer_started_at.isoformat() if contest.timer_started_at else None,
        "slot_seconds": contest.slot_minutes * 60,
        "contestant": contest.current_id,
    }


def timer_elapsed(contest: Contest, now: dt.datetime | None = None) -> float:
    """Seconds the current speaker has spoken (the running stretch included)."""
    elapsed = contest.timer_elapsed
    if contest.timer_state == TimerState.RUNNING and contest.timer_started_at is not None:
        elapsed += ((now or timezone.now()) - contest.timer_started_at).total_seconds()
    return max(0.0, elapsed)


def _host_start(contest: Contest) -> None:
    if contest.status == ContestStatus.READY:
        contest.status = ContestStatus.RUNNING
        contest.started_at = timezone.now()


def host_refusal(contest: Contest) -> str | None:
    if contest.status in (ContestStatus.READY, ContestStatus.RUNNING):
        return None
    if contest.status == ContestStatus.DRAFT:
        return _("擂台赛还在筹备中，请先完成设置并设为待开始")
    return _("评分已结束")


def contest_call(*, actor: Any, contest: Contest, contestant: Contestant) -> Contest:
    """Put ``contestant`` on stage: the board shows them and the timer is reset."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(host_refusal(contest))
        if contestant.contest_id != contest.pk:
            raise ArenaError(_("参赛单位不属于此擂台赛"))
        _host_start(contest)
        contest.current = contestant
        contest.timer_state = TimerState.IDLE
        contest.timer_started_at = None
        contest.timer_elapsed = 0.0
        contest.save(
            update_fields=[
                "status",
                "started_at",
                "current",
                "timer_state",
                "timer_started_at",
                "timer_elapsed",
            ]
        )
        _audit(actor, "arena.host.call", contest, after={"contestant": contestant.pk})
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
        broadcast.announce(contest.pk, "timer", timer_state(contest))
    return contest


def timer_refusal(contest: Contest, action: str) -> str | None:
    """Why the speaker timer cannot ``action`` ("start", "pause", "stop") now."""
    reason = host_refusal(contest)
    if reason is not None:
        return reason
    if contest.current_id is None:
        return _("请先请参赛单位上台")
    state = contest.timer_state
    if action == "start" and state == TimerState.RUNNING:
        return _("计时已在进行")
    if action == "pause" and state != TimerState.RUNNING:
        return _("计时没有在进行")
    if action == "stop" and state not in (TimerState.RUNNING, TimerState.PAUSED):
        return _("计时没有在进行")
    return None


def _timer_save(actor: Any, contest: Contest, action: str) -> Contest:
    contest.save(
        update_fields=["status", "started_at", "timer_state", "timer_started_at", "timer_elapsed"]
    )
    _audit(actor, f"arena.timer.{action}", contest, after=timer_state(contest))
    broadcast.announce(contest.pk, "timer", timer_state(contest))
    return contest


def timer_start(*, actor: Any, contest: Contest) -> Contest:
    """Start (or resume after a pause) the current speaker's timer; after a stop it restarts."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(timer_refusal(contest, "start"))
        _host_start(contest)
        if contest.timer_state in (TimerState.IDLE, TimerState.STOPPED):
            contest.timer_elapsed = 0.0
        contest.timer_state = TimerState.RUNNING
        contest.timer_started_at = timezone.now()
        return _timer_save(actor, contest, "start")


def timer_pause(*, actor: Any, contest: Contest) -> Contest:
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(timer_refusal(contest, "pause"))
        contest.timer_elapsed = timer_elapsed(contest)
        contest.timer_state = TimerState.PAUSED
        contest.timer_started_at = None
        return _timer_save(actor, contest, "pause")


def timer_stop(*, actor: Any, contest: Contest) -> Contest:
    """Stop the timer; the elapsed time stays on the board until the next start or call."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(timer_refusal(contest, "stop"))
        contest.timer_elapsed = timer_elapsed(contest)
        contest.timer_state = TimerState.STOPPED
        contest.timer_started_at = None
        return _timer_save(actor, contest, "stop")


def scoring_refusal(contest: Contest, contestant: Contestant, action: str) -> str | None:
    """Why scoring for ``contestant`` cannot be ``action`` ("open" or "close") now."""
    reason = host_refusal(contest)
    if reason is not None:
        return reason
    if action == "open" and contestant.scoring == ScoringState.OPEN:
        return _("%(c)s 的评分已开放") % {"c": contestant}
    if action == "close" and contestant.scoring != ScoringState.OPEN:
        return _("%(c)s 的评分没有开放") % {"c": contestant}
    return None


def _scoring_data(contestant: Contestant) -> dict[str, Any]:
    return {"contestant": contestant.pk, "scoring": contestant.scoring}


def scoring_open(*, actor: Any, contest: Contest, contestant: Contestant) -> Contestant:
    """Open scoring for ``contestant`` (reopening a closed one is allowed and audited); the
    contestant becomes the current one."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        contestant = Contestant.objects.select_for_update().get(pk=contestant.pk, contest=contest)
        refuse(scoring_refusal(contest, contestant, "open"))
        _host_start(contest)
        reopened = contestant.scoring == ScoringState.CLOSED
        contestant.scoring = ScoringState.OPEN
        contestant.scoring_opened_at = timezone.now()
        contestant.save(update_fields=["scoring", "scoring_opened_at"])
        changed_current = contest.current_id != contestant.pk
        contest.current = contestant
        if changed_current:
            contest.timer_state = TimerState.IDLE
            contest.timer_started_at = None
            contest.timer_elapsed = 0.0
        contest.save(
            update_fields=[
                "status",
                "started_at",
                "current",
                "timer_state",
                "timer_started_at",
                "timer_elapsed",
            ]
        )
        _audit(
            actor,
            "arena.scoring.reopen" if reopened else "arena.scoring.open",
            contest,
            after={"contestant": contestant.pk},
        )
        broadcast.announce(contest.pk, "scoring_opened", _scoring_data(contestant))
        if changed_current:
            broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
            broadcast.announce(contest.pk, "timer", timer_state(contest))
    return contestant


def scoring_close(*, actor: Any, contest: Contest, contestant: Contestant) -> Contestant:
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        contestant = Contestant.objects.select_for_update().get(pk=contestant.pk, contest=contest)
        refuse(scoring_refusal(contest, contestant, "close"))
        contestant.scoring = ScoringState.CLOSED
        contestant.scoring_closed_at = timezone.now()
        contestant.save(update_fields=["scoring", "scoring_closed_at"])
        _audit(
            actor,
            "arena.scoring.close",
            contest,
            after={"contestant": contestant.pk, "progress": sheet_progress(contestant)},
        )
        broadcast.announce(contest.pk, "scoring_closed", _scoring_data(contestant))
    return contestant


def close_refusal(contest: Contest) -> str | None:
    if contest.status != ContestStatus.RUNNING:
        return _("只有进行中的擂台赛可以结束评分")
    return None


def contest_close(*, actor: Any, contest: Contest) -> Contest:
    """End scoring for the whole contest (any open scoring is closed with it)."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(close_refusal(contest))
        now = timezone.now()
        still_open = list(contest.contestants.select_for_update().filter(scoring=ScoringState.OPEN))
        for contestant in still_open:
            contestant.scoring = ScoringState.CLOSED
            contestant.scoring_closed_at = now
            contestant.save(update_fields=["scoring", "scoring_closed_at"])
            broadcast.announce(contest.pk, "scoring_closed", _scoring_data(contestant))
        if contest.timer_state == TimerState.RUNNING:
            contest.timer_elapsed = timer_elapsed(contest, now)
            contest.timer_state = TimerState.STOPPED
            contest.timer_started_at = None
            broadcast.announce(contest.pk, "timer", timer_state(contest))
        contest.status = ContestStatus.CLOSED
        contest.closed_at = now
        contest.save(
            update_fields=[
                "status",
                "closed_at",
                "timer_state",
                "timer_started_at",
                "timer_elapsed",
            ]
        )
        _audit(
            actor,
            "arena.contest.close",
            contest,
            after={**contest_state(contest), "closed_scoring": [c.pk for c in still_open]},
        )
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
    return contest


def reveal_refusal(contest: Contest) -> str | None:
    if contest.status != ContestStatus.CLOSED:
        return _("请先结束评分，再揭晓结果")
    if not Score.objects.filter(contestant__contest=contest).exists():
        return _("还没有任何评分")
    problems = coverage_problems(contest)
    if problems:
        return _("不能揭晓：%(p)s") % {"p": "；".join(problems[:5])}
    return None


def contest_reveal(*, actor: Any, contest: Contest) -> Contest:
    """Compute the result with the engine, freeze it, and show it on the board."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(reveal_refusal(contest))
        result = freeze_result(contest, actor=actor)
        contest.status = ContestStatus.REVEALED
        contest.revealed_at = timezone.now()
        contest.save(update_fields=["status", "revealed_at"])
        _audit(
            actor,
            "arena.contest.reveal",
            contest,
            after={"result": result.pk, "digest": result.digest, "method": result.method},
        )
        broadcast.announce(contest.pk, "revealed", {"result": result.pk})
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
    return contest


def release_refusal(contest: Contest, released: bool) -> str | None:
    if contest.status != ContestStatus.REVEALED:
        return _("结果揭晓后才能向社会公布")
    if contest.released == released:
        return _("结果已向社会公布") if released else _("结果尚未公布")
    return None


def contest_release(*, actor: Any, contest: Contest, released: bool = True) -> Contest:
    """The release switch: publish the revealed results to the public portal (or withdraw)."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(release_refusal(contest, released))
        contest.released = released
        contest.released_at = timezone.now() if released else None
        contest.save(update_fields=["released", "released_at"])
        _audit(
            actor,
            "arena.contest.release" if released else "arena.contest.withdraw",
            contest,
            after=contest_state(contest),
        )
        broadcast.announce(contest.pk, "released", {"released": released})
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
        publication_changed(kind="arena.contest", object_id=contest.pk)
    return contest
