"""What the two imports read from each row, and how a row compares with what is stored.

- **projects** (项目及年度计划): one row per project: register values, the list year's monthly
  plan (12 columns) and planned milestone dates. A new code creates the project; a project not
  yet on the list is added to it (列入, with the reason column or the file's name);
- **reports** (月度填报): one row per project for one month: cumulative investment this year,
  形象进度, notes, problems (with their public flag), correction reason, milestone dates reached.
  Imported reports are submitted (报送).

A blank optional cell never erases a stored value. Every problem is an ``ImportIssue`` naming
sheet, row and column. Values are kept as text (``_state``) so the preview, the fingerprint and
the audit event compare and record exactly what the user saw.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from saima.core.tabular.importing import Column, ImportIssue, cell_issue, column_label
from saima.core.tabular.problems import CellError
from saima.core.tabular.reading import Sheet, is_blank
from saima.projects.import_cells import (
    CellProblem,
    parse_amount,
    parse_code,
    parse_date,
    parse_text,
    parse_yes_no,
)
from saima.projects.models import PLAN_FIELDS, Category, Milestone

MILESTONE_HEADERS = {
    Milestone.SIGNING: "签约",
    Milestone.LAND: "供地",
    Milestone.APPROVAL: "审批完成",
    Milestone.START: "开工",
    Milestone.COMPLETION: "竣工投产",
}


def _col(key: str, label: str, *names: str, required: bool = False) -> Column:
    return Column(key, label, names, required)


PROJECT_COLUMNS = [
    _col("code", "项目代码", "代码", "project_code", required=True),
    _col("name", "项目名称", "名称", required=True),
    _col("owner_unit", "责任单位代码", required=True),
    _col("owner_unit_name", "责任单位"),
    _col("locality", "所在县（市、区）代码", "所在地代码", required=True),
    _col("locality_name", "所在县（市、区）", "所在地"),
    _col("category", "类别", "项目类别", required=True),
    _col("total_investment", "总投资（万元）", "总投资", required=True),
    _col("invested_before", "以前年度累计完成投资（万元）"),
    *[_col(f, f"{m}月计划投资（万元）", f"{m}月") for m, f in enumerate(PLAN_FIELDS, start=1)],
    *[_col(f"planned_{c}", f"计划{h}日期") for c, h in MILESTONE_HEADERS.items()],
    _col("leader_name", "责任领导"),
    _col("contact_name", "联系人"),
    _col("contact_phone", "联系电话"),
    _col("description", "建设内容"),
    _col("reason", "列入理由"),
]
PROJECT_TEXT = {
    "name": 200,
    "leader_name": 60,
    "contact_name": 60,
    "contact_phone": 40,
    "description": 2000,
    "reason": 500,
}
INFORMATIVE = {"owner_unit_name", "locality_name", "project_name", "reason"}

REPORT_COLUMNS = [
    _col("code", "项目代码", "代码", "project_code", required=True),
    _col("project_name", "项目名称", "名称"),
    _col("cumulative_investment", "本年累计完成投资（万元）", "累计完成投资", required=True),
    _col("physical_progress", "形象进度（%）", "形象进度", required=True),
    _col("progress_note", "本月进展"),
    _col("problems", "需协调解决的问题"),
    _col("problems_public", "问题可公开"),
    _col("correction_reason", "累计投资下调说明", "下调说明"),
    *[_col(f"reached_{c}", f"{h}日期") for c, h in MILESTONE_HEADERS.items()],
]
REPORT_TEXT = {"progress_note": 2000, "problems": 2000, "correction_reason": 500}

CATEGORY_NAMES = {str(label): value for value, label in Category.choices} | {
    value: value for value in Category.values
}


@dataclass
class RowReader:
    """Reads the cells of one sheet, collecting every issue with its place."""

    sheet: Sheet
    columns: dict[str, int]
    issues: list[ImportIssue] = field(default_factory=list)

    def has(self, key: str) -> bool:
        return key in self.columns

    def raw(self, cells: list[Any], key: str) -> Any:
        return cells[self.columns[key]] if key in self.columns else None

    def read(self, number: int, cells: list[Any], key: str, parse: Callable[[Any], Any]) -> Any:
        """The parsed cell, or None with an issue recorded (None also for a blank cell)."""
        if key not in self.columns:
            return None
        index = self.columns[key]
        try:
            return parse(cells[index])
        except CellError as exc:
            self.issues.append(cell_issue(self.sheet, number, index, exc))
        except CellProblem as exc:
            self.problem(number, key, str(exc))
        return None

    def problem(self, number: int, key: str, reason: str) -> None:
        index = self.columns.get(key)
        where = column_label(index + 1, self.sheet.header[index]) if index is not None else ""
        self.issues.append(ImportIssue(self.sheet.title, number, where, reason))

    def required(self, number: int, cells: list[Any], key: str, label: str) -> bool:
        if is_blank(self.raw(cells, key)):
            self.problem(number, key, _("「%(label)s」不能为空") % {"label": label})
            return False
        return True


def text(value: Any) -> str:
    """The stored form of a value, as text, for comparing and recording."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value.quantize(Decimal('0.01'))}"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value)


