"""A list's year as the engine's arrays (项目 × 月), loaded with a fixed number of queries.

``load_months(project_list, through=m)`` reads the projects on the list, their annual plans,
their submitted monthly reports of months 1..m, their start and completion dates and the
force-majeure exemptions, in five queries whatever the number of projects, and turns them into a
``ProjectMonths`` (P × m) with vectorised index arithmetic: no Python work per project beyond
reading the rows the database returns.

``pack``/``unpack`` keep those arrays with a light run (compressed), and ``arrays_digest`` is the
SHA-256 of their raw bytes in a fixed order, so the verifier can prove a run's stored lights
follow from its stored inputs and rule version.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from saima.engine.progress import ProjectMonths
from saima.projects.models import (
    PLAN_FIELDS,
    AnnualPlan,
    Exemption,
    ListMembership,
    Milestone,
    MilestoneReached,
    MonthlyReport,
    Project,
    ProjectList,
    ReportStatus,
)

ARRAY_ORDER = (
    "project_ids",
    "planned_monthly",
    "actual_cumulative",
    "physical_progress",
    "reported",
    "exempt",
    "planned_start",
    "actual_start",
    "planned_completion",
    "actual_completion",
    "budget",
    "prior_investment",
)


@dataclass(frozen=True)
class ListMonths:
    """The engine's inputs with the project ids of their rows (sorted ascending)."""

    project_ids: NDArray[np.int64]
    months: ProjectMonths

    def arrays(self) -> dict[str, NDArray[Any]]:
        out: dict[str, NDArray[Any]] = {"project_ids": self.project_ids}
        for name in ARRAY_ORDER[1:]:
            out[name] = getattr(self.months, name)
        return out


def member_ids(project_list: ProjectList) -> Any:
    """The ids of the projects now on the list (a subquery)."""
    return ListMembership.objects.filter(project_list=project_list, removed_at__isnull=True).values(
        "project_id"
    )


def _month_index(dates: list[Any], year: int) -> NDArray[np.float64]:
    """Dates → month index from January of ``year`` (NaN for none), vectorised."""
    months = np.array(dates, dtype="datetime64[M]")
    index = (months - np.datetime64(f"{year}-01", "M")).astype("float64")
    index[np.isnat(months)] = np.nan
    return index


def _rows(ids: NDArray[np.int64], keys: list[int]) -> NDArray[np.int64]:
    return np.searchsorted(ids, np.asarray(keys, dtype=np.int64)).astype(np.int64)


def load_months(project_list: ProjectList, *, through: int) -> ListMonths:
    """The list's year for the projects now on it (five queries): the whole year's plan (the
    shares are of the year's target), the reports and exemptions of months 1..``through`` (later
    months count as not reported)."""
    year = project_list.year
    members = member_ids(project_list)
    projects = list(
        Project.objects.filter(pk__in=members).order_by("pk").values_list("pk", "total_investment")
    )
    ids = np.array([p[0] for p in projects], dtype=np.int64)
    n = len(ids)
    budget = np.array([float(p[1]) for p in projects], dtype=np.float64)
    plan, prior = np.zeros((n, 12)), np.zeros(n)
    planned_start, planned_completion = np.full(n, np.nan), np.full(n, np.nan)
    plans = list(
        AnnualPlan.objects.filter(year=year, project_id__in=members).values_list(
            "project_id", *PLAN_FIELDS, "invested_before", "planned_start", "planned_completion"
        )
    )
    if plans:
        rows = _rows(ids, [p[0] for p in plans])
        plan[rows] = np.array([p[1:13] for p in plans], dtype=np.float64)
        prior[rows] = np.array([p[13] for p in plans], dtype=np.float64)
        planned_start[rows] = _month_index([p[14] for p in plans], year)
        planned_completion[rows] = _month_index([p[15] for p in plans], year)
    actual = np.zeros((n, 12))
    progress = np.zeros((n, 12))
    reported = np.zeros((n, 12), dtype=bool)
    reports = list(
        MonthlyReport.objects.filter(
            year=year,
            month__lte=through,
            status=ReportStatus.SUBMITTED,
            project_id__in=members,
        ).values_list("project_id", "month", "cumulative_investment", "physical_progress")
    )
    if reports:
        rows = _rows(ids, [r[0] for r in reports])
        cols = np.array([r[1] for r in reports], dtype=np.int64) - 1
        actual[rows, cols] = np.array([r[2] for r in reports], dtype=np.float64)
        progress[rows, cols] = np.array([r[3] for r in reports], dtype=np.float64)
        reported[rows, cols] = True
    actual_start, actual_completion = _reached(ids, members, year)
    exempt = _exempt(ids, members, year, through)
    months = ProjectMonths.build(
        planned_monthly=plan,
        actual_cumulative=actual,
        physical_progress=progress,
        reported=reported,
        exempt=exempt,
        planned_start=planned_start,
        actual_start=actual_start,
        planned_completion=planned_completion,
        actual_completion=actual_completion,
        budget=np.maximum(budget, prior + plan.sum(axis=1)),
        prior_investment=prior,
    )
    return ListMonths(project_ids=ids, months=months)


def _reached(
    ids: NDArray[np.int64], members: Any, year: int
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    start, completion = np.full(len(ids), np.nan), np.full(len(ids), np.nan)
    rows = list(
        MilestoneReached.objects.filter(
            project_id__in=members, milestone__in=[Milestone.START, Milestone.COMPLETION]
        ).values_list("project_id", "milestone", "reached_on")
    )
    for target, code in ((start, Milestone.START), (completion, Milestone.COMPLETION)):
        chosen = [r for r in rows if r[1] == code]
        if chosen:
            target[_rows(ids, [r[0] for r in chosen])] = _month_index([r[2] for r in chosen], year)
    return start, completion


def _exempt(ids: NDArray[np.int64], members: Any, year: int, through: int) -> NDArray[np.bool_]:
    exempt = np.zeros((len(ids), 12), dtype=bool)
    rows = list(
        Exemption.objects.filter(year=year, month__lte=through, project_id__in=members).values_list(
            "project_id", "month"
        )
    )
    if rows:
        exempt[_rows(ids, [r[0] for r in rows]), np.array([r[1] for r in rows]) - 1] = True
    return exempt


def arrays_digest(arrays: dict[str, NDArray[Any]]) -> str:
    """SHA-256 over every array's name, dtype, shape and bytes, in ``ARRAY_ORDER``."""
    digest = hashlib.sha256()
    for name in ARRAY_ORDER:
        value = np.ascontiguousarray(arrays[name])
        digest.update(f"{name}:{value.dtype.str}:{value.shape};".encode())
        digest.update(value.tobytes())
    return digest.hexdigest()


def pack(arrays: dict[str, NDArray[Any]]) -> bytes:
    out = io.BytesIO()
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    return out.getvalue()


def unpack(blob: bytes) -> dict[str, NDArray[Any]]:
    with np.load(io.BytesIO(bytes(blob)), allow_pickle=False) as data:
        return {name: data[name] for name in ARRAY_ORDER}


def months_from_arrays(arrays: dict[str, NDArray[Any]]) -> ProjectMonths:
    return ProjectMonths.build(**{name: arrays[name] for name in ARRAY_ORDER[1:]})
