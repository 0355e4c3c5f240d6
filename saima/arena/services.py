"""Every write of the arena app: setup, judge links, the host's actions, scoring, reveal,
release and pledges' delivered values.

Each service runs in one transaction, re-checks the right and the state under a row lock,
records one audit event (on the contest, so the event's scope is the organising unit) and,
when a screen shows what changed, calls ``broadcast.announce`` (sent after commit).

Host actions (the console, built by ``saima.arena.live``):
``contest_call`` (put a contestant on stage), ``timer_start`` / ``timer_pause`` /
``timer_stop``, ``scoring_open`` / ``scoring_close`` (one contestant), ``contest_close``,
``contest_reveal``, ``contest_release``.

Broadcast events and their data (the live screens' contract; a score's value is never sent):
``contest_changed`` {status, released, current}; ``timer`` {state, elapsed, started_at,
slot_seconds, contestant}; ``scoring_opened`` / ``scoring_closed`` {contestant, scoring};
``score_saved`` {contestant, seat, scored, seats}; ``revealed`` {result}; ``released``
{released}.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.arena import broadcast
from saima.arena.conflicts import conflict_reason
from saima.arena.errors import ArenaError as ArenaError  # re-exported: callers catch it here
from saima.arena.errors import refuse
from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    ContestStatus,
    Criterion,
    JudgeLink,
    JudgeSeat,
    OrderMode,
    Panel,
    PledgeItem,
    Score,
    ScoreRevision,
    ScoringState,
    Series,
    TimerState,
)
from saima.arena.permissions import may_manage_contest
from saima.arena.results import coverage_problems, freeze_result
from saima.core.audit import record_event, snapshot
from saima.core.publications import publication_changed
from saima.core.workflow import ActionForbidden
from saima.org.models import Unit
from saima.org.permissions import may_organise


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


# ---------------------------------------------------------------- setup


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


def ready_problems(contest: Contest) -> list[str]:
    """What keeps a contest from being ready to run (empty when it can)."""
    problems = []
    if not contest.criteria.exists():
        problems.append(_("还没有评分项"))
    contestants = list(contest.contestants.all())
    if len(contestants) < 2:
        problems.append(_("至少需要两个参赛单位"))
    if any(c.position is None for c in contestants):
        problems.append(
            _("出场顺序尚未确定（请抽签）")
            if contest.order_mode == OrderMode.DRAW
            else _("出场顺序尚未确定（请排定顺序）")
        )
    panels = list(contest.panels.all())
    if not panels:
        problems.append(_("还没有评委组"))
    for panel in panels:
        if not panel.seats.exists():
            problems.append(_("评委组“%(p)s”还没有评委") % {"p": panel.name})
    if contest.tiebreak and not contest.criteria.filter(code=contest.tiebreak).exists():
        problems.append(_("同分时比较的评分项“%(c)s”不存在") % {"c": contest.tiebreak})
    return problems


def contest_ready(*, actor: Any, contest: Contest) -> Contest:
    """Draft → ready: the setup is complete."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        if contest.status != ContestStatus.DRAFT:
            raise ArenaError(_("只有筹备中的擂台赛可以设为待开始"))
        problems = ready_problems(contest)
        if problems:
            raise ArenaError("；".join(problems))
        contest.status = ContestStatus.READY
        contest.save(update_fields=["status"])
        _audit(actor, "arena.contest.ready", contest, after=contest_state(contest))
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
    return contest


