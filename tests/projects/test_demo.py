"""The demo's key projects: loaded on the real province, fast, every light colour present."""

from __future__ import annotations

import datetime as dt

import numpy as np
import time_machine

from saima.core.demo import DemoContext
from saima.core.models import AuditEvent
from saima.engine.progress import compute_lights, preset
from saima.org import demo as org_demo
from saima.org.models import User
from saima.projects import demo
from saima.projects.models import MonthlyReport, Project, ProjectList, ReportPhoto
from saima.projects.selectors import list_year_arrays


def test_the_demo_shows_every_light_and_a_reporter_with_work_to_do(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(dt.datetime(2026, 12, 2, 2, 0, tzinfo=dt.UTC)):
        ctx = DemoContext(say=lambda line: None)
        org_demo.load(ctx)
        demo.load(ctx)
        demo.load(ctx)  # again: nothing twice
    assert Project.objects.count() == demo.PROJECTS + 20
    assert {login.username for login in ctx.logins} >= {"keyproject", "project_owner"}
    assert User.objects.get(username="project_owner").grants.get().unit.name == demo.OWNER_UNIT
    plist = ProjectList.objects.get(code="zj-2026")
    lights = compute_lights(list_year_arrays(plist).project_months(11), preset("default").lights)
    assert set(np.unique(lights.light[:, :11]).tolist()) == {0, 1, 2, 3}  # green yellow red grey
    reports = MonthlyReport.objects.filter(year=2026)
    assert reports.filter(late=True).exists() and reports.filter(status="draft").exists()
    assert ReportPhoto.objects.filter(public=True).exists()
    assert not MonthlyReport.objects.filter(
        project__owner_unit__name=demo.OWNER_UNIT, year=2026, month=11, status="submitted"
    ).exists()
    reasons = set(
        AuditEvent.objects.filter(action__startswith="projects.").values_list("reason", flat=True)
    )
    assert not any("演示" in r or "demo" in r for r in reasons)
