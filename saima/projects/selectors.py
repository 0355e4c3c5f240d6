"""Reads for the project register and monthly reporting.

For the engine (``saima.engine.progress``), ``list_year_arrays(plist)`` loads a list's year as
NumPy arrays, projects × 12 months, in **four queries whatever the number of projects**
(memberships with their projects, plans, reports, milestones); ``ListYearArrays.project_months``
turns them into the engine's ``ProjectMonths`` for the first N months. Month indices count from
0 = January of the list's year (a milestone in the previous December is −1); NaN means none.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.db.models import QuerySet
from numpy.typing import NDArray

from saima.engine.progress import ProjectMonths
from saima.org.models import Role, RoleGrant, User
from saima.org.permissions import AnyUser, grants_of
from saima.projects.models import (
    PLAN_FIELDS,
    AnnualPlan,
    ListMembership,
    Milestone,
    MilestoneReached,
    MonthlyReport,
    Project,
    ProjectList,
    ReportStatus,
)

Floats = NDArray[np.float64]
Bools = NDArray[np.bool_]
Ints = NDArray[np.int64]


def reporters_of(unit_ids: Iterable[int]) -> dict[int, list[User]]:
    """Active reporters (填报员) of each unit."""
    out: dict[int, list[User]] = {}
    grants = RoleGrant.objects.filter(role=Role.REPORTER, unit_id__in=list(unit_ids))
    for grant in grants.select_related("user"):
        if grant.user.is_active:
            out.setdefault(grant.unit_id, []).append(grant.user)
    return out


def month_index(date: dt.date | None, year: int) -> float:
    """0 for January of ``year``, −1 for the December before, NaN for no date.

    >>> month_index(dt.date(2026, 3, 9), 2026), month_index(dt.date(2025, 12, 1), 2026)
    (2.0, -1.0)
    """
    if date is None:
        return float("nan")
    return float((date.year - year) * 12 + date.month - 1)


# ---------------------------------------------------------------- arrays for the engine


@dataclass(frozen=True)
class ListYearArrays:
    """A list's year as arrays: P projects (on the list now, by code) × 12 months.

    ``planned_monthly``: planned investment per month (万元); ``actual_cumulative``: reported
    cumulative investment this year (NaN where no submitted report); ``physical_progress``: 形象
    进度 % (NaN likewise); ``reported``/``late``: a submitted report / submitted after its
    deadline; ``budget``: total investment; ``prior_investment``: invested before the year;
    ``planned``/``actual``: milestone code → (P,) month index (NaN: none / not yet).
    """

    year: int
    project_ids: Ints
    codes: tuple[str, ...]
    planned_monthly: Floats
    actual_cumulative: Floats
    physical_progress: Floats
    reported: Bools
    late: Bools
    budget: Floats
    prior_investment: Floats
    planned: dict[str, Floats]
    actual: dict[str, Floats]

    @property
    def planned_cumulative_share(self) -> Floats:
        """Planned cumulative share of the year's plan by month, in % (NaN: no plan)."""
        totals = self.planned_monthly.sum(axis=1, keepdims=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            share = np.cumsum(self.planned_monthly, axis=1) / totals * 100.0
        return np.where(totals > 0, share, np.nan)

    def project_months(self, months: int = 12) -> ProjectMonths:
        """The engine's input as of the end of month ``months``: the whole year's plan (the
        engine measures shares of the year's planned investment), and only the reports of
        January … month ``months`` (later months count as not reported)."""
        reported = self.reported.copy()
        reported[:, months:] = False
        return ProjectMonths.build(
            planned_monthly=self.planned_monthly,
            actual_cumulative=self.actual_cumulative,
            physical_progress=self.physical_progress,
            reported=reported,
            planned_start=self.planned[Milestone.START],
            actual_start=self.actual[Milestone.START],
            planned_completion=self.planned[Milestone.COMPLETION],
            actual_completion=self.actual[Milestone.COMPLETION],
            budget=self.budget,
            prior_investment=self.prior_investment,
        )


def list_year_arrays(plist: ProjectList, year: int | None = None) -> ListYearArrays:
    """The arrays of ``plist`` for ``year`` (default: the list's year), in four queries."""
    year = year or plist.year
    rows = list(
        ListMembership.objects.filter(project_list=plist, removed_at__isnull=True)
        .order_by("project__code")
        .values_list("project_id", "project__code", "project__total_investment")
    )
    n = len(rows)
    index = {pk: i for i, (pk, _code, _total) in enumerate(rows)}
    ids = np.array([pk for pk, _c, _t in rows], dtype=np.int64)
    planned_monthly = np.zeros((n, 12))
    prior = np.zeros(n)
    planned = {code: np.full(n, np.nan) for code in Milestone.values}
    actual = {code: np.full(n, np.nan) for code in Milestone.values}
    plan_values = ("project_id", *PLAN_FIELDS, "invested_before") + tuple(
        f"planned_{code}" for code in Milestone.values
    )
    for plan in AnnualPlan.objects.filter(project_id__in=ids.tolist(), year=year).values_list(
        *plan_values
    ):
        i = index[plan[0]]
        planned_monthly[i] = [float(v) for v in plan[1:13]]
        prior[i] = float(plan[13])
        for offset, code in enumerate(Milestone.values):
            planned[code][i] = month_index(plan[14 + offset], year)
    actual_cumulative, progress, reported, late = _report_grids(ids, index, year)
    for pk, code, reached in MilestoneReached.objects.filter(
        project_id__in=ids.tolist()
    ).values_list("project_id", "milestone", "reached_on"):
        actual[code][index[pk]] = month_index(reached, year)
    budget = np.array([float(total) for _pk, _c, total in rows], dtype=np.float64)
    return ListYearArrays(
        year=year,
        project_ids=ids,
        codes=tuple(code for _pk, code, _t in rows),
        planned_monthly=planned_monthly,
        actual_cumulative=actual_cumulative,
        physical_progress=progress,
        reported=reported,
        late=late,
        budget=budget,
        prior_investment=prior,
        planned=planned,
        actual=actual,
    )


def _report_grids(
    ids: Ints, index: dict[int, int], year: int
) -> tuple[Floats, Floats, Bools, Bools]:
    n = len(index)
    cumulative = np.full((n, 12), np.nan)
    progress = np.full((n, 12), np.nan)
    reported = np.zeros((n, 12), dtype=bool)
    late = np.zeros((n, 12), dtype=bool)
    reports = MonthlyReport.objects.filter(
        project_id__in=ids.tolist(), year=year, status=ReportStatus.SUBMITTED
    ).values_list("project_id", "month", "cumulative_investment", "physical_progress", "late")
    for pk, month, invested, done, was_late in reports:
        i, m = index[pk], month - 1
        cumulative[i, m], progress[i, m] = float(invested), float(done)
        reported[i, m], late[i, m] = True, was_late
    return cumulative, progress, reported, late


# ---------------------------------------------------------------- lists and the register


def lists_for(user: AnyUser) -> list[ProjectList]:
    """Lists the user may see: published ones, and unpublished ones over their scope."""
    from saima.projects.permissions import may_view_list

    return [
        plist for plist in ProjectList.objects.select_related("owner") if may_view_list(user, plist)
    ]


def list_projects(
    plist: ProjectList,
    *,
    locality: str = "",
    category: str = "",
    query: str = "",
) -> QuerySet[Project]:
    """Projects on the list now, filtered by locality (a city's or county's code), category,
    and code or name."""
    projects = (
        Project.objects.filter(
            memberships__project_list=plist, memberships__removed_at__isnull=True
        )
        .select_related("owner_unit", "locality", "locality__parent")
        .order_by("code")
    )
    if locality:
        projects = projects.filter(locality__path__contains=f"/{locality}/")
    if category:
        projects = projects.filter(category=category)
    if query:
        projects = projects.filter(code__icontains=query) | projects.filter(name__icontains=query)
    return projects.distinct()


def latest_reports(project_ids: Iterable[int], year: int) -> dict[int, MonthlyReport]:
    """Each project's latest submitted report of ``year`` (one query)."""
    latest: dict[int, MonthlyReport] = {}
    for report in MonthlyReport.objects.filter(
        project_id__in=list(project_ids), year=year, status=ReportStatus.SUBMITTED
    ).order_by("project_id", "month"):
        latest[report.project_id] = report
    return latest


def year_targets(project_ids: Iterable[int], year: int) -> dict[int, Decimal]:
    return {
        plan.project_id: plan.year_target
        for plan in AnnualPlan.objects.filter(project_id__in=list(project_ids), year=year)
    }


def localities_of(plist: ProjectList) -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(city code, city name, [(county code, county name)]) of the list's projects."""
    rows = (
        Project.objects.filter(
            memberships__project_list=plist, memberships__removed_at__isnull=True
        )
        .values_list(
            "locality__parent__code", "locality__parent__name", "locality__code", "locality__name"
        )
        .distinct()
        .order_by("locality__parent__code", "locality__code")
    )
    cities: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for city_code, city_name, code, name in rows:
        cities.setdefault(city_code, (city_name, []))[1].append((code, name))
    return [(code, name, counties) for code, (name, counties) in cities.items()]


# ---------------------------------------------------------------- the reporting board


@dataclass(frozen=True)
class BoardRow:
    project: Project
    report: MonthlyReport | None

    @property
    def state(self) -> str:
        """on_time / late / draft / missing."""
        if self.report is None:
            return "missing"
        if self.report.status == ReportStatus.DRAFT:
            return "draft"
        return "late" if self.report.late else "on_time"


def reporting_board(plist: ProjectList, month: int, projects: QuerySet[Project]) -> list[BoardRow]:
    """One row per project: its report for the month (or none), in two queries."""
    projects_list = list(projects)
    reports = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(
            project__in=[p.pk for p in projects_list], year=plist.year, month=month
        )
    }
    return [BoardRow(p, reports.get(p.pk)) for p in projects_list]


