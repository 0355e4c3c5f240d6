"""Reads for the arena pages: contest lists, scoring progress (n of m), a judge's sheet, the
results table, and the pledges of the previous contest of a series."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet

from saima.arena.conflicts import conflict_reason
from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    ContestResult,
    ContestStatus,
    Criterion,
    JudgeLink,
    JudgeSeat,
    PledgeItem,
    Score,
)
from saima.arena.permissions import (
    may_view_judge_scores,
    may_view_results,
    speaks_for,
)
from saima.org.models import Role
from saima.org.permissions import AnyUser, grants_of, is_superuser, scope_filter


def contests_visible(user: AnyUser) -> QuerySet[Contest]:
    """Contests the user may open: released ones, those of units they organise or watch,
    those they sit on as a judge, and those where a unit they speak for presents."""
    condition = Q(status=ContestStatus.REVEALED, released=True)
    if is_superuser(user):
        condition = Q()
    elif getattr(user, "is_authenticated", False):
        condition |= Q(owner__in=_units(user, [Role.ORGANISER, Role.VIEWER, Role.DISCIPLINE]))
        condition |= Q(seats__user_id=user.pk)
        person_id = getattr(user, "person_id", None)
        if person_id is not None:
            condition |= Q(contestants__person_id=person_id)
        reporter_units = [g.unit_id for g in grants_of(user) if g.role == Role.REPORTER]
        if reporter_units:
            condition |= Q(contestants__unit_id__in=reporter_units)
    return (
        Contest.objects.filter(condition)
        .distinct()
        .select_related("owner", "series")
        .order_by("-date", "title")
    )


def _units(user: AnyUser, roles: list[str]) -> Any:
    from saima.org.models import Unit

    return Unit.objects.filter(scope_filter(user, roles))


def progress(contest: Contest) -> dict[int, dict[str, int]]:
    """Per contestant id: judges with a full sheet (``scored``) of the judges who may score it
    (``seats``: own-unit and declared conflicts left out). Four queries whatever the size."""
    criteria = Criterion.objects.filter(contest=contest).count()
    contestants = list(contest.contestants.values_list("pk", "unit_id"))
    seats = list(contest.seats.values_list("pk", "unit_id"))
    conflicts = set(
        Conflict.objects.filter(seat__contest=contest).values_list("seat_id", "contestant_id")
    )
    full: dict[int, int] = defaultdict(int)
    if criteria:
        for row in (
            Score.objects.filter(contestant__contest=contest)
            .values("contestant_id", "seat_id")
            .annotate(n=Count("pk"))
            .filter(n__gte=criteria)
        ):
            full[row["contestant_id"]] += 1
    out = {}
    for pk, unit_id in contestants:
        eligible = sum(
            1 for seat, seat_unit in seats if seat_unit != unit_id and (seat, pk) not in conflicts
        )
        out[pk] = {"scored": full[pk], "seats": eligible}
    return out


@dataclass
class SheetLine:
    """One contestant as a judge sees it."""

    contestant: Contestant
    conflict: str | None
    scores: dict[str, Decimal] = field(default_factory=dict)
    version: int = 0

    @property
    def done(self) -> bool:
        return bool(self.scores)


def judge_sheet(seat: JudgeSeat) -> list[SheetLine]:
    """The contest's contestants in order, with the seat's own scores and conflicts (never
    another judge's scores)."""
    contestants = list(
        seat.contest.contestants.select_related("unit", "person").order_by("position", "pk")
    )
    declared = {c.contestant_id: c.reason for c in Conflict.objects.filter(seat=seat)}
    lines = {c.pk: SheetLine(c, None) for c in contestants}
    for c in contestants:
        if c.unit_id == seat.unit_id or c.pk in declared:
            lines[c.pk].conflict = conflict_reason(seat, c)
    for s in Score.objects.filter(seat=seat).select_related("criterion"):
        line = lines[s.contestant_id]
        line.scores[s.criterion.code] = s.value
        line.version = max(line.version, s.version)
    return [lines[c.pk] for c in contestants]


def link_for_token(token_hash: str) -> JudgeLink | None:
    return (
        JudgeLink.objects.filter(token_hash=token_hash)
        .select_related("seat__contest__owner", "seat__panel", "seat__unit")
        .first()
    )


def seats_with_links(contest: Contest) -> list[tuple[JudgeSeat, JudgeLink | None]]:
    seats = list(contest.seats.select_related("panel", "unit", "person", "user"))
    live = {
        link.seat_id: link
        for link in JudgeLink.objects.filter(seat__contest=contest, revoked_at__isnull=True)
    }
    return [(seat, live.get(seat.pk)) for seat in seats]


def current_result(contest: Contest) -> ContestResult | None:
    return contest.results.order_by("-version").first()


METHOD_ORDER = ("mean", "trimmed", "standardised")


@dataclass
class ResultTable:
    """The frozen result as pages show it."""

    result: ContestResult
    rows: list[dict[str, Any]]  # official rank order; each with the contestant object
    panels: list[dict[str, Any]]
    criteria: list[dict[str, Any]]
    judges: list[dict[str, Any]]  # empty unless the viewer may see judges' figures
    methods: list[str]
    official: str
    partial: bool  # only the viewer's own lines


def result_table(contest: Contest, user: AnyUser) -> ResultTable | None:
    """What ``user`` may see of the frozen result: every line, or only the lines of the
    contestants they speak for; judges' agreement figures for the contest's managers (and
    watchers after reveal). None when they may see nothing."""
    frozen = current_result(contest)
    if frozen is None:
        return None
    everything = may_view_results(user, contest)
    contestants = {c.pk: c for c in contest.contestants.select_related("unit", "person")}
    meta = frozen.inputs.get("meta", {})
    ids = meta.get("contestant_ids", [])
    rows = []
    for pk, row in zip(ids, frozen.outputs["contestants"], strict=False):
        contestant = contestants.get(pk)
        if contestant is None:
            continue
        if not everything and not speaks_for(user, contestant):
            continue
        rows.append({**row, "object": contestant, "id": pk})
    if not rows:
        return None
    rows.sort(key=lambda r: (r["rank"], r["object"].position or 0))
    panel_w = {p["panel"]: p for p in frozen.outputs.get("panels", [])}
    panels = [{**p, **panel_w.get(p["code"], {})} for p in frozen.inputs["panels"]]
    judges: list[dict[str, Any]] = []
    if may_view_judge_scores(user, contest):
        names = dict(zip(meta.get("seat_ids", []), meta.get("seat_names", []), strict=False))
        panel_names = {p["code"]: p["name"] for p in frozen.inputs["panels"]}
        for row in frozen.outputs.get("judges", []):
            seat_id = int(str(row["judge"]).split(":", 1)[1])
            judges.append(
                {
                    **row,
                    "seat": seat_id,
                    "name": names.get(seat_id, row["judge"]),
                    "panel_name": panel_names.get(row["panel"], row["panel"]),
                }
            )
    return ResultTable(
        result=frozen,
        rows=rows,
        panels=panels,
        criteria=frozen.inputs["criteria"],
        judges=judges,
        methods=list(METHOD_ORDER),
        official=frozen.method,
        partial=not everything,
    )


def judge_scores(contest: Contest) -> list[dict[str, Any]]:
    """Every judge's sheet (for the contest's managers): seat, contestant, totals by criterion,
    the number of amendments."""
    rows: dict[tuple[int, int], dict[str, Any]] = {}
    for s in Score.objects.filter(contestant__contest=contest).select_related(
        "seat__panel", "contestant__unit", "criterion"
    ):
        key = (s.seat_id, s.contestant_id)
        row = rows.setdefault(
            key,
            {"seat": s.seat, "contestant": s.contestant, "values": {}, "amended": 0},
        )
        row["values"][s.criterion.code] = s.value
        row["amended"] += s.amended
    return sorted(
        rows.values(),
        key=lambda r: (
            r["seat"].panel.position,
            r["seat"].position,
            r["seat"].pk,
            r["contestant"].position or 0,
        ),
    )


@dataclass
class PledgeFollowUp:
    """A contestant of this contest and its pledge items at the previous contest of the series."""

    contestant: Contestant
    previous: Contestant
    items: list[PledgeItem]


def previous_contest(contest: Contest) -> Contest | None:
    if contest.series_id is None:
        return None
    return (
        Contest.objects.filter(series_id=contest.series_id, date__lt=contest.date)
        .exclude(pk=contest.pk)
        .order_by("-date", "-pk")
        .first()
    )


def pledge_follow_up(contest: Contest) -> tuple[Contest | None, list[PledgeFollowUp]]:
    """The previous contest of the series and, per contestant present in both, the items it
    pledged there (delivered vs pledged)."""
    previous = previous_contest(contest)
    if previous is None:
        return None, []
    before = {
        c.unit_id: c
        for c in previous.contestants.select_related("unit").prefetch_related("pledges")
    }
    follow = []
    for contestant in contest.contestants.select_related("unit").order_by("position", "pk"):
        old = before.get(contestant.unit_id)
        if old is not None and old.pledges.all():
            follow.append(PledgeFollowUp(contestant, old, list(old.pledges.all())))
    return previous, follow


def pledge_share(item: PledgeItem) -> float | None:
    """Delivered as a share of the target (None when not recorded or the target is 0)."""
    if item.delivered is None or not item.target:
        return None
    return float(item.delivered / item.target)
