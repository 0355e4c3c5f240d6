"""What a live screen shows, read from the database as plain JSON-ready data (the live selectors).

A screen's state is a dict of *sections*; a snapshot carries all of them, a delta only those an
event can have changed (``SECTIONS_BY_EVENT``), each section replaced whole, so applying a delta
twice is harmless. The page renders the same state as JSON at load, so it shows something at
once and the socket's snapshot supersedes it.

Three audiences, three builders, each the only place that decides what it may see:

- the **board** (projector; ``board_state``): the contest, the timer, the contestant on stage,
  every contestant's scoring progress (n of m), and the ranking with each panel's figure only
  when ``may_view_results`` allows (after reveal for the contest's people, after release for
  everyone). No judge's name beside a number, no score before reveal.
- the **console** (host; ``console_state``): the board's sections plus each judge's sheet state
  for the contestant on stage (scored / waiting / conflict, never the values), the judge links
  and the host's actions with the reason a disabled one is disabled.
- a **judge** (``judge_state``): the contestant on stage, whether the judge must stand aside
  (回避), and the judge's own sheet for that contestant (their own values only, as the issue's
  "judges see only their own scores until reveal" asks).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.arena import permissions
from saima.arena.live import host
from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    ContestResult,
    ContestStatus,
    Criterion,
    JudgeLink,
    JudgeSeat,
    Score,
    ScoringState,
    TimerState,
)
from saima.org.permissions import AnyUser

State = dict[str, Any]

# The sections each event can change; an event not named here gets a fresh snapshot.
# (The events are ``saima.arena.services``'s; contest_changed, revealed and released change
# what a screen may see, so they always bring a snapshot, built after the access re-check.)
_SCORING = frozenset({"current", "contestants", "progress", "sheet", "own", "actions"})
SECTIONS_BY_EVENT: dict[str, frozenset[str]] = {
    "score_saved": frozenset({"progress", "sheet", "own"}),
    "timer": frozenset({"timer", "actions"}),
    "scoring_opened": _SCORING,
    "scoring_closed": _SCORING,
}
FULL = frozenset({"*"})


def sections_for(events: Iterable[str]) -> frozenset[str]:
    """The sections to recompute for a batch of events (``FULL`` when any needs a snapshot)."""
    wanted: set[str] = set()
    for event in events:
        sections = SECTIONS_BY_EVENT.get(event)
        if sections is None:
            return FULL
        wanted |= sections
    return frozenset(wanted)


def load_contest(contest_id: int) -> Contest | None:
    return (
        Contest.objects.select_related("owner", "current__unit", "current__person")
        .filter(pk=contest_id)
        .first()
    )


def _ms(moment: datetime | None) -> int | None:
    return None if moment is None else int(moment.timestamp() * 1000)


# ---------------------------------------------------------------- sections


def contest_section(contest: Contest) -> State:
    return {
        "id": contest.pk,
        "title": contest.title,
        "date": contest.date.isoformat(),
        "venue": contest.venue,
        "status": contest.status,
        "status_label": str(ContestStatus(contest.status).label),
        "released": contest.released,
        "slot_seconds": contest.slot_minutes * 60,
        "method_label": contest.get_method_display(),
    }


def timer_section(contest: Contest) -> State:
    """The speaker timer as the server holds it; screens run the clock themselves from it:
    shown = ``elapsed`` + (now − ``started_at``) while running, with ``server_now`` to correct
    the screen's own clock."""
    running = contest.timer_state == TimerState.RUNNING
    return {
        "state": contest.timer_state,
        "state_label": str(TimerState(contest.timer_state).label),
        "elapsed": contest.timer_elapsed,
        "started_at": _ms(contest.timer_started_at) if running else None,
        "server_now": _ms(timezone.now()),
        "slot_seconds": contest.slot_minutes * 60,
    }


def _contestant_row(contestant: Contestant) -> State:
    return {
        "id": contestant.pk,
        "position": contestant.position,
        "unit": contestant.unit.name,
        "person": contestant.person.name if contestant.person else "",
        "topic": contestant.topic,
        "scoring": contestant.scoring,
        "scoring_label": str(ScoringState(contestant.scoring).label),
    }