def contest_unready(*, actor: Any, contest: Contest) -> Contest:
    """Ready → draft, to change the setup before the contest starts."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        if contest.status != ContestStatus.READY:
            raise ArenaError(_("只有待开始的擂台赛可以退回筹备"))
        contest.status = ContestStatus.DRAFT
        contest.save(update_fields=["status"])
        _audit(actor, "arena.contest.unready", contest, after=contest_state(contest))
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
    return contest


SetupObject = Criterion | Panel | Contestant | PledgeItem | JudgeSeat | Conflict


def _contest_of(obj: SetupObject) -> int:
    if isinstance(obj, PledgeItem):
        return obj.contestant.contest_id
    if isinstance(obj, Conflict):
        return obj.seat.contest_id
    return obj.contest_id


def _setup_rule(obj: SetupObject, contest: Contest) -> str | None:
    if isinstance(obj, JudgeSeat | Conflict):
        return seating_refusal(contest)
    if isinstance(obj, PledgeItem):
        return None  # pledges may be written down whenever they are made
    return setup_refusal(contest)


def _scope_refusal(obj: SetupObject, contest: Contest) -> str | None:
    """Units and people of a contestant or judge come from the organising unit's subtree; a
    judge's panel and a conflict's contestant from the same contest."""
    if isinstance(obj, JudgeSeat | Contestant):
        if not obj.unit.is_within(contest.owner):
            return _("%(u)s 不在 %(o)s 的范围内") % {"u": obj.unit, "o": contest.owner}
        if obj.person is not None and not obj.person.unit.is_within(contest.owner):
            return _("%(p)s 不在 %(o)s 的范围内") % {"p": obj.person, "o": contest.owner}
    if isinstance(obj, Contestant) and obj.person is not None and obj.person.unit_id != obj.unit_id:
        return _("陈述人须为参赛单位的干部")
    if isinstance(obj, JudgeSeat) and obj.panel.contest_id != contest.pk:
        return _("评委组不属于此擂台赛")
    return None


def contest_create(*, actor: Any, owner: Unit, **fields: Any) -> Contest:
    """A new contest (筹备中) owned by ``owner``; ``fields`` are the model's own."""
    with transaction.atomic():
        contest = Contest(owner=owner, **fields)
        if not may_manage_contest(actor, contest):
            raise ActionForbidden(_("你没有管理此擂台赛的权限"))
        if contest.series is not None and contest.series.owner_id != owner.pk:
            raise ArenaError(_("系列不属于此组织单位"))
        contest.created_by = actor if getattr(actor, "is_authenticated", False) else None
        contest.full_clean()
        contest.save()
        _audit(actor, "arena.contest.create", contest, after=snapshot(contest))
    return contest


CONTEST_RULE_FIELDS = ("method", "trim", "min_kept", "tiebreak", "outlier_below", "order_mode")
CONTEST_FIELDS = (
    *CONTEST_RULE_FIELDS,
    "title",
    "date",
    "venue",
    "level",
    "series",
    "description",
    "slot_minutes",
)


def contest_update(*, actor: Any, contest: Contest, **fields: Any) -> Contest:
    """Change a contest's settings; the scoring rules only before it runs."""
    with transaction.atomic():
        locked = _locked(contest)
        _require_manager(actor, locked)
        unknown = sorted(set(fields) - set(CONTEST_FIELDS))
        if unknown:  # the owner, status, release and timer change only through their services
            raise ArenaError(_("不能在这里修改：%(f)s") % {"f": "、".join(unknown)})
        before = snapshot(locked)
        for name, value in fields.items():
            setattr(locked, name, value)
        if any(before.get(f) != snapshot(locked).get(f) for f in CONTEST_RULE_FIELDS):
            refuse(setup_refusal(Contest.objects.get(pk=locked.pk)))
        if locked.series is not None and locked.series.owner_id != locked.owner_id:
            raise ArenaError(_("系列不属于此组织单位"))
        locked.full_clean()
        locked.save()
        if locked.date != contest.date:  # links expire with the contest
            JudgeLink.objects.filter(seat__contest=locked, revoked_at__isnull=True).update(
                expires_at=link_expiry(locked)
            )
        _audit(actor, "arena.contest.update", locked, before=before, after=snapshot(locked))
        broadcast.announce(locked.pk, "contest_changed", contest_state(locked))
        _tell_portal(locked)
    return locked


def series_create(*, actor: Any, owner: Unit, name: str, description: str = "") -> Series:
    with transaction.atomic():
        series = Series(owner=owner, name=name.strip(), description=description)
        if not may_organise(actor, owner):
            raise ActionForbidden(_("你没有管理此单位擂台赛的权限"))
        series.full_clean()
        series.save()
        record_event(actor=actor, action="arena.series.create", obj=series, after=snapshot(series))
    return series


