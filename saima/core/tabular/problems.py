"""What can be wrong with a cell or a file, said once in Chinese and once in English.

Django-free, so that ``saima rank`` reports the same problems as the web import. A problem is a
code plus parameters; ``chinese(problem)`` gives the msgid (translated by the web layer through
gettext), ``english(problem)`` the command line's text. Values quoted back are cleaned first
(``shown``): at most 40 characters, no control characters, no lone surrogates, so a hostile cell
can neither break the page nor the database that stores the message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# code → (Chinese msgid, English text); both use %(name)s placeholders.
MESSAGES: dict[str, tuple[str, str]] = {
    # cells
    "not_number": ("「%(value)s」不是数字", "value '%(value)s' is not a number"),
    "not_finite": ("「%(value)s」不是有限的数字", "value '%(value)s' is not a finite number"),
    "grouping": (
        "「%(value)s」中的逗号不是每三位一组的千位分隔符，无法确定数值；小数请用小数点",
        "value '%(value)s': the commas do not group thousands by three; write decimals with a point",
    ),
    "non_ascii": (
        "「%(value)s」含全角或非 ASCII 字符，请改用半角数字",
        "value '%(value)s' has full-width or non-ASCII characters; use ASCII digits",
    ),
    "formula": (
        "单元格含公式「%(value)s」，请先复制后“粘贴为数值”",
        "the cell holds the formula '%(value)s'; paste it as a value",
    ),
    "date": ("「%(value)s」是日期，不是数字", "value '%(value)s' is a date, not a number"),
    "excel_error": (
        "单元格是 Excel 错误值「%(value)s」",
        "the cell holds the Excel error '%(value)s'",
    ),
    # files
    "empty": ("文件是空的", "the file is empty"),
    "too_big": (
        "文件超过 %(mib)s MB，请拆分后导入",
        "the file is larger than %(mib)s MB",
    ),
    "unpacked_too_big": (
        "文件解压后过大（超过 %(mib)s MB），请拆分后导入",
        "the file unpacks to more than %(mib)s MB",
    ),
    "file_type": ("只支持 .xlsx 和 .csv 文件", "only .xlsx and .csv files can be read"),
    "not_zip": (
        "无法读取 Excel 文件（文件已损坏，或不是 .xlsx 格式）",
        "not a readable XLSX file (damaged, or not .xlsx)",
    ),
    "not_xlsx": (
        "这个压缩包不是 Excel 工作簿（缺少 %(part)s）",
        "the zip archive is not an XLSX workbook (%(part)s is missing)",
    ),
    "no_sheets": ("工作簿中没有工作表", "the workbook has no sheets"),
    "xml_forbidden": (
        "文件含有不允许的 XML 结构（实体或文档类型声明），已拒绝",
        "the file holds forbidden XML (entities or a document type declaration)",
    ),
    "xml_broken": (
        "Excel 文件内容损坏（%(part)s 无法解析）",
        "the XLSX file is damaged (%(part)s cannot be parsed)",
    ),
    "bad_reference": (
        "单元格引用「%(value)s」无效",
        "the cell reference '%(value)s' is not valid",
    ),
    "bad_row_number": (
        "行号「%(value)s」无效（须大于上一行且不超过 1048576）",
        "the row number '%(value)s' is not valid (it must grow, up to 1048576)",
    ),
    "bad_shared_string": (
        "单元格引用了不存在的共享字符串「%(value)s」",
        "the cell refers to a shared string '%(value)s' that does not exist",
    ),
    "bad_cell_value": (
        "单元格的值「%(value)s」与其类型「%(kind)s」不符",
        "the cell value '%(value)s' does not fit its type '%(kind)s'",
    ),
    "encoding": (
        "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV",
        "cannot tell the file's encoding; save it as UTF-8 (or GBK) CSV",
    ),
    "nul_bytes": (
        "文件含有空字符（可能是 UTF-16 或 UTF-32 编码），请另存为 UTF-8 或 GBK 编码的 CSV",
        "the file holds NUL bytes (UTF-16 or UTF-32?); save it as UTF-8 CSV",
    ),
    "csv_broken": (
        "CSV 第 %(row)s 行无法解析（%(detail)s）",
        "row %(row)s cannot be parsed as CSV (%(detail)s)",
    ),
    "long_cell": (
        "单元格超过 %(max)s 个字符",
        "a cell is longer than %(max)s characters",
    ),
    "too_many_rows": ("超过 %(max)s 行，请拆分后导入", "more than %(max)s rows"),
    "too_many_columns": ("超过 %(max)s 列，请删去多余的列", "more than %(max)s columns"),
    "too_many_cells": (
        "单元格超过 %(max)s 个，请拆分后导入",
        "more than %(max)s cells",
    ),
}


def shown(value: Any, limit: int = 40) -> str:
    """A cell value fit to quote back: printable, valid Unicode, at most ``limit`` characters."""
    text = str(value)
    clean = "".join(
        ch if ch.isprintable() and not 0xD800 <= ord(ch) <= 0xDFFF else "\ufffd" for ch in text
    )
    return clean if len(clean) <= limit else clean[: limit - 1] + "…"


@dataclass(frozen=True)
class Problem:
    """One problem: a MESSAGES code and its parameters (values already ``shown``)."""

    code: str
    params: dict[str, Any] = field(default_factory=dict)

    def chinese(self) -> str:
        """The Chinese msgid with its parameters (untranslated: the web layer runs gettext)."""
        return MESSAGES[self.code][0] % self.params

    def english(self) -> str:
        return MESSAGES[self.code][1] % self.params


class TableError(Exception):
    """A problem that stops the reading of a whole file; ``row`` and ``column`` if known."""

    def __init__(self, problem: Problem, row: int | None = None, column: int | None = None):
        super().__init__(problem.english())
        self.problem = problem
        self.row = row
        self.column = column


class CellError(ValueError):
    """A cell that cannot be read as what its column needs."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.english())
        self.problem = problem


def problem(code: str, **params: Any) -> Problem:
    return Problem(code, {k: shown(v) if isinstance(v, str) else v for k, v in params.items()})
