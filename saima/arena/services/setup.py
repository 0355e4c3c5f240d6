"""Setting a contest up (筹备): the contest and its series, the setup objects (rubric lines,
panels, contestants, pledge items, judges' seats, conflicts) saved, added in bulk or deleted,
ready / back to draft, and the order of presentation, drawn by a recorded seed or fixed.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.arena import broadcast
from saima.arena.errors import ArenaError, refuse
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
    Series,
)
from saima.arena.permissions import may_manage_contest
from saima.arena.services.common import (
    _audit,
    _locked,
    _require_manager,
    _tell_portal,
    contest_state,
    seating_refusal,
    setup_refusal,
)
from saima.arena.services.links import link_expiry
from saima.core.audit import record_event, snapshot
from saima.core.workflow import ActionForbidden
from saima.org.models import Unit
from saima.org.permissions import may_organise


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