def _text_parser(limit: int) -> Callable[[Any], str]:
    return lambda raw: parse_text(raw, max_length=limit)


def project_row(reader: RowReader, number: int, cells: list[Any]) -> dict[str, str]:
    """The row's values as text (only the cells that read; each problem is recorded)."""
    values: dict[str, str] = {}
    for key, label in (
        ("code", "项目代码"),
        ("name", "项目名称"),
        ("owner_unit", "责任单位代码"),
        ("locality", "所在县（市、区）代码"),
        ("category", "类别"),
        ("total_investment", "总投资（万元）"),
    ):
        reader.required(number, cells, key, label)
    for key in ("code", "owner_unit", "locality"):
        values[key] = reader.read(number, cells, key, parse_code) or ""
    for key, limit in PROJECT_TEXT.items():
        value = reader.read(number, cells, key, _text_parser(limit))
        if value:
            values[key] = value
    category = reader.read(number, cells, "category", lambda raw: parse_text(raw, max_length=20))
    if category:
        if category not in CATEGORY_NAMES:
            names = "、".join(str(label) for label in Category.labels)
            reader.problem(
                number,
                "category",
                _("类别「%(v)s」不是 %(names)s 之一") % {"v": category, "names": names},
            )
        else:
            values["category"] = CATEGORY_NAMES[category]
    for key in ("total_investment", "invested_before", *PLAN_FIELDS):
        amount = reader.read(number, cells, key, parse_amount)
        if amount is not None:
            values[key] = text(amount)
    for code in Milestone.values:
        date = reader.read(number, cells, f"planned_{code}", parse_date)
        if date is not None:
            values[f"planned_{code}"] = text(date)
    return values


def report_row(reader: RowReader, number: int, cells: list[Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    reader.required(number, cells, "code", "项目代码")
    reader.required(number, cells, "cumulative_investment", "本年累计完成投资（万元）")
    reader.required(number, cells, "physical_progress", "形象进度（%）")
    values["code"] = reader.read(number, cells, "code", parse_code) or ""
    invested = reader.read(number, cells, "cumulative_investment", parse_amount)
    progress = reader.read(
        number, cells, "physical_progress", lambda raw: parse_amount(raw, high=Decimal("100"))
    )
    if invested is not None:
        values["cumulative_investment"] = text(invested)
    if progress is not None:
        values["physical_progress"] = text(progress)
    for key, limit in REPORT_TEXT.items():
        value = reader.read(number, cells, key, _text_parser(limit))
        if value:
            values[key] = value
    if reader.has("problems_public") and not is_blank(reader.raw(cells, "problems_public")):
        public = reader.read(number, cells, "problems_public", parse_yes_no)
        if public is not None:
            values["problems_public"] = text(public)
    for code in Milestone.values:
        date = reader.read(number, cells, f"reached_{code}", parse_date)
        if date is not None:
            values[f"reached_{code}"] = text(date)
    return values


def is_empty_row(cells: list[Any]) -> bool:
    return all(is_blank(cell) for cell in cells)