def _contestants(contest: Contest) -> list[Contestant]:
    return list(contest.contestants.select_related("unit", "person").order_by("position", "pk"))


def current_section(contest: Contest) -> State | None:
    return None if contest.current is None else _contestant_row(contest.current)


def contestants_section(contest: Contest) -> list[State]:
    return [_contestant_row(c) for c in _contestants(contest)]


class Seating:
    """The contest's seats, conflicts and complete sheets, read once for a progress question."""

    def __init__(self, contest: Contest, contestant_ids: list[int] | None = None) -> None:
        self.seats = list(
            contest.seats.select_related("panel", "unit").order_by("panel__position", "position")
        )
        contestants = contest.contestants.all()
        if contestant_ids is not None:
            contestants = contestants.filter(pk__in=contestant_ids)
        self.unit_of = dict(contestants.values_list("pk", "unit_id"))
        self.declared = set(
            Conflict.objects.filter(seat__contest=contest).values_list("seat_id", "contestant_id")
        )
        criteria = Criterion.objects.filter(contest=contest).count()
        counts = (
            Score.objects.filter(contestant_id__in=self.unit_of)
            .values("contestant_id", "seat_id")
            .annotate(n=Count("pk"))
        )
        self.complete = {
            (row["seat_id"], row["contestant_id"])
            for row in counts
            if criteria and row["n"] >= criteria
        }

    def conflicted(self, seat: JudgeSeat, contestant_id: int) -> bool:
        own_unit = seat.unit_id == self.unit_of.get(contestant_id)
        return own_unit or (seat.pk, contestant_id) in self.declared

    def progress(self) -> dict[str, State]:
        """For each contestant: ``n`` seats with a complete sheet of ``m`` eligible seats."""
        scored: Counter[int] = Counter()
        eligible: Counter[int] = Counter()
        for contestant_id in self.unit_of:
            for seat in self.seats:
                if self.conflicted(seat, contestant_id):
                    continue
                eligible[contestant_id] += 1
                scored[contestant_id] += (seat.pk, contestant_id) in self.complete
        return {str(cid): {"n": scored[cid], "m": eligible[cid]} for cid in sorted(self.unit_of)}

    def sheet(self, contestant_id: int) -> list[State]:
        """Each seat's state for one contestant: scored, waiting or conflict (never a value)."""
        rows = []
        for seat in self.seats:
            if self.conflicted(seat, contestant_id):
                state = "conflict"
            elif (seat.pk, contestant_id) in self.complete:
                state = "scored"
            else:
                state = "waiting"
            rows.append(
                {"seat": seat.pk, "name": seat.name, "panel": seat.panel.name, "state": state}
            )
        return rows


def progress_section(contest: Contest) -> dict[str, State]:
    return Seating(contest).progress()


def sheet_section(contest: Contest) -> list[State]:
    if contest.current_id is None:
        return []
    return Seating(contest, [contest.current_id]).sheet(contest.current_id)


def _link_state(link: JudgeLink | None, now: datetime) -> tuple[str, str]:
    if link is None:
        return "none", _("未生成")
    if link.revoked_at is not None:
        return "revoked", _("已撤销")
    if link.expires_at <= now:
        return "expired", _("已失效")
    if link.last_used_at is not None:
        return "used", _("已使用")
    return "live", _("未使用")


def links_section(contest: Contest) -> list[State]:
    """Each judge's link: its state and when it was last used (never the token)."""
    now = timezone.now()
    newest: dict[int, JudgeLink] = {}
    for issued in JudgeLink.objects.filter(seat__contest=contest).order_by("created_at", "pk"):
        newest[issued.seat_id] = issued
    rows = []
    for seat in contest.seats.select_related("panel", "unit").order_by(
        "panel__position", "position", "pk"
    ):
        link = newest.get(seat.pk)
        state, label = _link_state(link, now)
        rows.append(
            {
                "seat": seat.pk,
                "name": seat.name,
                "title": seat.title,
                "unit": seat.unit.name,
                "panel": seat.panel.name,
                "link": state,
                "link_label": label,
                "last_used": _ms(link.last_used_at) if link else None,
            }
        )
    return rows


