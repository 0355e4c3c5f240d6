"""Safe CSV and XLSX writing, and the one cell formatter for results (Django-free).

OWASP "CSV injection": a spreadsheet runs a cell that begins with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return as a formula. ``neutralise`` puts a ``'`` in front of such text, unless
the text is a plain number (``-12.5``, ``-1e-05``: negative numbers stay numbers). In XLSX every
text is written as a string cell (openpyxl would otherwise store text starting with ``=`` as a
formula), so it can never run, and is neutralised as in CSV.

defusedcsv was considered: it leaves tab and carriage return alone and quotes ``-1e-05``, so the
rule is written here, in one place, and tested against the OWASP payloads.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def neutralise(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, made inert; anything else unchanged.

    >>> neutralise("=HYPERLINK(\\"http://x\\")"), neutralise("-12.5"), neutralise(-3), neutralise("@SUM(1)")
    ('\\'=HYPERLINK("http://x")', '-12.5', -3, "'@SUM(1)")
    """
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def result_cell(value: Any) -> str:
    """A result cell as text, the same in ``saima rank`` output and in a kit's result.csv:
    empty for None, ``true``/``false``, floats by ``repr`` (every digit), the rest by ``str``."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def csv_text(
    header: Sequence[Any], rows: Iterable[Sequence[Any]], *, lineterminator: str = "\r\n"
) -> str:
    """CSV text with every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=lineterminator)
    writer.writerow([neutralise(c) for c in header])
    for row in rows:
        writer.writerow([neutralise(c) for c in row])
    return out.getvalue()


def sheet_title(title: str, fallback: str = "Sheet1") -> str:
    """A valid worksheet title: no ``[]:*?/\\`` or control characters, not quoted, ≤ 31 chars."""
    clean = _SHEET_FORBIDDEN.sub("_", title).strip().strip("'")[:31].strip()
    return clean if clean and clean.lower() != "history" else fallback


def append_row(sheet: Any, values: Sequence[Any]) -> None:
    """Append a row to an openpyxl sheet: text as string cells (never formulas), neutralised."""
    from openpyxl.cell import Cell

    cells = []
    for value in values:
        if isinstance(value, str):
            cell = Cell(sheet, value=neutralise(value))
            cell.data_type = "s"
            cells.append(cell)
        else:
            cells.append(Cell(sheet, value=value))
    sheet.append(cells)
