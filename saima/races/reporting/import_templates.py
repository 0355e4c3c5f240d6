"""The template an organiser downloads to fill in (批量导入模板): every unit of the period listed
under Chinese indicator headers (with their units), and a sheet explaining each indicator.
Rows left without indicator values are ignored by the import (``reporting.imports``)."""

from __future__ import annotations

import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from saima.core.tabular.writing import append_row, csv_text
from saima.engine import Scheme
from saima.races.models import Period, Report
from saima.races.schemes.selectors import parse_scheme


def indicator_header(indicator: Any) -> str:
    return f"{indicator.name}（{indicator.unit}）" if indicator.unit else indicator.name


def template_headers(scheme: Scheme) -> list[str]:
    return ["单位代码", "单位名称", *[indicator_header(i) for i in scheme.indicators]]


def _template_rows(period: Period) -> list[list[Any]]:
    reports = (
        Report.objects.filter(period=period)
        .select_related("unit")
        .order_by("group_code", "unit__path")
    )
    return [[r.unit.code, r.unit.name] for r in reports]


def template_workbook(period: Period) -> bytes:
    """The XLSX template: every unit of the period listed; rows left blank are ignored."""
    scheme = parse_scheme(period.race.scheme_toml)
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "填报"
    append_row(sheet, template_headers(scheme))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDECEA")
    for row in _template_rows(period):
        append_row(sheet, row)
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 18
    for index in range(3, len(scheme.indicators) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    notes = workbook.create_sheet("说明")
    append_row(notes, ["指标", "代码", "单位", "方向", "说明"])
    for i in scheme.indicators:
        direction = "越高越好" if i.direction == "higher" else "越低越好"
        append_row(notes, [i.name, i.code, i.unit, direction, i.help])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv(period: Period) -> bytes:
    scheme = parse_scheme(period.race.scheme_toml)
    text = csv_text(template_headers(scheme), _template_rows(period))
    return ("\ufeff" + text).encode("utf-8")