def setup_save(*, actor: Any, contest: Contest, obj: SetupObject) -> SetupObject:
    """Save a rubric line, panel, contestant, pledge item, seat or conflict of ``contest``
    (new or changed, its fields already set, e.g. by a form): checked, validated, audited."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        if _contest_of(obj) != contest.pk:
            raise ArenaError(_("对象不属于此擂台赛"))
        refuse(_setup_rule(obj, contest))
        refuse(_scope_refusal(obj, contest))
        if isinstance(obj, Conflict):
            if obj.contestant.contest_id != contest.pk:
                raise ArenaError(_("参赛单位不属于此擂台赛"))
            if Score.objects.filter(seat=obj.seat, contestant=obj.contestant).exists():
                raise ArenaError(
                    _("%(j)s 已为 %(c)s 评分，不能再登记回避")
                    % {"j": obj.seat.name, "c": obj.contestant}
                )
        created = obj.pk is None
        stored = None if created else type(obj).objects.get(pk=obj.pk)
        if stored is not None and _contest_of(stored) != contest.pk:
            raise ArenaError(_("对象不属于此擂台赛"))
        before = None if stored is None else snapshot(stored)
        obj.full_clean()
        obj.save()
        _audit(
            actor,
            f"arena.{obj._meta.model_name}.{'create' if created else 'update'}",
            contest,
            object_repr=f"{contest} · {obj}"[:255],
            before=before,
            after=snapshot(obj),
        )
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
        if isinstance(obj, PledgeItem):  # pledges may be written down after the release
            _tell_portal(contest)
    return obj


def setup_bulk(*, actor: Any, contest: Contest, objs: list[SetupObject], what: str) -> int:
    """Add many new objects of one kind at once (a judges' list, a rubric from a template):
    each checked as ``setup_save`` would, all written or none, one audit event listing them.
    ``what`` names the list in the audit log ("judges", "contestants"…)."""
    if not objs:
        return 0
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        model = type(objs[0])
        if any(type(obj) is not model or obj.pk is not None for obj in objs):
            raise ArenaError(_("只能一次添加同一类新对象"))
        if any(_contest_of(obj) != contest.pk for obj in objs):
            raise ArenaError(_("对象不属于此擂台赛"))
        refuse(_setup_rule(objs[0], contest))
        problems = []
        for i, obj in enumerate(objs, start=1):
            reason = _scope_refusal(obj, contest)
            if reason is not None:
                problems.append(_("第 %(i)s 项：%(e)s") % {"i": i, "e": reason})
            try:
                obj.full_clean(validate_constraints=False, validate_unique=False)
            except ValidationError as exc:
                problems.append(_("第 %(i)s 项：%(e)s") % {"i": i, "e": "；".join(exc.messages)})
        if problems:
            raise ArenaError("；".join(problems))
        try:
            with transaction.atomic():
                manager: Any = model.objects
                manager.bulk_create(objs)
        except IntegrityError as exc:
            raise ArenaError(_("有重复的项目，未添加：%(e)s") % {"e": exc}) from exc
        _audit(
            actor,
            f"arena.{model._meta.model_name}.bulk_create",
            contest,
            object_repr=f"{contest} · {what}"[:255],
            after={"count": len(objs), "items": [snapshot(obj) for obj in objs]},
        )
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
    return len(objs)


def setup_delete(*, actor: Any, contest: Contest, obj: SetupObject) -> None:
    """Remove a rubric line, panel, contestant, pledge item, seat or conflict of ``contest``;
    nothing that already carries scores."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        if _contest_of(obj) != contest.pk:
            raise ArenaError(_("对象不属于此擂台赛"))
        refuse(_setup_rule(obj, contest))
        if isinstance(obj, JudgeSeat | Contestant | Criterion) and obj.scores.exists():
            raise ArenaError(_("%(o)s 已有评分，不能删除") % {"o": obj})
        if isinstance(obj, Panel) and obj.seats.exists():
            raise ArenaError(_("评委组“%(o)s”还有评委，不能删除") % {"o": obj})
        before = snapshot(obj)
        label = f"{contest} · {obj}"[:255]
        model = obj._meta.model_name
        obj.delete()
        _audit(actor, f"arena.{model}.delete", contest, object_repr=label, before=before)
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
        if isinstance(obj, PledgeItem):
            _tell_portal(contest)


def draw_seed_new() -> int:
    """A fresh seed for a draw (recorded with the draw, so the order can be re-derived)."""
    return secrets.randbits(53)


def draw_permutation(contestant_ids: list[int], seed: int) -> list[int]:
    """The drawn order: the contestants sorted by id, shuffled by a SHA-256 keyed on the seed
    (each id's key is sha256("<seed>:<id>")), so anyone can re-derive it from the seed."""

    def key(pk: int) -> str:
        return hashlib.sha256(f"{seed}:{pk}".encode()).hexdigest()

    return sorted(sorted(contestant_ids), key=key)


def order_draw(*, actor: Any, contest: Contest, seed: int | None = None) -> list[Contestant]:
    """Draw the order of presentation by a recorded seeded random draw (audited, reproducible)."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(setup_refusal(contest))
        contestants = list(contest.contestants.select_for_update())
        if len(contestants) < 2:
            raise ArenaError(_("至少需要两个参赛单位才能抽签"))
        seed = draw_seed_new() if seed is None else seed
        order = draw_permutation([c.pk for c in contestants], seed)
        _apply_order(contest, order)
        contest.order_mode = OrderMode.DRAW
        contest.draw_seed = seed
        contest.drawn_at = timezone.now()
        contest.save(update_fields=["order_mode", "draw_seed", "drawn_at"])
        _audit(
            actor,
            "arena.order.draw",
            contest,
            after={"seed": seed, "order": order, "method": "sha256(seed:id)"},
        )
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
    return list(contest.contestants.order_by("position"))


def order_fix(*, actor: Any, contest: Contest, order: list[int]) -> list[Contestant]:
    """Set a fixed order of presentation: ``order`` lists every contestant's id once."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        refuse(setup_refusal(contest))
        ids = set(contest.contestants.values_list("pk", flat=True))
        if sorted(order) != sorted(ids) or len(order) != len(set(order)):
            raise ArenaError(_("顺序必须恰好列出每个参赛单位一次"))
        _apply_order(contest, order)
        contest.order_mode = OrderMode.FIXED
        contest.draw_seed = None
        contest.drawn_at = None
        contest.save(update_fields=["order_mode", "draw_seed", "drawn_at"])
        _audit(actor, "arena.order.fix", contest, after={"order": order})
        broadcast.announce(contest.pk, "contest_changed", contest_state(contest))
    return list(contest.contestants.order_by("position"))


def _apply_order(contest: Contest, order: list[int]) -> None:
    # Two steps so the (contest, position) constraint never sees two rows on one position.
    Contestant.objects.filter(contest=contest).update(position=None)
    for position, pk in enumerate(order, start=1):
        Contestant.objects.filter(pk=pk, contest=contest).update(position=position)


# ---------------------------------------------------------------- judge links


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


# ---------------------------------------------------------------- conflicts


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


# ---------------------------------------------------------------- host actions


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


# ---------------------------------------------------------------- scoring


@dataclass(frozen=True)
class SubmitOutcome:
    """What a judge's submission did: ``changed`` criteria (0 = the same sheet again)."""

    changed: int
    created: int
    amended: int
    scored: int  # judges who have now scored this contestant fully
    seats: int  # judges who may score this contestant (conflicts left out)

    @property
    def idempotent(self) -> bool:
        return self.changed == 0


def sheet_progress(contestant: Contestant) -> dict[str, int]:
    """n of m: seats with a full sheet for ``contestant``, of the seats that may score it."""
    contest_id = contestant.contest_id
    criteria = Criterion.objects.filter(contest_id=contest_id).count()
    seats = JudgeSeat.objects.filter(contest_id=contest_id).exclude(unit_id=contestant.unit_id)
    seats = seats.exclude(conflicts__contestant=contestant)
    eligible = seats.count()
    full = 0
    if criteria:
        full = (
            Score.objects.filter(contestant=contestant, seat__in=seats)
            .values("seat")
            .annotate(n=Count("pk"))
            .filter(n__gte=criteria)
            .count()
        )
    return {"scored": full, "seats": eligible}


def _parse_value(raw: Any, maximum: Decimal, name: str) -> Decimal:
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, ValueError):
        raise ArenaError(_("“%(c)s”的分数不是数字") % {"c": name}) from None
    if not value.is_finite():
        raise ArenaError(_("“%(c)s”的分数不是数字") % {"c": name})
    if value < 0 or value > maximum:
        raise ArenaError(_("“%(c)s”的分数应在 0 到 %(m)s 之间") % {"c": name, "m": _fmt(maximum)})
    if value != value.quantize(Decimal("0.01")):
        raise ArenaError(_("“%(c)s”的分数最多两位小数") % {"c": name})
    return value.quantize(Decimal("0.01"))


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _contestant_for_scoring(contestant_id: int) -> Contestant:
    """The contestant row, read so that a concurrent ``scoring_close`` waits for us (and we for
    it): FOR SHARE on PostgreSQL, which judges scoring at once do not conflict on."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM arena_contestant WHERE id = %s FOR SHARE", [contestant_id]
            )
    return Contestant.objects.select_related("contest", "unit").get(pk=contestant_id)


def score_refusal(
    seat: JudgeSeat, contestant: Contestant, declared: dict[int, str] | None = None
) -> str | None:
    """Why ``seat`` may not score ``contestant`` now (None when it may); ``declared`` (seat id →
    reason) spares a query per seat when the caller read the contestant's conflicts."""
    if contestant.contest_id != seat.contest_id:
        return _("参赛单位不属于此擂台赛")
    if contestant.contest.status != ContestStatus.RUNNING:
        return _("擂台赛当前不在评分中")
    if contestant.scoring != ScoringState.OPEN:
        return _("%(c)s 的评分尚未开放或已结束") % {"c": contestant}
    if declared is None:
        reason = conflict_reason(seat, contestant)
    elif seat.unit_id == contestant.unit_id:
        reason = _("本单位回避")
    elif seat.pk in declared:
        reason = _("已申明回避：%(r)s") % {"r": declared[seat.pk]}
    else:
        reason = None
    if reason is not None:
        return _("你须回避 %(c)s（%(r)s），不能评分") % {"c": contestant, "r": reason}
    return None


