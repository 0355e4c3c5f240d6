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

import datetime as dt
import hashlib
import io
import zlib
from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import FloatField
from django.db.models.functions import Cast
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


def _date(value: Any) -> Any:
    """A date as the cursor gives it (SQLite: ISO text) → ``datetime.date`` or None."""
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def _month_index(dates: list[Any], year: int) -> NDArray[np.float64]:
    """Dates → month index from January of ``year`` (NaN for none), vectorised."""
    months = np.array(dates, dtype="datetime64[M]")
    index = (months - np.datetime64(f"{year}-01", "M")).astype("float64")
    index[np.isnat(months)] = np.nan
    return index


def fetch(queryset: Any) -> list[tuple[Any, ...]]:
    """The rows of a ``values_list`` queryset straight from the database cursor (no per-row
    converters: numbers are cast in SQL), for the large reads of a whole list."""
    sql, params = queryset.order_by().query.sql_with_params()  # no ordering (and so no join)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return list(cursor.fetchall())


def _float(name: str) -> Cast:
    return Cast(name, FloatField())


def _rows(ids: NDArray[np.int64], keys: Any) -> NDArray[np.int64]:
    return np.searchsorted(ids, np.asarray(keys, dtype=np.int64)).astype(np.int64)


def load_months(project_list: ProjectList, *, through: int) -> ListMonths:
    """The list's year for the projects now on it (five queries): the whole year's plan (the
    shares are of the year's target), the reports and exemptions of months 1..``through`` (later
    months count as not reported)."""
    year = project_list.year
    members = member_ids(project_list)
    projects = fetch(
        Project.objects.filter(pk__in=members)
        .order_by("pk")
        .annotate(total=_float("total_investment"))
        .values_list("pk", "total")
    )
    table = np.array(projects, dtype=np.float64).reshape(-1, 2)
    table = table[np.argsort(table[:, 0], kind="stable")]  # rows in id order (searchsorted)
    ids = table[:, 0].astype(np.int64)
    n = len(ids)
    budget = table[:, 1].copy()
    plan, prior = np.zeros((n, 12)), np.zeros(n)
    planned_start, planned_completion = np.full(n, np.nan), np.full(n, np.nan)
    amounts = {f"a{i}": _float(name) for i, name in enumerate((*PLAN_FIELDS, "invested_before"))}
    plans = fetch(
        AnnualPlan.objects.filter(year=year, project_id__in=members)
        .annotate(**amounts)
        .values_list("project_id", *amounts, "planned_start", "planned_completion")
    )
    if plans:
        rows = _rows(ids, [p[0] for p in plans])
        values = np.array([p[1:14] for p in plans], dtype=np.float64)
        plan[rows] = values[:, :12]
        prior[rows] = values[:, 12]
        planned_start[rows] = _month_index([_date(p[14]) for p in plans], year)
        planned_completion[rows] = _month_index([_date(p[15]) for p in plans], year)
    actual = np.zeros((n, 12))
    progress = np.zeros((n, 12))
    reported = np.zeros((n, 12), dtype=bool)
    reports = fetch(
        MonthlyReport.objects.filter(
            year=year,
            month__lte=through,
            status=ReportStatus.SUBMITTED,
            project_id__in=members,
        )
        .annotate(ci=_float("cumulative_investment"), pp=_float("physical_progress"))
        .values_list("project_id", "month", "ci", "pp")
    )
    if reports:
        table = np.array(reports, dtype=np.float64)
        rows = _rows(ids, table[:, 0].astype(np.int64).tolist())
        cols = table[:, 1].astype(np.int64) - 1
        actual[rows, cols] = table[:, 2]
        progress[rows, cols] = table[:, 3]
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
    """The arrays as an .npz, deflated at level 1 (fast; the default level costs seconds for a
    list of 20,000 projects)."""
    out = io.BytesIO()
    np.savez(out, **arrays)  # type: ignore[arg-type]
    return zlib.compress(out.getvalue(), 1)


def unpack(blob: bytes) -> dict[str, NDArray[Any]]:
    with np.load(io.BytesIO(zlib.decompress(bytes(blob))), allow_pickle=False) as data:
        return {name: data[name] for name in ARRAY_ORDER}


def months_from_arrays(arrays: dict[str, NDArray[Any]]) -> ProjectMonths:
    return ProjectMonths.build(**{name: arrays[name] for name in ARRAY_ORDER[1:]})


def run_months(blob: bytes, keep_ids: Any = None) -> ListMonths:
    """A light run's stored inputs as ``ListMonths``, optionally only the projects in
    ``keep_ids`` (e.g. those still on the list)."""
    arrays = unpack(blob)
    if keep_ids is not None:
        keep = np.isin(arrays["project_ids"], np.asarray(list(keep_ids), dtype=np.int64))
        arrays = {name: value[keep] for name, value in arrays.items()}
    return ListMonths(project_ids=arrays["project_ids"], months=months_from_arrays(arrays))
