"""Organiser imports: validated whole, every error located, all or nothing — and hostile files."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from saima.core.models import AuditEvent
from saima.org import services as org_services
from saima.races.models import ImportStatus, Report, ReportedValue, ReportStatus
from saima.races.reporting import imports, services

HEADER = ["单位代码", "单位名称", "固定资产投资增速（%）", "重大项目数（个）", "蜗牛项目数（个）"]


def _rows(world, names=("上城区", "淳安县")):
    return [[world.counties[n].code, n, 9.5, 3, 1] for n in names]


def _csv(rows, header=HEADER, encoding="utf-8", bom=False):
    lines = [",".join(str(c) for c in header)] + [
        ",".join("" if c is None else str(c) for c in r) for r in rows
    ]
    data = ("\n".join(lines) + "\n").encode(encoding)
    return (b"\xef\xbb\xbf" + data) if bom else data


def _xlsx(rows, header=HEADER, title="填报"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _run(world, period, name, content, actor=None, capture=None):
    upload = SimpleUploadedFile(name, content)
    with capture(execute=True):
        batch = imports.import_start(
            actor=actor or world.users["organiser"], period=period, upload=upload
        )
    batch.refresh_from_db()
    return batch


@pytest.fixture
def upload(world, django_capture_on_commit_callbacks):
    period = world.period()

    def run(name, content, actor=None):
        return _run(world, period, name, content, actor, django_capture_on_commit_callbacks)

    run.period = period
    return run


def _reasons(batch):
    return [(e["sheet"], e["row"], e["column"], e["reason"]) for e in batch.errors]


def _nothing_written(period):
    assert not ReportedValue.objects.filter(report__period=period).exists()
    assert set(Report.objects.filter(period=period).values_list("status", flat=True)) == {
        ReportStatus.NOT_STARTED
    }


def test_a_clean_xlsx_is_applied_and_marks_the_units_submitted(world, upload):
    batch = upload("data.xlsx", _xlsx(_rows(world)))
    assert batch.status == ImportStatus.APPLIED and batch.errors == [] and batch.applied_units == 2
    report = world.report(upload.period, "上城区")
    assert report.status == ReportStatus.SUBMITTED
    assert dict(report.values.values_list("indicator", "value")) == {
        "fai": 9.5,
        "projects": 3.0,
        "snails": 1.0,
    }
    assert AuditEvent.objects.filter(action="races.report.import").count() == 1
    assert batch.done_rows == batch.total_rows == 2


def test_the_downloaded_template_imports_once_filled_in(world, upload):
    workbook = load_workbook(io.BytesIO(imports.template_workbook(upload.period)))
    sheet = workbook["填报"]
    assert [c.value for c in sheet[1]] == HEADER
    for row in sheet.iter_rows(min_row=2):
        row[2].value, row[3].value, row[4].value = 5, 2, 0
    out = io.BytesIO()
    workbook.save(out)
    assert upload("filled.xlsx", out.getvalue()).status == ImportStatus.APPLIED
    assert Report.objects.filter(period=upload.period, status=ReportStatus.SUBMITTED).count() == 6


def test_the_csv_template_has_chinese_headers_and_a_bom(world, upload):
    content = imports.template_csv(upload.period)
    assert content.startswith(b"\xef\xbb\xbf")
    assert content.decode("utf-8-sig").splitlines()[0] == ",".join(HEADER)


def test_every_error_is_listed_with_sheet_row_column_and_reason_and_nothing_is_written(
    world, upload
):
    rows = _rows(world, ("上城区", "淳安县", "西湖区"))
    rows[0][2] = "九点五"
    rows[1][0] = "NOPE"
    rows[2][4] = "abc"
    batch = upload("bad.xlsx", _xlsx(rows, title="三季度"))
    assert batch.status == ImportStatus.FAILED
    assert _reasons(batch) == [
        ("三季度", 2, "C（固定资产投资增速（%））", "「九点五」不是数字"),
        ("三季度", 3, "A（单位代码）", "单位代码「NOPE」不是本期参赛单位"),
        ("三季度", 4, "E（蜗牛项目数（个））", "「abc」不是数字"),
    ]
    _nothing_written(upload.period)
    assert AuditEvent.objects.filter(action="races.import.refuse").exists()


def test_wrong_and_missing_headers_are_named(world, upload):
    header = ["单位代码", "单位名称", "固定资产投资增速（%）", "GDP增速", "蜗牛项目数（个）"]
    batch = upload("h.csv", _csv(_rows(world), header=header))
    assert _reasons(batch) == [
        ("h.csv", 1, "D（GDP增速）", "表头「GDP增速」不是本方案的指标"),
        ("h.csv", 1, "", "缺少指标列「重大项目数（个）」"),
    ]
    _nothing_written(upload.period)


def test_a_file_without_a_unit_code_column_is_refused(world, upload):
    batch = upload("h.csv", _csv([["上城区", 1, 2, 3]], header=HEADER[1:]))
    assert ("h.csv", 1, "", "缺少「单位代码」列") in _reasons(batch)


def test_headers_may_be_indicator_codes_or_names_without_units(world, upload):
    header = ["unit", "name", "fai", "重大项目数", "snails"]
    assert upload("codes.csv", _csv(_rows(world), header=header)).status == ImportStatus.APPLIED


def test_duplicate_rows_are_refused_naming_the_first(world, upload):
    rows = _rows(world, ("上城区", "淳安县", "上城区"))
    batch = upload("dup.csv", _csv(rows))
    assert _reasons(batch) == [
        ("dup.csv", 4, "A（单位代码）", "单位「上城区」重复出现（第 2 行已有）")
    ]
    _nothing_written(upload.period)


def test_a_name_that_does_not_match_the_code_is_caught(world, upload):
    rows = _rows(world, ("上城区",))
    rows[0][1] = "淳安县"
    batch = upload("shift.csv", _csv(rows))
    assert _reasons(batch) == [
        (
            "shift.csv",
            2,
            "B（单位名称）",
            f"单位名称「淳安县」与代码「{world.counties['上城区'].code}」的单位「上城区」不一致",
        )
    ]


def test_infinite_and_nan_values_are_refused(world, upload):
    rows = _rows(world, ("上城区", "淳安县"))
    rows[0][2], rows[1][3] = "inf", "nan"
    batch = upload("x.csv", _csv(rows))
    assert [e[3] for e in _reasons(batch)] == ["「inf」不是有限的数字", "「nan」不是有限的数字"]


def test_formulas_are_refused_with_their_cell(world, upload):
    rows = _rows(world, ("上城区",))
    rows[0][2] = "=1+1"
    batch = upload("f.xlsx", _xlsx(rows))
    assert _reasons(batch) == [("填报", 2, "C", "单元格含公式「=1+1」，请先复制后“粘贴为数值”")]
    _nothing_written(upload.period)


def test_csv_in_gbk_and_with_a_utf8_bom_are_read(world, upload):
    assert upload("gbk.csv", _csv(_rows(world), encoding="gbk")).status == ImportStatus.APPLIED
    world2_rows = _rows(world, ("西湖区",))
    assert upload("bom.csv", _csv(world2_rows, bom=True)).status == ImportStatus.APPLIED


def test_an_empty_file_is_refused(world, upload):
    assert _reasons(upload("empty.csv", b"")) == [("empty.csv", None, "", "文件是空的")]
    assert _reasons(upload("blank.csv", b"\xef\xbb\xbf\r\n")) == [
        ("blank.csv", None, "", "文件是空的")
    ]


def test_a_header_without_rows_is_refused(world, upload):
    assert _reasons(upload("head.csv", _csv([]))) == [("head.csv", None, "", "文件中没有数据行")]


def test_a_file_that_is_not_a_spreadsheet_is_refused(world, upload):
    assert _reasons(upload("fake.xlsx", b"this is not a zip")) == [
        ("fake.xlsx", None, "", "无法读取 Excel 文件（文件已损坏，或不是 .xlsx 格式）")
    ]
    assert _reasons(upload("data.xls", b"\xd0\xcf\x11\xe0 old excel")) == [
        ("data.xls", None, "", "只支持 .xlsx 和 .csv 文件")
    ]


def test_a_zip_bomb_is_refused_before_it_is_opened(world, upload, monkeypatch):
    monkeypatch.setattr(imports, "MAX_UNCOMPRESSED", 1000)
    batch = upload("bomb.xlsx", _xlsx(_rows(world)))
    assert _reasons(batch) == [
        ("bomb.xlsx", None, "", "文件解压后过大（超过 100 MB），请拆分后导入")
    ]


def test_too_many_rows_are_refused(world, upload, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 1)
    batch = upload("many.csv", _csv(_rows(world)))
    assert _reasons(batch) == [("many.csv", None, "", "超过 1 行，请拆分后导入")]


def test_a_huge_upload_is_refused_before_it_is_stored(world, upload, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 10)
    with pytest.raises(services.RaceError, match="文件超过 10 MB"):
        imports.import_start(
            actor=world.users["organiser"],
            period=upload.period,
            upload=SimpleUploadedFile("big.csv", b"x" * 11),
        )


def test_a_unit_outside_the_organisers_scope_is_refused(world, upload):
    # 缙云县 (丽水市) sits in the race's group, but 杭州市's organiser may not report for it
    members = [*world.counties.values(), world.county_b1]
    org_services.peer_group_set(
        actor=None, code=world.group_code, name="杭州县区", owner=world.city_a, members=members
    )
    period = services.period_open(
        actor=None, race=world.race, year=2027, number=1, deadline=upload.period.deadline
    )
    rows = [[world.county_b1.code, "缙云县", 1, 1, 1], *_rows(world, ("上城区",))]
    parsed = imports.validate_rows(
        period=period, actor=world.users["organiser"], sheet="S", rows=[HEADER, *rows]
    )
    assert [(i.row, i.column, i.reason) for i in parsed.issues] == [
        (2, "A（单位代码）", "您无权填报「缙云县」的数据（不在您的管辖范围内）")
    ]
    assert parsed.values == {}


def test_verified_reports_cannot_be_overwritten_by_an_import(world, upload):
    assert upload("a.csv", _csv(_rows(world, ("上城区",)))).status == ImportStatus.APPLIED
    report = world.report(upload.period, "上城区")
    services.report_verify(actor=world.users["organiser"], report=report)
    batch = upload("b.csv", _csv(_rows(world, ("上城区", "淳安县"))))
    assert [e[3] for e in _reasons(batch)] == ["「上城区」的数据已审核，不能通过导入覆盖"]
    assert world.report(upload.period, "淳安县").status == ReportStatus.NOT_STARTED


def test_a_reporter_importing_another_unit_is_refused(world, upload):
    batch = upload("r.csv", _csv(_rows(world, ("淳安县",))), actor=world.users["reporter"])
    assert [e[3] for e in _reasons(batch)] == ["您无权填报「淳安县」的数据（不在您的管辖范围内）"]


def test_imports_into_a_closed_period_are_refused(world, upload):
    services.period_close(actor=world.users["organiser"], period=upload.period)
    upload.period.refresh_from_db()
    with pytest.raises(services.RaceError, match="本期填报已截止"):
        imports.import_start(
            actor=world.users["organiser"],
            period=upload.period,
            upload=SimpleUploadedFile("a.csv", _csv(_rows(world))),
        )


def test_progress_is_reported_while_validating(world, upload, monkeypatch):
    seen = []
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 1)
    imports.validate_rows(
        period=upload.period,
        actor=world.users["organiser"],
        sheet="S",
        rows=[HEADER, *_rows(world, ("上城区", "淳安县", "西湖区"))],
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[:3] == [(1, 3), (2, 3), (3, 3)]


def test_the_template_workbook_explains_every_indicator(world, upload):
    workbook = load_workbook(io.BytesIO(imports.template_workbook(upload.period)))
    notes = [[c.value for c in row] for row in workbook["说明"].iter_rows(min_row=2)]
    assert notes[2][:4] == ["蜗牛项目数", "snails", "个", "越低越好"]
    assert zipfile.is_zipfile(io.BytesIO(imports.template_workbook(upload.period)))
