"""A small key-project list for the lights tests, built row by row (the register and the
reports are the projects branch's part; here they are only the inputs).

杭州市 (city A) runs "2026 杭州市重点项目" with six projects: three in 上城区 (reported by its
reporter), three in 淳安县. Plans are 100 万元 a month; the cumulative investment reported each
month makes, with the default rules (yellow from 10 points, red above 30):

- P1 上城区: always on plan — green every month;
- P2 上城区: 78 a month — 22 % behind the plan's pace, yellow once that passes 10 points (June);
- P3 上城区: nothing invested — green in January (8 points), yellow in February and March,
  red from April (lag above 30 points);
- P4 淳安县: on plan, but no report in month 2 — grey that month;
- P5 淳安县: on plan, start planned in February and never made — at least yellow from month 2;
- P6 淳安县: on plan.

丽水市 (city B) runs its own list with one project in 缙云县 (another unit's data).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils import timezone

from saima.projects.models import (
    AnnualPlan,
    ListMembership,
    MonthlyReport,
    Project,
    ProjectList,
    ReportStatus,
)

YEAR = 2026


@dataclass
class LightsWorld:
    units: dict[str, Any]
    users: dict[str, Any]
    plist: ProjectList
    other_list: ProjectList
    projects: dict[str, Project]
    other_project: Project


def _project(code: str, locality: Any, plist: ProjectList, **extra: Any) -> Project:
    project = Project.objects.create(
        code=code,
        name=f"{code} 建设工程",
        owner_unit=locality,
        locality=locality,
        category="transport",
        total_investment=Decimal("2400"),
        leader_name="张三",
        **extra,
    )
    ListMembership.objects.create(
        project_list=plist, project=project, added_at=timezone.now(), added_reason="列入年度清单"
    )
    return project


def plan(project: Project, *, start: dt.date | None = None, per_month: int = 100) -> AnnualPlan:
    fields = {f"plan_{m:02d}": Decimal(per_month) for m in range(1, 13)}
    return AnnualPlan.objects.create(
        project=project, year=YEAR, invested_before=Decimal("0"), planned_start=start, **fields
    )


def report(project: Project, month: int, cumulative: float, progress: float) -> MonthlyReport:
    return MonthlyReport.objects.update_or_create(
        project=project,
        year=YEAR,
        month=month,
        defaults={
            "cumulative_investment": Decimal(str(cumulative)),
            "physical_progress": Decimal(str(progress)),
            "status": ReportStatus.SUBMITTED,
            "submitted_at": timezone.now(),
        },
    )[0]


# project → cumulative investment per month (None: no report)
PATTERNS: dict[str, list[float | None]] = {
    "P1": [100 * m for m in range(1, 13)],
    "P2": [78 * m for m in range(1, 13)],
    "P3": [0.0] * 12,
    "P4": [100 * m if m != 2 else None for m in range(1, 13)],
    "P5": [100 * m for m in range(1, 13)],
    "P6": [100 * m for m in range(1, 13)],
}


def fill_reports(world: LightsWorld, through: int) -> None:
    for code, values in PATTERNS.items():
        project = world.projects[code]
        for month in range(1, through + 1):
            value = values[month - 1]
            if value is not None:
                report(project, month, value, min(100.0, value / 24))


def build_lights_world(base: dict[str, Any], *, through: int = 6, prefix: str = "") -> LightsWorld:
    """``base`` is ``tests.factories.build_small_province()``; ``prefix`` keeps codes apart
    from other samples in one database."""
    plist = ProjectList.objects.create(
        code=f"{prefix}hz-key-2026",
        name="2026年杭州市重点项目",
        owner=base["city_a"],
        year=YEAR,
        published_at=timezone.now(),
    )
    other_list = ProjectList.objects.create(
        code=f"{prefix}ls-key-2026",
        name="2026年丽水市重点项目",
        owner=base["city_b"],
        year=YEAR,
        published_at=timezone.now(),
    )
    sc, ca = base["county_a1"], base["county_a2"]
    projects = {
        code: _project(f"{prefix}{code}", sc if i < 3 else ca, plist)
        for i, code in enumerate(PATTERNS)
    }
    for code, project in projects.items():
        plan(project, start=dt.date(YEAR, 2, 1) if code == "P5" else None)
    other = _project(f"{prefix}L1", base["county_b1"], other_list)
    plan(other)
    report(other, 1, 100, 5)
    world = LightsWorld(
        units=base,
        users=base["users"],
        plist=plist,
        other_list=other_list,
        projects=projects,
        other_project=other,
    )
    fill_reports(world, through)
    return world
