"""Benchmark of key-project lights (月亮灯), quarterly ratings and the locality dashboard.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/saima python -m benchmarks.projects

Builds a throw-away database (``bench_projects_<pid>``): a province of 11 cities and 88
counties, one published key-project list of 20,000 projects with annual plans and 12 monthly
reports each (240,000 reports; a seeded model: most on pace, some lagging, some months
unreported, some starts overdue). Then it times, through the services the application uses:

(a) ``lights_s``: computing and storing one month's lights of the whole list (the year's arrays
    loaded in five queries, the engine, 20,000 rows stored in bulk with the run's compressed
    inputs and digests, the audit event) — December, after January–November;
(b) ``ratings_s``: proposing the fourth quarter's red flags and snails (arrays, the engine on the
    stored lights, entries stored);
(c) ``dashboard_p50_ms``: the median render of a county's dashboard (trend, 100 projects × 12
    months on its first page, SPI) through Django's test client as the list's organiser.

The last line printed is exactly:

    RESULT projects=20000 lights_s=<seconds> ratings_s=<seconds> dashboard_p50_ms=<ms>

Targets: lights_s <= 3, ratings_s <= 3, dashboard_p50_ms <= 100.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from decimal import Decimal
from typing import Any

from benchmarks.province import province_cities_counties, setup_django

PROJECTS = 20_000
CITIES = 11
COUNTIES_PER_CITY = 8
YEAR = 2026
REQUESTS = 40
BATCH = 5000


def _units() -> tuple[Any, list[Any]]:

    province, cities, counties = province_cities_counties(CITIES, COUNTIES_PER_CITY)
    return province, counties


def synthetic_year(n: int, seed: int = 9) -> dict[str, Any]:
    """Plans and reports of ``n`` projects (万元): a seasonal plan, a pace per project (most near
    1, a tail well below), noise per month, 3 % of reports missing, a tenth with a start
    planned in March of which half never started."""
    import numpy as np

    rng = np.random.default_rng(seed)
    season = np.array([0.5, 0.45, 0.85, 0.95, 1.0, 1.0, 0.95, 0.95, 1.05, 1.1, 1.15, 1.3])
    target = rng.uniform(2_000, 50_000, n).round(-1)
    plan = (target[:, None] * season[None, :] / season.sum()).round(2)
    pace = np.clip(rng.normal(1.0, 0.12, n) - rng.exponential(0.08, n), 0.2, 1.4)
    noise = rng.normal(1.0, 0.04, (n, 12))
    actual = np.maximum.accumulate(
        (np.cumsum(plan, axis=1) * pace[:, None] * noise).round(2), axis=1
    )
    progress = np.clip(actual / (target[:, None] * 2.5) * 100, 0, 100).round(1)
    reported = rng.random((n, 12)) > 0.03
    late_start = rng.random(n) < 0.1
    started = late_start & (rng.random(n) < 0.5)
    return {
        "target": target,
        "plan": plan,
        "actual": actual,
        "progress": progress,
        "reported": reported,
        "late_start": late_start,
        "started": started,
    }


def _list(province: Any, counties: list[Any], data: dict[str, Any]) -> Any:
    import datetime as dt

    from django.utils import timezone

    from saima.projects.models import (
        AnnualPlan,
        ListMembership,
        Milestone,
        MilestoneReached,
        MonthlyReport,
        Project,
        ProjectList,
        ReportStatus,
    )

    now = timezone.now()
    plist = ProjectList.objects.create(
        code="bench-2026", name="基准省重点项目", owner=province, year=YEAR, published_at=now
    )
    projects = Project.objects.bulk_create(
        (
            Project(
                code=f"BP{i:05d}",
                name=f"基准项目{i:05d}",
                owner_unit=counties[i % len(counties)],
                locality=counties[i % len(counties)],
                category="industry",
                total_investment=Decimal(str(round(data["target"][i] * 2.5, 2))),
            )
            for i in range(PROJECTS)
        ),
        batch_size=BATCH,
    )
    ListMembership.objects.bulk_create(
        (
            ListMembership(project_list=plist, project=p, added_at=now, added_reason="列入")
            for p in projects
        ),
        batch_size=BATCH,
    )
    march = dt.date(YEAR, 3, 10)
    AnnualPlan.objects.bulk_create(
        (
            AnnualPlan(
                project=p,
                year=YEAR,
                **{f"plan_{m + 1:02d}": Decimal(str(data["plan"][i, m])) for m in range(12)},
                planned_start=march if data["late_start"][i] else None,
            )
            for i, p in enumerate(projects)
        ),
        batch_size=BATCH,
    )
    MilestoneReached.objects.bulk_create(
        (
            MilestoneReached(project=p, milestone=Milestone.START, reached_on=dt.date(YEAR, 2, 1))
            for i, p in enumerate(projects)
            if data["started"][i] or not data["late_start"][i]
        ),
        batch_size=BATCH,
    )
    for month in range(12):
        MonthlyReport.objects.bulk_create(
            (
                MonthlyReport(
                    project=p,
                    year=YEAR,
                    month=month + 1,
                    cumulative_investment=Decimal(str(data["actual"][i, month])),
                    physical_progress=Decimal(str(data["progress"][i, month])),
                    status=ReportStatus.SUBMITTED,
                    submitted_at=now,
                )
                for i, p in enumerate(projects)
                if data["reported"][i, month]
            ),
            batch_size=BATCH,
        )
    return plist


def _p50(client: Any, urls: list[str]) -> float:
    timings = []
    for url in urls:
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(timings)


def _run() -> str:
    from django.test import Client
    from django.urls import reverse

    from saima.org.models import User
    from saima.projects.lights import services as lights
    from saima.projects.ratings import services as ratings

    province, counties = _units()
    organiser = User.objects.create_superuser("bench", password="bench-only")
    start = time.perf_counter()
    plist = _list(province, counties, synthetic_year(PROJECTS))
    print(
        f"data: {PROJECTS} projects × 12 reports in {time.perf_counter() - start:.1f} s",
        file=sys.stderr,
    )
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # the planner's statistics, as a live database has them
    lights.rules_version_create(actor=organiser, project_list=plist, preset_code="default")
    for month in range(1, 12):
        lights.lights_compute(actor=organiser, project_list=plist, month=month)
    start = time.perf_counter()
    run = lights.lights_compute(actor=organiser, project_list=plist, month=12)
    lights_s = time.perf_counter() - start
    start = time.perf_counter()
    rating = ratings.rating_propose(actor=organiser, project_list=plist, quarter=4)
    ratings_s = time.perf_counter() - start
    print(
        f"lights: {run.projects} stored for December; Q4: "
        f"{rating.entries.filter(kind='red_flag').count()} red flags, "
        f"{rating.entries.filter(kind='snail').count()} snails",
        file=sys.stderr,
    )
    client = Client()
    client.force_login(organiser)
    url = reverse("projects:locality", args=[plist.code, counties[0].code])
    client.get(url)  # warm up template loading and caches
    dashboard_ms = _p50(client, [url] * REQUESTS)
    return (
        f"RESULT projects={run.projects} lights_s={lights_s:.2f} ratings_s={ratings_s:.2f} "
        f"dashboard_p50_ms={dashboard_ms:.1f}"
    )


def main() -> None:
    setup_django()
    from django.db import connection
    from django.test.utils import setup_test_environment, teardown_test_environment

    if connection.vendor != "postgresql":
        print(
            f"note: running on {connection.vendor}; the benchmark's figures are meant for PostgreSQL",
            file=sys.stderr,
        )
    setup_test_environment()
    connection.settings_dict.setdefault("TEST", {})["NAME"] = (
        f"bench_projects_{os.getpid()}" if connection.vendor == "postgresql" else None
    )
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    try:
        line = _run()
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
        teardown_test_environment()
    print(line)


if __name__ == "__main__":
    main()
