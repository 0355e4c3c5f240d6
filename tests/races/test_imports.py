"""Organiser imports: every error located, a preview before anything is written, nothing lost
or invented (blank cells, blank rows, verified units), all or nothing — and hostile files."""

from __future__ import annotations

import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from saima.core.models import AuditEvent, ImportStatus
from saima.org import services as org_services
from saima.races.models import ImportBatch, Report, ReportedValue, ReportStatus
from saima.races.reporting import import_templates, imports, services
from tests.hostile.corpus import CORPUS, build

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


@pytest.fixture
def upload(world, django_capture_on_commit_callbacks):
    """Upload a file and run its validation; the batch comes back previewed or failed."""
    period = world.period()

    def run(name, content, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            batch = imports.import_start(
                actor=actor or world.users["organiser"],
                period=period,
                upload=SimpleUploadedFile(name, content),
            )
        batch.refresh_from_db()
        return batch

    run.period = period
    return run


@pytest.fixture
def imported(upload, world):
    """Upload and confirm: the batch comes back applied (or as it stopped)."""

    def run(name, content, actor=None):
        batch = upload(name, content, actor)
        if batch.status == ImportStatus.PREVIEW:
            imports.import_confirm(actor=actor or world.users["organiser"], batch=batch)
            batch.refresh_from_db()
        return batch

    run.period = upload.period
    return run


def _reasons(batch):
    return [(e["sheet"], e["row"], e["column"], e["reason"]) for e in batch.errors]


def _values(report):
    return dict(report.values.values_list("indicator", "value"))


def _nothing_written(period):
    assert not ReportedValue.objects.filter(report__period=period).exists()
    assert set(Report.objects.filter(period=period).values_list("status", flat=True)) == {
        ReportStatus.NOT_STARTED
    }


def _preview(batch):
    return {row["key"]: row for row in batch.preview["rows"]}


def test_a_clean_file_is_previewed_first_and_written_only_when_confirmed(world, upload):
    batch = upload("data.xlsx", _xlsx(_rows(world)))
    assert batch.status == ImportStatus.PREVIEW and batch.errors == []
    assert batch.preview["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "skipped": 0}
    change = _preview(batch)[world.counties["上城区"].code]["changes"][0]
    assert (change["label"], change["old"], change["new"]) == ("固定资产投资增速（%）", None, 9.5)
    _nothing_written(upload.period)
    imports.import_confirm(actor=world.users["organiser"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED and batch.applied_units == 2
    report = world.report(upload.period, "上城区")
    assert report.status == ReportStatus.SUBMITTED
    assert _values(report) == {"fai": 9.5, "projects": 3.0, "snails": 1.0}
    event = AuditEvent.objects.get(action="races.report.import")
    assert event.after["counts"] == {"new": 2, "changed": 0, "unchanged": 0, "skipped": 0}
    assert batch.done_rows == batch.total_rows == 2


def test_a_cancelled_preview_writes_nothing(world, upload):
    batch = upload("data.csv", _csv(_rows(world)))
    imports.import_cancel(actor=world.users["organiser"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.CANCELLED
    _nothing_written(upload.period)
    with pytest.raises(services.RaceError, match="待确认"):
        imports.import_confirm(actor=world.users["organiser"], batch=batch)


def _template_filled(period, fill):
    """The downloaded template with ``fill`` (unit name → row cells C..E) filled in."""
    workbook = load_workbook(io.BytesIO(import_templates.template_workbook(period)))
    sheet = workbook["填报"]
    for row in sheet.iter_rows(min_row=2):
        cells = fill.get(row[1].value)
        if cells:
            row[2].value, row[3].value, row[4].value = cells
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_the_template_filled_for_three_units_with_one_bad_cell_gives_one_error(world, upload):
    fill = {"上城区": (5, 2, 0), "淳安县": ("12,8", 2, 0), "西湖区": (7, 1, 1)}
    batch = upload("filled.xlsx", _template_filled(upload.period, fill))
    assert batch.status == ImportStatus.FAILED
    row = 2 + list(
        Report.objects.filter(period=upload.period)
        .order_by("group_code", "unit__path")
        .values_list("unit__name", flat=True)
    ).index("淳安县")
    assert _reasons(batch) == [
        (
            "填报",
            row,
            "C（固定资产投资增速（%））",
            "「12,8」中的逗号不是每三位一组的千位分隔符，无法确定数值；小数请用小数点",
        )
    ]
    _nothing_written(upload.period)


def test_blank_cells_never_erase_and_only_complete_units_become_submitted(world, upload):
    period = upload.period
    hangzhou = world.report(period, "上城区")
    services.report_save(
        actor=world.users["reporter"],
        report=hangzhou,
        values={"fai": 116.4, "projects": 5.0, "snails": None},
        submit=False,
    )
    returned = world.report(period, "余杭区")
    services.report_save(
        actor=world.users["organiser"],
        report=returned,
        values={"fai": 1.0, "projects": 1.0, "snails": 1.0},
        submit=True,
    )
    services.report_return(actor=world.users["organiser"], report=returned, comment="请核对")
    fill = {"上城区": (None, None, 2), "淳安县": (6, None, None), "余杭区": (None, None, 0)}
    batch = upload("filled.xlsx", _template_filled(period, fill))
    assert batch.status == ImportStatus.PREVIEW, batch.errors
    rows = _preview(batch)
    assert rows[world.counties["上城区"].code]["status"] == "changed"
    assert rows[world.counties["淳安县"].code]["status"] == "new"
    assert "6 行未填写任何指标，已忽略" not in batch.preview["summary"]
    assert "3 行未填写任何指标，已忽略" in batch.preview["summary"]
    imports.import_confirm(actor=world.users["organiser"], batch=batch)
    hangzhou.refresh_from_db()
    assert _values(hangzhou) == {"fai": 116.4, "projects": 5.0, "snails": 2.0}
    assert hangzhou.status == ReportStatus.SUBMITTED
    partial = world.report(period, "淳安县")
    assert _values(partial) == {"fai": 6.0} and partial.status == ReportStatus.DRAFT
    returned.refresh_from_db()
    assert _values(returned) == {"fai": 1.0, "projects": 1.0, "snails": 0.0}
    assert returned.status == ReportStatus.SUBMITTED
    for name in ("西湖区", "萧山区", "桐庐县"):
        report = world.report(period, name)
        assert report.status == ReportStatus.NOT_STARTED and _values(report) == {}


def test_verified_units_are_left_alone_and_said_once(world, upload, imported):
    imported("a.csv", _csv(_rows(world, ("上城区", "淳安县"))))
    for name in ("上城区", "淳安县"):
        services.report_verify(
            actor=world.users["organiser"], report=world.report(upload.period, name)
        )
    rows = _rows(world, ("上城区", "淳安县", "西湖区"))
    rows[0][2] = 99
    batch = upload("b.csv", _csv(rows))
    assert batch.status == ImportStatus.PREVIEW and batch.errors == []
    assert batch.preview["summary"] == [
        "2 个已审核单位保持不变（已审核的数据不能通过导入修改）：上城区、淳安县"
    ]
    assert batch.preview["counts"]["skipped"] == 2
    imports.import_confirm(actor=world.users["organiser"], batch=batch)
    assert _values(world.report(upload.period, "上城区"))["fai"] == 9.5
    assert world.report(upload.period, "西湖区").status == ReportStatus.SUBMITTED


def test_a_preview_gone_stale_is_refused_and_can_be_previewed_again(
    world, upload, django_capture_on_commit_callbacks
):
    batch = upload("a.csv", _csv(_rows(world, ("上城区",))))
    services.report_save(
        actor=world.users["reporter"],
        report=world.report(upload.period, "上城区"),
        values={"fai": 1.0},
        submit=False,
    )
    with pytest.raises(services.RaceError, match="请重新预览"):
        imports.import_confirm(actor=world.users["organiser"], batch=batch)
    assert _values(world.report(upload.period, "上城区")) == {
        "fai": 1.0,
        "projects": None,
        "snails": None,
    }
    with django_capture_on_commit_callbacks(execute=True):
        imports.import_repreview(actor=world.users["organiser"], batch=batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.PREVIEW
    change = _preview(batch)[world.counties["上城区"].code]["changes"][0]
    assert (change["old"], change["new"]) == (1.0, 9.5)
    imports.import_confirm(actor=world.users["organiser"], batch=batch)
    assert world.report(upload.period, "上城区").status == ReportStatus.SUBMITTED


def test_the_csv_template_has_chinese_headers_and_a_bom(world, upload):
    content = import_templates.template_csv(upload.period)
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
        (
            "三季度",
            2,
            "C（固定资产投资增速（%））",
            "「九点五」含全角或非 ASCII 字符，请改用半角数字",
        ),
        ("三季度", 3, "A（单位代码）", "单位代码「NOPE」不是本期参赛单位"),
        ("三季度", 4, "E（蜗牛项目数（个））", "「abc」不是数字"),
    ]
    _nothing_written(upload.period)
    assert AuditEvent.objects.filter(action="races.import.refuse").exists()


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("12,8", "「12,8」中的逗号不是每三位一组的千位分隔符，无法确定数值；小数请用小数点"),
        (
            "1,23,456",
            "「1,23,456」中的逗号不是每三位一组的千位分隔符，无法确定数值；小数请用小数点",
        ),
        ("１２", "「１２」含全角或非 ASCII 字符，请改用半角数字"),
        ("inf", "「inf」不是有限的数字"),
        ("nan", "「nan」不是有限的数字"),
    ],
)
def test_ambiguous_numbers_are_refused_naming_the_cell(world, upload, text, reason):
    rows = _rows(world, ("上城区",))
    rows[0][3] = f'"{text}"'
    batch = upload("x.csv", _csv(rows))
    assert _reasons(batch) == [("x.csv", 2, "D（重大项目数（个））", reason)]


def test_an_unquoted_comma_that_shifts_cells_is_caught(world, upload):
    rows = _rows(world, ("上城区",))
    rows[0][3] = "12,8"
    batch = upload("x.csv", _csv(rows))
    assert _reasons(batch)[0] == (
        "x.csv",
        2,
        "",
        "此行在最后一个表头列的右侧还有内容，请删去或补上表头",
    )


def test_thousands_separators_that_group_by_three_are_read(world, upload):
    rows = _rows(world, ("上城区",))
    rows[0][3] = '"1,234"'
    batch = upload("x.csv", _csv(rows))
    assert _preview(batch)[world.counties["上城区"].code]["changes"][1]["new"] == 1234.0


def test_wrong_and_missing_headers_are_named(world, upload):
    header = ["单位代码", "单位名称", "固定资产投资增速（%）", "GDP增速", "蜗牛项目数（个）"]
    batch = upload("h.csv", _csv(_rows(world), header=header))
    assert _reasons(batch) == [
        ("h.csv", 1, "D（GDP增速）", "表头「GDP增速」不是可导入的列"),
        ("h.csv", 1, "", "缺少「重大项目数（个）」列"),
    ]
    _nothing_written(upload.period)


def test_a_file_without_a_unit_code_column_is_refused(world, upload):
    batch = upload("h.csv", _csv([["上城区", 1, 2, 3]], header=HEADER[1:]))
    assert ("h.csv", 1, "", "缺少「单位代码」列") in _reasons(batch)


def test_headers_may_be_indicator_codes_or_names_without_units(world, upload):
    header = ["unit", "name", "fai", "重大项目数", "snails"]
    assert upload("codes.csv", _csv(_rows(world), header=header)).status == ImportStatus.PREVIEW


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


def test_formulas_are_refused_with_their_cell_even_without_a_cached_value(world, upload):
    rows = _rows(world, ("上城区",))
    rows[0][2] = "=1+1"
    batch = upload("f.xlsx", _xlsx(rows))
    assert _reasons(batch) == [
        ("填报", 2, "C（固定资产投资增速（%））", "单元格含公式「=1+1」，请先复制后“粘贴为数值”")
    ]
    _nothing_written(upload.period)


def test_csv_in_gbk_and_with_a_utf8_bom_are_read(world, upload):
    assert upload("gbk.csv", _csv(_rows(world), encoding="gbk")).status == ImportStatus.PREVIEW
    assert upload("bom.csv", _csv(_rows(world), bom=True)).status == ImportStatus.PREVIEW


def test_an_empty_file_is_refused(world, upload):
    assert _reasons(upload("empty.csv", b"")) == [("empty.csv", None, "", "文件是空的")]
    assert _reasons(upload("blank.csv", b"\xef\xbb\xbf\r\n")) == [
        ("blank.csv", None, "", "文件是空的")
    ]


def test_a_file_with_no_indicator_filled_in_is_refused(world, upload):
    batch = upload("head.csv", import_templates.template_csv(upload.period))
    assert _reasons(batch) == [("head.csv", None, "", "文件中没有填写任何指标数据")]


def test_a_file_that_is_not_a_spreadsheet_is_refused(world, upload):
    assert _reasons(upload("fake.xlsx", b"this is not a zip")) == [
        ("fake.xlsx", None, "", "无法读取 Excel 文件（文件已损坏，或不是 .xlsx 格式）")
    ]
    assert _reasons(upload("data.xls", b"\xd0\xcf\x11\xe0 old excel")) == [
        ("data.xls", None, "", "只支持 .xlsx 和 .csv 文件")
    ]


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_hostile_file_ends_its_batch_fast_with_a_message_and_writes_nothing(
    world, upload, name
):
    started = time.perf_counter()
    batch = upload(name, build(name))
    assert time.perf_counter() - started < 5
    assert batch.status == ImportStatus.FAILED
    assert batch.errors and all(e["reason"] for e in batch.errors)
    _nothing_written(upload.period)


def test_an_unforeseen_failure_still_ends_the_batch_with_a_message(world, upload, monkeypatch):
    def explode(**kwargs):
        raise KeyError("surprise")

    monkeypatch.setattr(imports, "validate_sheet", explode)
    batch = upload("a.csv", _csv(_rows(world)))
    assert batch.status == ImportStatus.FAILED
    assert _reasons(batch) == [
        (
            "a.csv",
            None,
            "",
            "导入时发生意外错误（KeyError），未写入任何数据；请检查文件后重试，或联系管理员",
        )
    ]
    _nothing_written(upload.period)


def test_a_huge_upload_is_refused_before_it_is_stored(world, upload, monkeypatch):
    monkeypatch.setattr(imports, "MAX_BYTES", 10)
    with pytest.raises(services.RaceError, match="文件不能超过"):
        imports.import_start(
            actor=world.users["organiser"],
            period=upload.period,
            upload=SimpleUploadedFile("big.csv", b"x" * 11),
        )
    assert not ImportBatch.objects.exists()


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
    sheet = imports.read_upload("S.csv", _csv(rows))
    validated = imports.validate_sheet(period=period, actor=world.users["organiser"], sheet=sheet)
    assert [(i.row, i.column, i.reason) for i in validated.issues] == [
        (2, "A（单位代码）", "您无权填报「缙云县」的数据（不在您的管辖范围内）")
    ]


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


def test_a_preview_cannot_be_confirmed_after_the_period_closed(world, upload):
    batch = upload("a.csv", _csv(_rows(world)))
    services.period_close(actor=world.users["organiser"], period=upload.period)
    with pytest.raises(services.RaceError, match="本期填报已截止"):
        imports.import_confirm(actor=world.users["organiser"], batch=batch)
    _nothing_written(upload.period)


def test_progress_is_reported_while_validating(world, upload, monkeypatch):
    seen = []
    monkeypatch.setattr(imports, "PROGRESS_EVERY", 1)
    sheet = imports.read_upload("S.csv", _csv(_rows(world, ("上城区", "淳安县", "西湖区"))))
    imports.validate_sheet(
        period=upload.period,
        actor=world.users["organiser"],
        sheet=sheet,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[:3] == [(1, 3), (2, 3), (3, 3)]


def test_the_template_workbook_explains_every_indicator(world, upload):
    workbook = load_workbook(io.BytesIO(import_templates.template_workbook(upload.period)))
    assert [c.value for c in workbook["填报"][1]] == HEADER
    notes = [[c.value for c in row] for row in workbook["说明"].iter_rows(min_row=2)]
    assert notes[2][:4] == ["蜗牛项目数", "snails", "个", "越低越好"]


def test_a_value_outside_the_indicators_bounds_is_refused(world, upload):
    toml = world.race.scheme_toml.replace(
        'weight = 1\nunit = "个"\n', 'weight = 1\nunit = "个"\nmin = 0\ninteger = true\n', 1
    )
    assert toml != world.race.scheme_toml
    type(world.race).objects.filter(pk=world.race.pk).update(scheme_toml=toml)
    rows = _rows(world, ("上城区", "淳安县"))
    rows[0][3], rows[1][3] = -2, 2.5
    batch = upload("b.csv", _csv(rows))
    assert _reasons(batch) == [
        ("b.csv", 2, "D（重大项目数（个））", "「重大项目数」不能小于 0（填的是 -2）"),
        ("b.csv", 3, "D（重大项目数（个））", "「重大项目数」须为整数（填的是 2.5）"),
    ]


# ---------------------------------------------------------------- the pages


def _login(client, user):
    client.force_login(user)


def test_the_preview_page_shows_old_and_new_values_and_confirming_writes(client, world, upload):
    from django.urls import reverse

    services.report_save(
        actor=world.users["reporter"],
        report=world.report(upload.period, "上城区"),
        values={"fai": 116.4},
        submit=False,
    )
    batch = upload("a.csv", _csv(_rows(world)))
    _login(client, world.users["organiser"])
    page = client.get(reverse("races:import", args=[batch.pk])).content.decode()
    assert "固定资产投资增速（%）：116.4 → 9.5" in page and "确认导入" in page
    response = client.post(reverse("races:import_decide", args=[batch.pk, "confirm"]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.APPLIED
    assert (
        "已导入 2 个单位的数据"
        in client.get(reverse("races:import", args=[batch.pk])).content.decode()
    )


@pytest.mark.parametrize("who", ["organiser_other", "reporter"])
def test_others_can_neither_see_nor_decide_a_preview(client, world, upload, who):
    from django.urls import reverse

    batch = upload("a.csv", _csv(_rows(world)))
    _login(client, world.users[who])
    assert client.get(reverse("races:import", args=[batch.pk])).status_code == 404
    response = client.post(reverse("races:import_decide", args=[batch.pk, "confirm"]))
    assert response.status_code == 404
    _nothing_written(upload.period)


def test_the_template_downloads_under_a_safe_name(client, world, upload):
    from django.urls import reverse

    _login(client, world.users["organiser"])
    response = client.get(reverse("races:import_template", args=[upload.period.pk, "xlsx"]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename")
    assert load_workbook(io.BytesIO(response.content))["填报"]["A1"].value == "单位代码"


# ---------------------------------------------------------------- concurrency (PostgreSQL)


@pytest.mark.django_db(transaction=True)
def test_simultaneous_confirms_into_one_period_are_serialised_without_deadlock():
    import threading

    from django.db import connection, connections

    from tests.races.conftest import build_world

    if connection.vendor != "postgresql":
        pytest.skip("row locks are only exercised on PostgreSQL")
    world = build_world()
    period = world.period()
    organiser = world.users["organiser"]
    names = list(world.counties)
    batches = []
    for index in range(6):
        chosen = [names[index], names[(index + 1) % 6]]  # overlapping pairs
        rows = [[world.counties[n].code, n, 10 + index, index, 1] for n in chosen]
        batch = imports.import_start(
            actor=organiser, period=period, upload=SimpleUploadedFile(f"{index}.csv", _csv(rows))
        )
        imports.import_run(batch.pk)
        batches.append(batch)
    outcomes: list[str] = []
    barrier = threading.Barrier(len(batches))

    def confirm(batch):
        try:
            barrier.wait()
            imports.import_confirm(actor=organiser, batch=batch)
            outcomes.append("applied")
        except services.RaceError:
            outcomes.append("stale")
        except Exception as exc:  # a deadlock or any other database error
            outcomes.append(f"{type(exc).__name__}: {exc}")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=confirm, args=(b,)) for b in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert set(outcomes) <= {"applied", "stale"}, outcomes
    assert len(outcomes) == 6 and "applied" in outcomes
    applied = [ImportBatch.objects.get(pk=b.pk).status == ImportStatus.APPLIED for b in batches]
    assert sum(applied) == outcomes.count("applied")
    # neighbours share a unit: once one is written the other's preview is stale
    assert not any(applied[i] and applied[(i + 1) % 6] for i in range(6)), applied
