"""Scoring: a judge's whole sheet submitted (new or amended, every change a revision), the host's
entry of paper sheets, and how many judges have scored a contestant.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.arena import broadcast
from saima.arena.conflicts import conflict_reason
from saima.arena.errors import ArenaError, refuse
from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    ContestStatus,
    Criterion,
    JudgeSeat,
    Score,
    ScoreRevision,
    ScoringState,
)
from saima.arena.services.common import _locked, _require_manager
from saima.core.audit import record_event


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