def _parse_sheet(criteria: list[Criterion], values: Mapping[str, Any]) -> dict[int, Decimal]:
    """A whole sheet, checked: every criterion given, none unknown, each within 0..maximum."""
    unknown = sorted(set(values) - {c.code for c in criteria})
    if unknown:  # named (five at most, each cut short): the keys come from the client
        named = "、".join(str(k)[:40] for k in unknown[:5]) + ("…" if len(unknown) > 5 else "")
        raise ArenaError(_("未知的评分项：%(c)s") % {"c": named})
    missing = [c.name for c in criteria if values.get(c.code) in (None, "")]
    if missing:
        raise ArenaError(_("请为每个评分项打分：%(c)s") % {"c": "、".join(missing)})
    return {c.pk: _parse_value(values[c.code], c.maximum, c.name) for c in criteria}


@dataclass
class _Written:
    created: list[Score]
    amended: list[tuple[Score, Decimal]]  # the score and its value before

    @property
    def changed(self) -> list[Score]:
        return [*self.created, *(s for s, _old in self.amended)]


def _write_sheet(
    seat: JudgeSeat,
    contestant: Contestant,
    criteria: list[Criterion],
    parsed: dict[int, Decimal],
    existing: dict[int, Score],
    now: dt.datetime,
) -> _Written:
    """Insert or amend the live rows of one sheet (the caller holds the locks)."""
    written = _Written([], [])
    for criterion in criteria:
        value = parsed[criterion.pk]
        score = existing.get(criterion.pk)
        if score is None:
            written.created.append(
                Score(
                    seat=seat,
                    contestant=contestant,
                    criterion=criterion,
                    value=value,
                    first_submitted_at=now,
                    submitted_at=now,
                )
            )
        elif score.value != value:
            written.amended.append((score, score.value))
            score.value = value
            score.version += 1
            score.amended += 1
            score.submitted_at = now
    return written


