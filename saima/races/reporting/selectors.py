"""Reads for organising and reporting: the races a user runs, a race's periods, a period's
status board, a report's fields, a race's participants and a unit's reporters."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from saima.engine import Scheme
from saima.org.models import PeerGroup, Role, RoleGrant, Unit, UnitLevel, User
from saima.org.permissions import AnyUser, scope_filter, units_organised_by
from saima.races.errors import RaceError
from saima.races.models import (
    HEAVY,
    Period,
    PeriodStatus,
    Race,
    Reminder,
    Report,
    ReportStatus,
    Result,
)
from saima.races.permissions import EDITABLE_REPORT_STATUSES
from saima.races.reporting.anomalies import period_flags, values_by_unit
from saima.races.results.selectors import previous_period
from saima.races.schemes.selectors import bound_text, parse_scheme

# ---------------------------------------------------------------- races


def races_managed_by(user: AnyUser) -> QuerySet[Race]:
    if getattr(user, "is_superuser", False):
        return Race.objects.select_related("owner")
    owners = units_organised_by(user)
    return Race.objects.filter(owner__in=owners).select_related("owner")


def races_public() -> QuerySet[Race]:
    return Race.objects.filter(periods__results__is_current=True).distinct().select_related("owner")


def race_list(user: AnyUser) -> list[dict[str, Any]]:
    """Every race the user may see, with its newest period and current board (five queries,
    however many races)."""
    managed = set(races_managed_by(user).values_list("pk", flat=True))
    races = list(
        Race.objects.filter(Q(pk__in=managed) | Q(pk__in=races_public().values("pk")))
        .select_related("owner")
        .prefetch_related(Prefetch("periods", queryset=Period.objects.order_by("-year", "-number")))
    )
    boards = {
        result.period.race_id: result
        for result in Result.objects.filter(period__race__in=races, is_current=True)
        .defer(*HEAVY)
        .select_related("period__race")
        .order_by("period__year", "period__number")
    }
    return [
        {
            "race": race,
            "latest": next(iter(race.periods.all()), None),
            "board": boards.get(race.pk),
            "managed": race.pk in managed,
        }
        for race in races
    ]


def periods_of(race: Race) -> list[dict[str, Any]]:
    return periods_by_race([race])[race.pk]


def periods_by_race(races: list[Race]) -> dict[int, list[dict[str, Any]]]:
    """Each race's periods, newest first, with report counts by status and the current result
    (three queries, however many races)."""
    by_pk = {race.pk: race for race in races}
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for period_id, status, n in (
        Report.objects.filter(period__race__in=races)
        .values_list("period_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts[period_id][status] = n
    current = {
        r.period_id: r
        for r in Result.objects.filter(period__race__in=races, is_current=True).defer(*HEAVY)
    }
    out: dict[int, list[dict[str, Any]]] = {pk: [] for pk in by_pk}
    for period in Period.objects.filter(race__in=races).order_by("-year", "-number"):
        period.race = by_pk[period.race_id]
        out[period.race_id].append(
            {
                "period": period,
                "counts": counts[period.pk],
                "total": sum(counts[period.pk].values()),
                "current": current.get(period.pk),
            }
        )
    return out


def reporter_open_reports(user: AnyUser) -> QuerySet[Report]:
    """Open reports of the units this user reports for (their to-do list)."""
    condition = scope_filter(user, [Role.REPORTER], field="unit__path")
    if not getattr(user, "is_authenticated", False):
        return Report.objects.none()
    if getattr(user, "is_superuser", False):
        return Report.objects.none()
    return (
        Report.objects.filter(condition, period__status=PeriodStatus.OPEN)
        .select_related("period__race", "unit")
        .order_by("period__deadline")
    )


# ---------------------------------------------------------------- a period at a glance


@dataclass
class StatusRow:
    report: Report
    flags: int = 0
    reminders: int = 0
    last_reminder: Any = None

    @property
    def pending(self) -> bool:
        """Not yet handed in (未填报、草稿、已退回): may be reminded, or filled in for the unit."""
        return self.report.status in EDITABLE_REPORT_STATUSES


def period_status(period: Period, flags: dict[int, list[Any]] | None = None) -> dict[str, Any]:
    reports = list(
        Report.objects.filter(period=period)
        .select_related("unit")
        .order_by("group_code", "unit__path")
    )
    reminders: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in Reminder.objects.filter(period=period).order_by("sent_at"):
        reminders[reminder.unit_id].append(reminder)
    rows = [
        StatusRow(
            r,
            len((flags or {}).get(r.unit_id, [])),
            len(reminders[r.unit_id]),
            reminders[r.unit_id][-1].sent_at if reminders[r.unit_id] else None,
        )
        for r in reports
    ]
    counts = Counter(r.status for r in reports)
    summary = [(status, label, counts.get(status, 0)) for status, label in ReportStatus.choices]
    return {"rows": rows, "summary": summary, "total": len(reports)}


def clean_submitted_report_ids(period: Period) -> list[int]:
    """The submitted reports of ``period`` that raised no anomaly flag (一键审核 verifies them)."""
    flags = period_flags(period, parse_scheme(period.race.scheme_toml))
    return [
        report.pk
        for report in Report.objects.filter(period=period, status=ReportStatus.SUBMITTED)
        if not flags.get(report.unit_id)
    ]


def cities_of(rows: list[StatusRow]) -> list[Unit]:
    """The cities (设区市) whose units appear on a status board, for its city filter."""
    paths = {row.report.unit.path for row in rows}
    cities = Unit.objects.filter(level=UnitLevel.CITY).order_by("path")
    return [city for city in cities if any(path.startswith(city.path) for path in paths)]


@dataclass
class FieldRow:
    code: str
    name: str
    unit: str
    help: str
    direction: str
    value: float | None
    last: float | None
    note: str = ""
    flags: list[Any] = field(default_factory=list)
    bounds: str = ""  # 取值范围 in words, e.g. "≥ 0，整数"


def report_fields(report: Report, scheme: Scheme, flags: list[Any] | None = None) -> list[FieldRow]:
    current = {v.indicator: v for v in report.values.all()}
    last = values_by_unit(previous_period(report.period)).get(report.unit_id, {})
    rows = []
    for i in scheme.indicators:
        value = current.get(i.code)
        rows.append(
            FieldRow(
                i.code,
                i.name,
                i.unit,
                i.help,
                i.direction,
                value.value if value else None,
                last.get(i.code),
                value.note if value else "",
                [f for f in (flags or []) if f.indicator == i.code],
                bound_text(i),
            )
        )
    return rows


# ---------------------------------------------------------------- participants and reporters


def participants_of(race: Race) -> list[tuple[Unit, str]]:
    scheme = parse_scheme(race.scheme_toml)
    codes = [g.code for g in scheme.groups]
    groups = {
        g.code: g for g in PeerGroup.objects.filter(code__in=codes).prefetch_related("members")
    }
    seen: dict[int, str] = {}
    out: list[tuple[Unit, str]] = []
    for code in codes:
        group = groups.get(code)
        if group is None:
            raise RaceError(_("分组「%(code)s」没有对应的同类组") % {"code": code})
        members = sorted(group.members.all(), key=lambda unit: unit.path)
        if not members:
            raise RaceError(_("同类组「%(name)s」没有成员单位") % {"name": group.name})
        for unit in members:
            if unit.pk in seen:
                raise RaceError(
                    _("单位「%(unit)s」同时属于分组「%(a)s」和「%(b)s」")
                    % {"unit": unit.name, "a": seen[unit.pk], "b": code}
                )
            seen[unit.pk] = code
            out.append((unit, code))
    return out


def reporters_of(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    out: dict[int, list[User]] = {}
    grants = RoleGrant.objects.filter(
        role=Role.REPORTER, unit_id__in=list(unit_ids)
    ).select_related("user")
    for grant in grants:
        if grant.user.is_active:
            out.setdefault(grant.unit_id, []).append(grant.user)
    return out
