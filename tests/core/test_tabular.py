"""The shared tabular reader and number parser: plain numbers only, every hostile file refused
fast with a named problem (the corpus in tests/hostile), and within its limits."""

from __future__ import annotations

import datetime as dt
import io
import resource
import time
from decimal import Decimal

import pytest
from openpyxl import Workbook

from saima.core.tabular.limits import Limits
from saima.core.tabular.numbers import ExcelError, Formula, parse_number
from saima.core.tabular.problems import CellError, TableError, shown
from saima.core.tabular.reading import read_table
from tests.hostile.corpus import CORPUS, build


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        (None, None),
        ("", None),
        ("  \u3000", None),
        ("12.8", 12.8),
        (" -3 ", -3.0),
        ("+1,234,567.5", 1234567.5),
        ("1e-3", 0.001),
        (".5", 0.5),
        (7, 7.0),
        (2.5, 2.5),
        (Decimal("1.25"), 1.25),
    ],
)
def test_plain_numbers_are_read(raw, value):
    assert parse_number(raw) == value


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("12,8", "grouping"),  # read as 128 before
        ("1,23,456", "grouping"),
        ("1234,5", "grouping"),
        ("１２", "non_ascii"),
        ("١٢", "non_ascii"),
        ("12%", "not_number"),
        ("1 234", "not_number"),
        ("九点五", "non_ascii"),
        ("abc", "not_number"),
        ("nan", "not_finite"),
        ("-Infinity", "not_finite"),
        ("1e999", "not_finite"),
        (float("inf"), "not_finite"),
        (True, "not_number"),
        (Formula("SUM(A1:A2)", "3"), "formula"),
        (Formula("SUM(A1:A2)", None), "formula"),
        (ExcelError("#DIV/0!"), "excel_error"),
        (dt.datetime(2026, 1, 1), "date"),
    ],
)
def test_ambiguous_or_non_numbers_are_refused_never_guessed(raw, code):
    with pytest.raises(CellError) as refused:
        parse_number(raw)
    assert refused.value.problem.code == code


def test_a_refusal_quotes_the_cell_safely():
    assert shown("a\x00b\ud800" + "x" * 50) == "a\ufffdb\ufffd" + "x" * 35 + "…"


def _xlsx(*rows):
    book = Workbook()
    sheet = book.active
    sheet.title = "填报"
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_cells_keep_their_types_and_formulas_come_back_as_formulas():
    sheet = read_table("a.xlsx", _xlsx(["code", "v"], ["330102", 1.5], [330103, "=A2*2"]))
    assert sheet.title == "填报" and sheet.header == ["code", "v"]
    assert sheet.rows == [(2, ["330102", 1.5]), (3, [330103, Formula("A2*2", None)])]


def test_blank_rows_are_dropped_and_rows_keep_their_spreadsheet_numbers():
    sheet = read_table("a.csv", b"\n\ncode,v\n1,2\n,\n3,4\n")
    assert sheet.header_row == 3 and sheet.rows == [(4, ["1", "2"]), (6, ["3", "4"])]


def test_only_the_headers_columns_are_kept_and_text_beyond_them_is_reported():
    sheet = read_table("a.csv", b"code,v\n1,2,,\n3,4,5\n")
    assert sheet.rows == [(2, ["1", "2"]), (3, ["3", "4"])] and sheet.overflow == [3]


@pytest.mark.parametrize("content", [b"a,b\r1,2\r", b"a,b\r\n1,2\r\n", b"a,b\n1,2"])
def test_csv_line_endings_of_every_kind_are_read(content):
    assert read_table("a.csv", content).rows == [(2, ["1", "2"])]


def test_csv_in_gbk_utf8_and_utf16_with_bom_are_read():
    text = "单位,值\n上城区,1\n"
    for content in (text.encode("gbk"), text.encode("utf-8"), text.encode("utf-16")):
        assert read_table("a.csv", content).rows == [(2, ["上城区", "1"])]


@pytest.mark.parametrize(
    ("limits", "content", "code"),
    [
        (Limits(max_rows=2), b"a\n1\n2\n3\n", "too_many_rows"),
        (Limits(max_columns=2), b"a,b,c\n", "too_many_columns"),
        (Limits(max_bytes=3), b"a,b,c\n", "too_big"),
    ],
)
def test_limits_are_enforced(limits, content, code):
    with pytest.raises(TableError) as refused:
        read_table("a.csv", content, limits)
    assert refused.value.problem.code == code


def test_xlsx_cells_are_capped_however_the_file_is_laid_out():
    content = _xlsx(["a", "b"], *[[i, i] for i in range(20)])
    with pytest.raises(TableError) as refused:
        read_table("a.xlsx", content, Limits(max_cells=30))
    assert refused.value.problem.code == "too_many_cells"


@pytest.mark.parametrize("name", list(CORPUS))
def test_every_hostile_file_is_refused_fast_with_its_problem_named(name):
    content, expected = build(name), CORPUS[name][1]
    started = time.perf_counter()
    if expected is None:
        read_table(name, content)
    else:
        with pytest.raises(TableError) as refused:
            read_table(name, content)
        assert refused.value.problem.code == expected
        assert refused.value.problem.chinese() and refused.value.problem.english()
    assert time.perf_counter() - started < 3


def test_the_dimension_bomb_reads_two_rows_in_little_time_and_memory():
    content = build("dimension_bomb.xlsx")
    assert len(content) < 6000
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    sheet = read_table("bomb.xlsx", content)
    assert time.perf_counter() - started < 1
    assert (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) < 50 * 1024  # KiB
    assert len(sheet.header) == 5 and sheet.rows == [(20001, ["330102", None, None, None, None])]


def test_a_date_typed_into_a_number_cell_comes_back_as_a_date_and_is_refused():
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "v", "p"])
    sheet.append(["330102", dt.datetime(2026, 3, 1), 0.25])
    sheet["C2"].number_format = "0.00%"
    out = io.BytesIO()
    book.save(out)
    row = read_table("a.xlsx", out.getvalue()).rows[0][1]
    assert row[1] == dt.datetime(2026, 3, 1) and row[2] == 0.25
    with pytest.raises(CellError) as refused:
        parse_number(row[1])
    assert refused.value.problem.code == "date"