def _save_written(written: list[_Written]) -> None:
    created = [s for w in written for s in w.created]
    Score.objects.bulk_create(created)
    amended = [s for w in written for s, _old in w.amended]
    if amended:
        Score.objects.bulk_update(amended, ["value", "version", "amended", "submitted_at"])
    if any(s.pk is None for s in created):  # backends that return no ids
        ids = {
            (s.seat_id, s.contestant_id, s.criterion_id): s.pk
            for s in Score.objects.filter(
                contestant_id__in={s.contestant_id for s in created},
                seat_id__in={s.seat_id for s in created},
            )
        }
        for s in created:
            s.pk = ids[(s.seat_id, s.contestant_id, s.criterion_id)]


def _revisions(
    written: list[_Written], now: dt.datetime, via: str, ip_address: str | None, seq: int
) -> None:
    ScoreRevision.objects.bulk_create(
        [
            ScoreRevision(
                score=s,
                version=s.version,
                value=s.value,
                submitted_at=now,
                via=via,
                ip_address=ip_address,
                audit_seq=seq,
            )
            for w in written
            for s in w.changed
        ]
    )


def score_submit(
    *,
    seat: JudgeSeat,
    contestant: Contestant,
    values: Mapping[str, Any],
    via: str = ScoreRevision.Via.LINK,
    ip_address: str | None = None,
    actor: Any = None,
) -> SubmitOutcome:
    """Store a judge's whole sheet for one contestant: ``values`` maps each criterion's code to
    a score. The same sheet again changes nothing (no revision, no audit event); a changed value
    is an amendment (a new version, a revision row, one audit event per submission)."""
    with transaction.atomic():
        seat = JudgeSeat.objects.select_for_update().select_related("contest").get(pk=seat.pk)
        contestant = _contestant_for_scoring(contestant.pk)
        refuse(score_refusal(seat, contestant))
        criteria = list(Criterion.objects.filter(contest_id=seat.contest_id))
        parsed = _parse_sheet(criteria, values)
        existing = {
            s.criterion_id: s
            for s in Score.objects.select_for_update().filter(seat=seat, contestant=contestant)
        }
        now = timezone.now()
        written = _write_sheet(seat, contestant, criteria, parsed, existing, now)
        if not written.changed:
            progress = sheet_progress(contestant)
            return SubmitOutcome(0, 0, 0, progress["scored"], progress["seats"])
        _save_written([written])
        codes = {c.pk: c.code for c in criteria}
        event = record_event(
            actor=actor,
            actor_label=_("评委 %(j)s") % {"j": seat.name} if actor is None else "",
            action="arena.score.amend" if written.amended else "arena.score.submit",
            obj=seat.contest,
            object_repr=f"{seat.contest} · {seat.name} → {contestant.unit.name}"[:255],
            before={codes[s.criterion_id]: old for s, old in written.amended} or None,
            after={
                "seat": seat.pk,
                "contestant": contestant.pk,
                "via": via,
                "values": {codes[pk]: v for pk, v in parsed.items()},
            },
        )
        _revisions([written], now, via, ip_address, event.seq)
        progress = sheet_progress(contestant)
        broadcast.announce(
            seat.contest_id,
            "score_saved",
            {"contestant": contestant.pk, "seat": seat.pk, **progress},
        )
    return SubmitOutcome(
        changed=len(written.changed),
        created=len(written.created),
        amended=len(written.amended),
        scored=progress["scored"],
        seats=progress["seats"],
    )