def board_counts(rows: Iterable[BoardRow]) -> dict[str, int]:
    counts = {"on_time": 0, "late": 0, "draft": 0, "missing": 0}
    for row in rows:
        counts[row.state] += 1
    return counts


# ---------------------------------------------------------------- a project's page


def project_lists(project: Project) -> list[ListMembership]:
    return list(
        ListMembership.objects.filter(project=project)
        .select_related("project_list", "added_by", "removed_by")
        .order_by("-project_list__year", "added_at")
    )


def reports_of(project: Project, year: int) -> list[MonthlyReport]:
    return list(
        MonthlyReport.objects.filter(project=project, year=year)
        .select_related("submitted_by")
        .prefetch_related("photos")
        .order_by("month")
    )


def report_years(project: Project) -> list[int]:
    years = set(project.plans.values_list("year", flat=True))
    years |= set(project.reports.values_list("year", flat=True))
    return sorted(years, reverse=True)


def investment_curve(plan: AnnualPlan | None, reports: list[MonthlyReport]) -> dict[str, Any]:
    """Planned vs actual cumulative investment by month (万元), for the chart and its table."""
    planned: list[float | None] = []
    running = Decimal("0")
    for amount in plan.monthly if plan else []:
        running += amount
        planned.append(float(running))
    actual: list[float | None] = [None] * 12
    progress: list[float | None] = [None] * 12
    for report in reports:
        if report.status == ReportStatus.SUBMITTED:
            actual[report.month - 1] = float(report.cumulative_investment)
            progress[report.month - 1] = float(report.physical_progress)
    return {
        "months": list(range(1, 13)),
        "planned": planned or [None] * 12,
        "actual": actual,
        "progress": progress,
    }


@dataclass(frozen=True)
class MilestoneRow:
    code: str
    label: str
    planned: dt.date | None
    reached: dt.date | None

    @property
    def days_late(self) -> int | None:
        """Days after plan it was reached (negative: early); None when either is missing."""
        if self.planned is None or self.reached is None:
            return None
        return (self.reached - self.planned).days

    def overdue(self, today: dt.date) -> bool:
        return self.reached is None and self.planned is not None and self.planned < today


def milestone_timeline(project: Project, plan: AnnualPlan | None) -> list[MilestoneRow]:
    reached = {m.milestone: m.reached_on for m in project.milestones.all()}
    return [
        MilestoneRow(
            code,
            str(label),
            plan.planned_date(code) if plan else None,
            reached.get(code),
        )
        for code, label in Milestone.choices
    ]


def reporter_projects(user: AnyUser) -> QuerySet[Project]:
    """Projects whose responsible unit the user reports for."""
    units = [g.unit_id for g in grants_of(user) if g.role == Role.REPORTER]
    return (
        Project.objects.filter(owner_unit_id__in=units, memberships__removed_at__isnull=True)
        .select_related("locality", "owner_unit")
        .distinct()
        .order_by("code")
    )
