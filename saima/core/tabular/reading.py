"""Read the first sheet of an uploaded .xlsx or .csv file, robustly and within limits.

Django-free (``saima rank`` uses it too). ``read_table`` returns a ``Sheet``: its title, the header
(the first non-blank row) and the non-blank rows under it, each cut or padded to the header's
width and numbered as the spreadsheet numbers them. Everything that can go wrong with the file
itself raises ``TableError`` with a ``Problem``; nothing else escapes (the callers still guard).

Limits (``Limits``) bound the work whatever the file declares: its size, its unpacked size, rows,
columns (only the header's columns are kept), cells and characters per cell. The XLSX reader
ignores the sheet's declared dimension and refuses XML entities (defusedxml).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from saima.core.tabular.limits import MIB, Limits
from saima.core.tabular.problems import TableError, problem
from saima.core.tabular.xlsx import xlsx_rows

UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
UTF8_BOM = b"\xef\xbb\xbf"


@dataclass
class Sheet:
    """A read table: ``rows`` are (spreadsheet row number, cells as wide as the header)."""

    title: str
    header: list[Any]
    header_row: int = 1
    rows: list[tuple[int, list[Any]]] = field(default_factory=list)
    overflow: list[int] = field(default_factory=list)  # rows with text right of the header


def read_table(name: str, content: bytes, limits: Limits | None = None) -> Sheet:
    """The first sheet of an .xlsx or the rows of a .csv file; ``TableError`` on any problem."""
    limits = limits or Limits()
    if len(content) > limits.max_bytes:
        raise TableError(problem("too_big", mib=limits.max_bytes // MIB))
    if not content.strip(b"\x00\r\n\t \xef\xbb\xbf"):
        raise TableError(problem("empty"))
    lower = name.lower()
    if lower.endswith(".csv"):
        return sheet_of(name, _csv_rows(content, limits), limits)
    if lower.endswith(".xlsx"):
        title, rows = xlsx_rows(content, limits)
        return sheet_of(title, rows, limits)
    raise TableError(problem("file_type"))


def is_blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def sheet_of(title: str, rows: Iterable[tuple[int, list[Any]]], limits: Limits) -> Sheet:
    """Find the header, cut every row to its width, drop blank rows, check the limits."""
    sheet: Sheet | None = None
    width = 0
    for number, cells in rows:
        if all(is_blank(c) for c in cells):
            continue
        if sheet is None:
            width = max(i + 1 for i, c in enumerate(cells) if not is_blank(c))
            if width > limits.max_columns:
                raise TableError(problem("too_many_columns", max=limits.max_columns), number)
            sheet = Sheet(title, [_text(c) for c in cells[:width]], number)
            _check_lengths(sheet.header, number, limits)
            continue
        kept = (list(cells[:width]) + [None] * width)[:width]
        if any(not is_blank(c) for c in cells[width:]):
            sheet.overflow.append(number)
        if all(is_blank(c) for c in kept):
            continue
        _check_lengths(kept, number, limits)
        sheet.rows.append((number, kept))
    if sheet is None:
        raise TableError(problem("empty"))
    return sheet


def _text(cell: Any) -> Any:
    return cell.strip() if isinstance(cell, str) else cell


def _check_lengths(cells: list[Any], number: int, limits: Limits) -> None:
    for index, cell in enumerate(cells):
        if isinstance(cell, str) and len(cell) > limits.max_cell_chars:
            raise TableError(problem("long_cell", max=limits.max_cell_chars), number, index + 1)


# ---------------------------------------------------------------- CSV


def decode_csv(content: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with a BOM, or GBK/GB18030; refuse anything else."""
    if content.startswith(UTF32_BOMS):
        raise TableError(problem("encoding"))
    try:
        if content.startswith(UTF16_BOMS):
            text = content.decode("utf-16")
        elif b"\x00" in content:
            raise TableError(problem("nul_bytes"))
        elif content.startswith(UTF8_BOM):
            text = content[len(UTF8_BOM) :].decode("utf-8")
        else:
            text = _utf8_or_gbk(content)
    except UnicodeDecodeError as exc:
        raise TableError(problem("encoding")) from exc
    if "\x00" in text:
        raise TableError(problem("nul_bytes"))
    if any(0xD800 <= ord(ch) <= 0xDFFF for ch in text):
        raise TableError(problem("encoding"))
    return text


def _utf8_or_gbk(content: bytes) -> str:
    try:
        return content.decode("utf-8")
    except UnicodeDecodeError:
        return content.decode("gb18030")


def _csv_rows(content: bytes, limits: Limits) -> Iterator[tuple[int, list[Any]]]:
    text = decode_csv(content)
    # newline="" lets the csv module see \r, \n and \r\n line ends alike (CR-only files too)
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    try:
        for number, row in enumerate(reader, start=1):
            if number > limits.max_rows + 1:
                raise TableError(problem("too_many_rows", max=limits.max_rows), number)
            if len(row) > limits.max_columns and any(c.strip() for c in row[limits.max_columns :]):
                raise TableError(problem("too_many_columns", max=limits.max_columns), number)
            yield number, list(row)
    except csv.Error as exc:
        if "field larger than field limit" in str(exc):
            raise TableError(
                problem("long_cell", max=limits.max_cell_chars), reader.line_num
            ) from exc
        raise TableError(
            problem("csv_broken", row=reader.line_num or number + 1, detail=str(exc))
        ) from exc