def scores_enter_paper(
    *,
    actor: Any,
    contest: Contest,
    contestant: Contestant,
    sheets: Mapping[int, Mapping[str, Any]],
) -> int:
    """The host enters paper sheets (纸质评分表代录, when phones fail): ``sheets`` maps seat ids
    to a judge's values for ``contestant``. Every sheet is checked as if the judge had sent it
    (scoring open, conflicts, maxima); all are written or none, with one audit event naming
    every sheet. Returns the number of sheets that changed."""
    with transaction.atomic():
        contest = _locked(contest)
        _require_manager(actor, contest)
        contestant = (
            Contestant.objects.select_for_update()
            .select_related("unit", "contest")
            .get(pk=contestant.pk, contest=contest)
        )
        seats = {
            s.pk: s
            for s in JudgeSeat.objects.select_for_update().filter(
                contest=contest, pk__in=list(sheets)
            )
        }
        unknown = sorted(set(sheets) - set(seats))
        if unknown:
            raise ArenaError(_("评委不属于此擂台赛：%(s)s") % {"s": unknown})
        criteria = list(Criterion.objects.filter(contest=contest))
        existing: dict[int, dict[int, Score]] = defaultdict(dict)
        for score in Score.objects.select_for_update().filter(
            contestant=contestant, seat_id__in=list(seats)
        ):
            existing[score.seat_id][score.criterion_id] = score
        declared = dict(
            Conflict.objects.filter(contestant=contestant).values_list("seat_id", "reason")
        )
        now = timezone.now()
        written, problems, record = [], [], {}
        for seat_id, values in sheets.items():
            seat = seats[seat_id]
            seat.contest = contest
            try:
                refuse(score_refusal(seat, contestant, declared))
                parsed = _parse_sheet(criteria, values)
            except ArenaError as exc:
                problems.append(f"{seat.name}：{exc}")
                continue
            sheet = _write_sheet(seat, contestant, criteria, parsed, existing[seat_id], now)
            if sheet.changed:
                written.append(sheet)
                record[str(seat_id)] = {c.code: parsed[c.pk] for c in criteria}
        if problems:
            raise ArenaError("；".join(problems))
        if not written:
            return 0
        _save_written(written)
        event = record_event(
            actor=actor,
            action="arena.score.paper",
            obj=contest,
            object_repr=f"{contest} · {contestant.unit.name}"[:255],
            after={"contestant": contestant.pk, "via": ScoreRevision.Via.HOST, "sheets": record},
        )
        _revisions(written, now, ScoreRevision.Via.HOST, None, event.seq)
        progress = sheet_progress(contestant)
        broadcast.announce(
            contest.pk, "score_saved", {"contestant": contestant.pk, "seat": None, **progress}
        )
    return len(written)


# ---------------------------------------------------------------- pledges


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
