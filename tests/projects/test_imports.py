"""Imports of projects + plans and of a month's reports: every problem located by row and column,
a preview of what changes, fingerprint-guarded all-or-nothing apply, hostile files."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from saima.core.models import AuditEvent, ImportStatus
from saima.projects import imports
from saima.projects.errors import ProjectError
from saima.projects.import_templates import csv_bytes, headers, workbook
from saima.projects.models import (
    AnnualPlan,
    ImportKind,
    ListMembership,
    MilestoneReached,
    MonthlyReport,
    Project,
)
from tests.hostile.corpus import CORPUS
from tests.projects.samples import PROJECT_HEADER, project_csv

MONTHS = ",".join(["100"] * 12)


def _run(
    world,
    text: str | bytes,
    *,
    kind=ImportKind.PROJECTS,
    month=None,
    user="organiser_a",
    name="f.csv",
):
    content = text.encode() if isinstance(text, str) else text
    batch = imports.import_start(
        actor=world.users[user],
        plist=world.samples.plist,
        kind=kind,
        month=month,
        upload=SimpleUploadedFile(name, content),
    )
    return imports.import_run(batch.pk)


def _reasons(batch) -> list[tuple[int | None, str, str]]:
    return [(e["row"], e["column"], e["reason"]) for e in batch.errors]


def _project_line(
    code: str,
    owner: str,
    locality: str,
    *,
    total="1200",
    months=MONTHS,
    date="2026-04-01",
    category="交通",
    name="测试项目",
):
    return f"{code},{name},{owner},{locality},{category},{total},{months},{date}"


def test_a_projects_file_previews_new_and_changed_projects_then_applies_them(world):
    unit = world.unit_a
    text = "\n".join(
        [
            PROJECT_HEADER,
            _project_line("HZ-020", unit.code, unit.code),
            _project_line("HZ-001", unit.code, unit.code, total="9000", name="上城区综合交通枢纽"),
        ]
    )
    batch = _run(world, text)
    assert batch.status == ImportStatus.PREVIEW, batch.errors
    rows = {r["key"]: r for r in batch.preview["rows"]}
    assert rows["HZ-020"]["status"] == "new"
    assert rows["HZ-001"]["status"] == "changed"
    changes = {c["key"]: (c["old"], c["new"]) for c in rows["HZ-001"]["changes"]}
    assert changes["total_investment"] == ("5000.00", "9000.00")
    assert not Project.objects.filter(code="HZ-020").exists()  # nothing written before confirming

    imports.import_confirm(actor=world.users["organiser_a"], batch=batch)

    new = Project.objects.get(code="HZ-020")
    assert new.owner_unit == unit and new.category == "transport"
    assert AnnualPlan.objects.get(project=new, year=2026).year_target == Decimal("1200.00")
    assert ListMembership.objects.filter(
        project=new, project_list=world.samples.plist, removed_at=None
    ).exists()
    assert Project.objects.get(code="HZ-001").total_investment == Decimal("9000")
    event = AuditEvent.objects.filter(action="projects.import.projects").get()
    assert event.after["rows"]["HZ-001"]["total_investment"] == ["5000.00", "9000.00"]


def test_every_problem_is_named_by_row_and_column_and_nothing_is_written(world):
    other_city = world.base["county_b1"]
    text = "\n".join(
        [
            PROJECT_HEADER,
            _project_line("HZ-030", world.unit_a.code, world.unit_a.code, total="-5"),
            _project_line("HZ-031", other_city.code, other_city.code),
            _project_line("HZ-032", world.unit_a.code, world.unit_a.code, date="2026-02-30"),
            _project_line("HZ-032", world.unit_a.code, world.unit_a.code),
            _project_line("HZ-033", "NOPE", world.unit_a.code, category="火箭"),
            _project_line(
                "HZ-034", world.unit_a.code, world.unit_a.code, months=",".join(["１２"] * 12)
            ),
        ]
    )
    batch = _run(world, text)
    assert batch.status == ImportStatus.FAILED
    found = _reasons(batch)
    rows = {row for row, _c, _r in found}
    assert {2, 3, 4, 5, 6, 7} <= rows
    by_row = {row: (column, reason) for row, column, reason in found}
    assert by_row[2][0].startswith("F") and "0" in by_row[2][1]
    assert any(
        row == 3 and "管理范围" in reason for row, _c, reason in found
    )  # another city's unit
    assert any(row == 4 and "2026-02-30" in reason for row, _c, reason in found)
    assert any(row == 5 and "第 4 行" in reason for row, _c, reason in found)  # duplicate code
    assert any(row == 6 and "NOPE" in reason for row, _c, reason in found)
    assert any(row == 6 and "火箭" in reason for row, _c, reason in found)
    assert any(row == 7 and "全角" in reason for row, _c, reason in found)
    assert not Project.objects.filter(
        code__in=["HZ-030", "HZ-031", "HZ-032", "HZ-033", "HZ-034"]
    ).exists()


def test_a_formula_in_an_xlsx_cell_is_refused_naming_the_cell(world):
    book = Workbook()
    sheet = book.active
    sheet.append(PROJECT_HEADER.split(","))
    row = _project_line("HZ-040", world.unit_a.code, world.unit_a.code).split(",")
    row[5] = "=SUM(A1:A3)"
    row[1] = '=HYPERLINK("http://evil","点我")'
    sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    batch = _run(world, out.getvalue(), name="f.xlsx")
    assert batch.status == ImportStatus.FAILED
    columns = {(r, c.split("（")[0]) for r, c, reason in _reasons(batch) if "公式" in reason}
    assert {(2, "B"), (2, "F")} <= columns


@pytest.mark.parametrize(
    "name",
    [
        "zip_bomb.xlsx",
        "entity_bomb.xlsx",
        "not_a_zip.xlsx",
        "utf32.csv",
        "old_excel.xls",
        "empty.csv",
    ],
)
def test_hostile_files_fail_with_a_message_and_write_nothing(world, name):
    builder, _code = CORPUS[name]
    before = Project.objects.count()
    try:
        batch = _run(world, builder(), name=name)
    except ProjectError as exc:  # refused at upload (a type that is not .xlsx or .csv)
        assert "xlsx" in str(exc)
        return
    assert batch.status == ImportStatus.FAILED
    assert batch.errors and batch.errors[0]["reason"]
    assert Project.objects.count() == before


def test_a_stale_preview_is_refused_at_confirmation(world):
    batch = _run(
        world,
        "\n".join(
            [
                PROJECT_HEADER,
                _project_line(
                    "HZ-001", world.unit_a.code, world.unit_a.code, total="7000", name="x"
                ),
            ]
        ),
    )
    project = Project.objects.get(code="HZ-001")
    project.total_investment = Decimal("6000")
    project.save()
    with pytest.raises(ProjectError, match="已有变化"):
        imports.import_confirm(actor=world.users["organiser_a"], batch=batch)
    assert Project.objects.get(code="HZ-001").total_investment == Decimal("6000")


def test_a_stranger_may_not_import_into_the_list(world):
    from saima.core.workflow import ActionForbidden

    with pytest.raises(ActionForbidden):
        _run(world, project_csv([("HZ-050", world.unit_a, "x")]), user="organiser_b")


# ---------------------------------------------------------------- monthly reports


REPORT_HEADER = (
    "项目代码,本年累计完成投资（万元）,形象进度（%）,需协调解决的问题,问题可公开,开工日期"
)


def test_a_reports_file_submits_each_row_with_its_milestones(world):
    text = f"{REPORT_HEADER}\nHZ-002,250,20,缺少用地指标,是,2026-03-20\n"
    batch = _run(world, text, kind=ImportKind.REPORTS, month=3)
    assert batch.status == ImportStatus.PREVIEW, batch.errors
    imports.import_confirm(actor=world.users["organiser_a"], batch=batch)
    report = MonthlyReport.objects.get(project__code="HZ-002", year=2026, month=3)
    assert report.status == "submitted" and report.problems_public
    assert report.cumulative_investment == Decimal("250")
    assert (
        MilestoneReached.objects.get(
            project__code="HZ-002", milestone="start"
        ).reached_on.isoformat()
        == "2026-03-20"
    )


def test_report_rows_are_checked_against_the_list_the_uploader_and_last_month(world):
    text = "\n".join(
        [
            REPORT_HEADER,
            "HZ-001,80,10,,,",  # below February's 150 (a draft) without a reason
            "HZ-003,10,1,,,",  # on the unpublished list, not this one
            "HZ-002,10,101,,,",  # progress above 100
            "HZ-002,10,1,,,",  # twice
            "HZ-999,10,1,,,",
        ]
    )
    batch = _run(world, text, kind=ImportKind.REPORTS, month=3)
    found = _reasons(batch)
    assert batch.status == ImportStatus.FAILED
    assert any(r == 2 and "2月已报的 150.00" in reason for r, _c, reason in found)
    assert any(r == 3 and "不在本清单" in reason for r, _c, reason in found)
    assert any(r == 4 and c.startswith("C") for r, c, _reason in found)
    assert any(r == 6 and "HZ-999" in reason for r, _c, reason in found)
    assert any(r == 5 and "第 4 行" in reason for r, _c, reason in found)
    assert not MonthlyReport.objects.filter(month=3).exists()


def test_a_milestone_after_the_month_and_an_unreadable_flag_are_refused(world):
    text = f"{REPORT_HEADER}\nHZ-002,100,10,问题,也许,2026-04-30\n"
    found = _reasons(_run(world, text, kind=ImportKind.REPORTS, month=3))
    assert any(r == 2 and "也许" in reason for r, _c, reason in found)
    assert any(r == 2 and c.startswith("F") and "2026-04-30" in reason for r, c, reason in found)


def test_a_month_not_yet_begun_cannot_be_imported(world):
    import datetime as dt

    import time_machine

    with (
        time_machine.travel(dt.datetime(2026, 2, 20, 4, 0, tzinfo=dt.UTC)),
        pytest.raises(ProjectError, match="尚未开始"),
    ):
        _run(world, f"{REPORT_HEADER}\nHZ-002,100,10,,,\n", kind=ImportKind.REPORTS, month=3)


def test_a_reporter_imports_only_the_projects_of_their_own_unit(world):
    text = f"{REPORT_HEADER}\nHZ-001,300,30,,,\nHZ-002,300,30,,,\n"
    batch = _run(world, text, kind=ImportKind.REPORTS, month=3, user="reporter_a")
    assert batch.status == ImportStatus.FAILED
    assert [(r, "填报单位" in reason) for r, _c, reason in _reasons(batch)] == [(3, True)]


def test_a_submitted_month_is_skipped_and_said_once(world):
    text = f"{REPORT_HEADER}\nHZ-001,95,9,,,\n"
    batch = _run(world, text, kind=ImportKind.REPORTS, month=1)
    assert batch.status == ImportStatus.PREVIEW
    assert batch.preview["counts"]["skipped"] == 1
    assert "已跳过" in batch.preview["summary"][0]
    imports.import_confirm(actor=world.users["organiser_a"], batch=batch)
    assert MonthlyReport.objects.get(
        project__code="HZ-001", month=1
    ).cumulative_investment == Decimal("90")


def test_the_templates_list_the_projects_and_read_back_unchanged(world):
    content = csv_bytes(world.samples.plist, ImportKind.PROJECTS, world.users["organiser_a"])
    batch = _run(world, content)
    assert batch.status == ImportStatus.PREVIEW, batch.errors
    assert batch.preview["counts"]["unchanged"] == 2
    book = workbook(world.samples.plist, ImportKind.REPORTS, world.users["reporter_a"])
    assert book[:2] == b"PK"
    assert headers(ImportKind.REPORTS)[0] == "项目代码"