def results_section(contest: Contest, user: AnyUser) -> State | None:
    """The ranking, with each panel's figure, once ``user`` may see results (else None)."""
    if not permissions.may_view_results(user, contest):
        return None
    result = ContestResult.objects.filter(contest=contest).order_by("-version").first()
    panels = list(contest.panels.order_by("position", "pk").values("code", "name", "weight"))
    figures = _panel_figures(result)
    rows = []
    for c in contest.contestants.select_related("unit", "person").order_by("rank", "position"):
        rows.append(
            {
                "id": c.pk,
                "rank": c.rank,
                "unit": c.unit.name,
                "person": c.person.name if c.person else "",
                "score": c.final_score,
                "panels": figures.get(c.pk, {}),
            }
        )
    public_url = reverse("portal:arena:contest", args=[contest.pk])  # the public results page
    return {
        "method_label": contest.get_method_display(),
        "panels": [
            {"code": p["code"], "name": p["name"], "weight": float(p["weight"])} for p in panels
        ],
        "rows": rows,
        "public_url": public_url if permissions.is_public(contest) else None,
        "version": result.version if result else None,
        "digest": result.digest if result else "",
    }


def _panel_figures(result: ContestResult | None) -> dict[int, dict[str, float]]:
    """Each contestant's figure per panel (official method), from the frozen result: its
    outputs' rows line up with the contestant ids kept in its inputs' ``meta``."""
    if result is None:
        return {}
    ids = (result.inputs.get("meta") or {}).get("contestant_ids", [])
    figures: dict[int, dict[str, float]] = {}
    for pk, row in zip(ids, result.outputs.get("contestants", []), strict=False):
        figures[int(pk)] = {
            key.removeprefix("panel:"): float(value)
            for key, value in row.items()
            if key.startswith("panel:") and value is not None
        }
    return figures


def own_section(contest: Contest, seat: JudgeSeat) -> State:
    """The judge's own sheet for the contestant on stage, and whether they must stand aside."""
    if contest.current_id is None:
        return {"contestant": None, "conflict": False, "submitted": False, "values": {}}
    seating = Seating(contest, [contest.current_id])
    conflict = seating.conflicted(seat, contest.current_id)
    reason = ""
    if conflict:
        declared = Conflict.objects.filter(seat=seat, contestant_id=contest.current_id).first()
        reason = declared.reason if declared else _("本单位选手，须回避")
    values = {
        code: str(value)
        for code, value in Score.objects.filter(
            seat=seat, contestant_id=contest.current_id
        ).values_list("criterion__code", "value")
    }
    return {
        "contestant": contest.current_id,
        "conflict": conflict,
        "conflict_reason": reason,
        "submitted": (seat.pk, contest.current_id) in seating.complete,
        "values": values,
    }


# ---------------------------------------------------------------- the three audiences


def _build(sections: dict[str, Callable[[], Any]], wanted: frozenset[str]) -> State:
    return {name: make() for name, make in sections.items() if wanted == FULL or name in wanted}


def board_state(contest: Contest, user: AnyUser, wanted: frozenset[str] = FULL) -> State:
    return _build(
        {
            "contest": lambda: contest_section(contest),
            "timer": lambda: timer_section(contest),
            "current": lambda: current_section(contest),
            "contestants": lambda: contestants_section(contest),
            "progress": lambda: progress_section(contest),
            "results": lambda: results_section(contest, user),
        },
        wanted,
    )


def console_state(contest: Contest, user: AnyUser, wanted: frozenset[str] = FULL) -> State:
    state = board_state(contest, user, wanted)
    state.update(
        _build(
            {
                "sheet": lambda: sheet_section(contest),
                "links": lambda: links_section(contest),
                "actions": lambda: host.actions_state(user, contest),
            },
            wanted,
        )
    )
    return state


def judge_state(contest: Contest, seat: JudgeSeat, wanted: frozenset[str] = FULL) -> State:
    return _build(
        {
            "contest": lambda: contest_section(contest),
            "timer": lambda: timer_section(contest),
            "current": lambda: current_section(contest),
            "own": lambda: own_section(contest, seat),
        },
        wanted,
    )
