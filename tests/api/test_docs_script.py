"""The reporter's script in docs/api.md, run as written against the application (httpx over
WSGI, in process): it submits a quarter's values, and prints each refused field."""

from __future__ import annotations

import re
from pathlib import Path
from types import ModuleType

import httpx
import pytest
from django.core.wsgi import get_wsgi_application

from saima.core.models import AuditEvent
from saima.projects.models import MonthlyReport
from saima.projects.models import ReportStatus as ProjectReportStatus
from saima.races.models import Report, ReportStatus

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _script(heading: str = "## A reporter's script") -> ModuleType:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(heading, 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code, "docs/api.md lost its script"
    module = ModuleType("submit_quarter")
    exec(compile(code.group(1), str(DOC), "exec"), module.__dict__)
    return module


def _client(token: str) -> httpx.Client:
    return httpx.Client(
        transport=httpx.WSGITransport(app=get_wsgi_application()),
        base_url="http://testserver",
        headers={"Authorization": f"Bearer {token}"},
    )


def test_the_documented_script_submits_a_quarter(world, db, tmp_path, keep_test_connection):
    s = world.s
    script = _script()
    values_file = tmp_path / "values.csv"
    values_file.write_text('indicator,value\nfai,"1,234.5"\nsnails,2\n', encoding="utf-8")
    values = script.read_values(str(values_file))
    with _client(world.tokens["reporter"]) as client:
        report = script.submit_quarter(client, s.race.code, 2026, 4, s.unit_a.code, values)
    assert report["status"] == "submitted"
    assert {v["code"]: v["value"] for v in report["values"]} == {"fai": 1234.5, "snails": 2.0}
    assert Report.objects.get(pk=s.report.pk).status == ReportStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="races.report.submit", object_id=str(s.report.pk))


def test_the_documented_script_names_each_refused_field(world, db, capsys, keep_test_connection):
    s = world.s
    script = _script()
    with _client(world.tokens["reporter"]) as client, pytest.raises(SystemExit) as exit_:
        script.submit_quarter(client, s.race.code, 2026, 4, s.unit_a.code, {"fai": "12,8"})
    assert exit_.value.code == 1
    assert "values.fai: 「12,8」" in capsys.readouterr().err
    assert Report.objects.get(pk=s.report.pk).status == ReportStatus.NOT_STARTED


MONTHLY = "## Writing a project's monthly report"


def test_the_documented_script_submits_a_projects_month(world, db, keep_test_connection):
    project = world.s.projects.project
    script = _script(MONTHLY)
    report = {"cumulative_investment": "160.5", "physical_progress": "15"}
    with _client(world.tokens["reporter"]) as client:
        stored = script.submit_month(client, project.code, 2026, 3, report)
    assert stored["status"] == "submitted" and stored["cumulative_investment"] == "160.50"
    saved = MonthlyReport.objects.get(project=project, year=2026, month=3)
    assert saved.status == ProjectReportStatus.SUBMITTED
    assert AuditEvent.objects.filter(action="projects.report.submit", object_id=str(saved.pk))


def test_the_documented_monthly_script_names_each_refused_field(
    world, db, capsys, keep_test_connection
):
    project = world.s.projects.project
    script = _script(MONTHLY)
    report = {"cumulative_investment": "100", "physical_progress": "101"}
    with _client(world.tokens["reporter"]) as client, pytest.raises(SystemExit) as exit_:
        script.submit_month(client, project.code, 2026, 3, report)
    assert exit_.value.code == 1
    assert "physical_progress: " in capsys.readouterr().err
    assert not MonthlyReport.objects.filter(project=project, year=2026, month=3).exists()
