"""The arrays the engine reads (a fixed number of queries, whatever the number of projects) and
the reads behind the pages."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saima.engine.progress import LightRules, compute_lights
from saima.projects import reporting, selectors, services
from saima.projects.models import MonthlyReport
from saima.projects.reporting import ReportInput
from tests.projects.samples import make_project


def test_list_year_arrays_hold_plans_reports_and_milestones_as_month_indices(world):
    arrays = selectors.list_year_arrays(world.samples.plist)
    assert arrays.codes == ("HZ-001", "HZ-002")
    assert arrays.planned_monthly.shape == (2, 12)
    assert arrays.planned_monthly[0].tolist() == [100.0] * 12
    assert arrays.reported[0].tolist() == [True] + [False] * 11  # February is a draft
    assert arrays.actual_cumulative[0, 0] == 90.0 and np.isnan(arrays.actual_cumulative[0, 1])
    assert arrays.physical_progress[0, 0] == 8.0
    assert arrays.late[0, 0]  # January filed in December
    assert arrays.planned["start"].tolist() == [2.0, 2.0]  # 15 March
    assert arrays.planned["completion"].tolist() == [17.0, 17.0]  # June of the next year
    assert arrays.actual["signing"][0] == 0.0 and np.isnan(arrays.actual["signing"][1])
    assert arrays.budget.tolist() == [5000.0, 5000.0]
    share = arrays.planned_cumulative_share
    assert share[0, 2] == 25.0 and share[0, 11] == 100.0


def test_the_arrays_take_four_queries_for_any_number_of_projects(world):
    plist, organiser = world.samples.plist, world.users["organiser_a"]
    with CaptureQueriesContext(connection) as few:
        selectors.list_year_arrays(plist)
    for i in range(12):
        make_project(organiser, plist, f"HZ-1{i:02d}", world.unit_a, world.unit_a)
    with CaptureQueriesContext(connection) as many:
        arrays = selectors.list_year_arrays(plist)
    assert len(arrays.codes) == 14
    assert len(few.captured_queries) == len(many.captured_queries) == 4


def test_the_engine_computes_lights_from_the_arrays(world):
    reporting.report_save(
        actor=world.users["reporter_a2"],
        project=world.samples.other_project,
        year=2026,
        month=1,
        data=ReportInput(Decimal("20"), Decimal("2")),
        submit=True,
    )
    months = selectors.list_year_arrays(world.samples.plist).project_months(2)
    lights = compute_lights(months, LightRules())
    # HZ-001: 90 of 100 planned in January (lag 0.8 points) → green; February not reported → grey
    # HZ-002: 20 of 100 → lag 6.7 points of the year's 1200 → green under the 10-point default
    assert lights.light.shape == (2, 12)
    assert abs(lights.lag[0, 0] - (100 - 90) / 1200 * 100) < 1e-9
    assert lights.light[:, 0].tolist() == [0, 0]  # green, green
    assert lights.light[0, 1] == 3  # grey: February is a draft, not a report


def test_a_project_removed_from_the_list_leaves_its_arrays(world):
    plist = world.samples.plist
    services.membership_remove(
        actor=world.users["organiser_a"],
        plist=plist,
        project=world.samples.other_project,
        reason="停建",
    )
    assert selectors.list_year_arrays(plist).codes == ("HZ-001",)


def test_the_board_counts_each_state(world):
    plist = world.samples.plist
    rows = selectors.reporting_board(plist, 1, selectors.list_projects(plist))
    assert selectors.board_counts(rows) == {"on_time": 0, "late": 1, "draft": 0, "missing": 1}
    rows = selectors.reporting_board(plist, 2, selectors.list_projects(plist))
    assert selectors.board_counts(rows)["draft"] == 1


def test_the_register_filters_by_city_county_category_and_text(world):
    plist = world.samples.plist
    assert [p.code for p in selectors.list_projects(plist, locality=world.city_a.code)] == [
        "HZ-001",
        "HZ-002",
    ]
    assert [p.code for p in selectors.list_projects(plist, locality=world.unit_a2.code)] == [
        "HZ-002"
    ]
    assert [p.code for p in selectors.list_projects(plist, query="枢纽")] == ["HZ-001"]
    assert list(selectors.list_projects(plist, category="water")) == []


def test_the_milestone_timeline_knows_what_is_overdue(world):
    plan = world.samples.project.plans.get(year=2026)
    timeline = {m.code: m for m in selectors.milestone_timeline(world.samples.project, plan)}
    assert timeline["signing"].reached == dt.date(2026, 1, 10)
    assert timeline["start"].overdue(dt.date(2026, 4, 1))
    assert not timeline["start"].overdue(dt.date(2026, 3, 1))
    assert MonthlyReport.objects.filter(project=world.samples.project).count() == 2
