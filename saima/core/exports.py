"""Safe exports for every app: CSV and XLSX tables, download file names, HTTP responses.

Every CSV and XLSX that Saima serves is written here (or through ``saima.core.tabular.writing``),
so no cell can reach a spreadsheet as a live formula, no sheet title makes openpyxl fail, and no
file name breaks the ``Content-Disposition`` header (RFC 6266, with RFC 5987 ``filename*`` for
Chinese names).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.styles import Font

from saima.core.tabular.writing import append_row, csv_text, sheet_title

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
_NAME_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


@dataclass(frozen=True)
class Table:
    title: str
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def plain(value: Any) -> Any:
    """A value a table cell can hold: ``""`` for None, 是/否 for booleans, times in the site's
    time zone to the second (``2026-12-02 19:04:05``), dates as ``2026-12-02``, text for the rest."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dt.datetime):
        moment = timezone.localtime(value) if timezone.is_aware(value) else value
        return moment.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int | float | str):
        return value
    return str(value)


def table_csv(table: Table) -> bytes:
    """UTF-8 CSV with a BOM (so Excel opens Chinese correctly), every cell neutralised."""
    text = csv_text(table.headers, ([plain(v) for v in row] for row in table.rows))
    return ("\ufeff" + text).encode("utf-8")


def table_xlsx(table: Table) -> bytes:
    return tables_xlsx([table])


def tables_xlsx(tables: Sequence[Table]) -> bytes:
    """One workbook, one sheet per table (in order), each with a bold, frozen header."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    for index, table in enumerate(tables):
        sheet = first if index == 0 else workbook.create_sheet()
        sheet.title = sheet_title(table.title)
        append_row(sheet, list(table.headers))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in table.rows:
            append_row(sheet, [plain(v) for v in row])
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def safe_download_name(name: str, fallback: str = "download") -> str:
    """A file name without path separators, control or reserved characters, ≤ 120 characters."""
    clean = _NAME_FORBIDDEN.sub("_", name).strip(" ._")
    return clean[-120:] if clean else fallback


def attachment_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    """A download; the name is sanitised and sent as ``filename*`` when it is not ASCII."""
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(True, safe_download_name(filename))
    return response


def stored_attachment(
    file: FieldFile, name: str, content_type: str = "application/octet-stream"
) -> FileResponse:
    """Stream a stored file as a download under its original (possibly Chinese) name, cleaned
    of path separators and control characters (sent as RFC 5987 ``filename*``)."""
    return FileResponse(
        file.open("rb"),
        as_attachment=True,
        filename=safe_download_name(name),
        content_type=content_type,
    )


def table_response(table: Table, fmt: str, filename: str) -> HttpResponse:
    """The table as ``filename.xlsx`` or ``filename.csv``."""
    if fmt == "xlsx":
        return attachment_response(table_xlsx(table), XLSX, f"{filename}.xlsx")
    return attachment_response(table_csv(table), CSV, f"{filename}.csv")
