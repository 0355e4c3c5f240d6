"""Organiser imports (批量导入) of XLSX/CSV files, and the template to fill in.

A file is read and validated whole; every problem is reported with its sheet, row, column and
reason, and nothing is written unless there is none (``services.values_import`` writes all rows
in one transaction). Large files report progress through their ``ImportBatch``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from saima.core.audit import record_event
from saima.engine import Scheme
from saima.org.models import User
from saima.org.permissions import may_edit_unit_data
from saima.races.errors import RaceError
from saima.races.models import ImportBatch, ImportStatus, Period, PeriodStatus, Report, ReportStatus
from saima.races.reporting.services import clean_value, safe_filename, values_import
from saima.races.schemes.selectors import parse_scheme

MAX_BYTES = 10 * 1024 * 1024
MAX_UNCOMPRESSED = 100 * 1024 * 1024
MAX_ROWS = 20_000
PROGRESS_EVERY = 500
UNIT_CODE_HEADERS = {"单位代码", "代码", "unit", "unit_code"}
UNIT_NAME_HEADERS = {"单位名称", "名称", "单位", "name", "unit_name"}

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class ImportIssue:
    """One problem in an uploaded file: where it is, and why."""

    sheet: str
    row: int | None
    column: str
    reason: str


@dataclass
class ParsedImport:
    values: dict[int, dict[str, float | None]]
    issues: list[ImportIssue]
    rows: int


class ImportRefused(Exception):
    def __init__(self, issue: ImportIssue) -> None:
        super().__init__(issue.reason)
        self.issue = issue


def indicator_header(indicator: Any) -> str:
    return f"{indicator.name}（{indicator.unit}）" if indicator.unit else indicator.name


def template_headers(scheme: Scheme) -> list[str]:
    return ["单位代码", "单位名称", *[indicator_header(i) for i in scheme.indicators]]


# ---------------------------------------------------------------- reading files


def _decode_csv(content: bytes, sheet: str) -> str:
    if content.startswith(b"\xef\xbb\xbf"):
        return content[3:].decode("utf-8", errors="strict")
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    for encoding in ("utf-8", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportRefused(
        ImportIssue(sheet, None, "", _("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV"))
    )


def _read_csv(name: str, content: bytes) -> tuple[str, list[list[Any]]]:
    text = _decode_csv(content, name)
    rows = list(csv.reader(io.StringIO(text)))
    return name, rows


def _read_xlsx(name: str, content: bytes) -> tuple[str, list[list[Any]]]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNCOMPRESSED:
                raise ImportRefused(
                    ImportIssue(name, None, "", _("文件解压后过大（超过 100 MB），请拆分后导入"))
                )
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=False)
    except ImportRefused:
        raise
    except Exception as exc:  # openpyxl raises many kinds for a broken file
        raise ImportRefused(
            ImportIssue(name, None, "", _("无法读取 Excel 文件（文件已损坏，或不是 .xlsx 格式）"))
        ) from exc
    sheet = workbook.worksheets[0]
    rows: list[list[Any]] = []
    formulas: list[ImportIssue] = []
    for r, row in enumerate(sheet.iter_rows(), start=1):
        if r > MAX_ROWS + 1:
            break
        values = []
        for c, cell in enumerate(row, start=1):
            if cell.data_type == "f":
                formulas.append(
                    ImportIssue(
                        sheet.title,
                        r,
                        _column(c, ""),
                        _("单元格含公式「%(formula)s」，请先复制后“粘贴为数值”")
                        % {"formula": str(cell.value)[:40]},
                    )
                )
                values.append(None)
            else:
                values.append(cell.value)
        rows.append(values)
    workbook.close()
    if formulas:
        raise _Many(formulas)
    return sheet.title, rows


class _Many(Exception):
    def __init__(self, issues: list[ImportIssue]) -> None:
        super().__init__(f"{len(issues)} issues")
        self.issues = issues


def read_table(name: str, content: bytes) -> tuple[str, list[list[Any]]]:
    """(sheet name, rows of cell values) of the first sheet of an .xlsx or a .csv file."""
    lower = name.lower()
    if not content.strip(b"\x00\r\n\t \xef\xbb\xbf"):
        raise ImportRefused(ImportIssue(name, None, "", _("文件是空的")))
    if len(content) > MAX_BYTES:
        raise ImportRefused(ImportIssue(name, None, "", _("文件超过 10 MB，请拆分后导入")))
    if lower.endswith(".csv"):
        return _read_csv(name, content)
    if lower.endswith(".xlsx"):
        return _read_xlsx(name, content)
    raise ImportRefused(ImportIssue(name, None, "", _("只支持 .xlsx 和 .csv 文件")))


# ---------------------------------------------------------------- validation


def _column(index: int, header: str) -> str:
    letter = get_column_letter(index)
    return f"{letter}（{header}）" if header else letter


def _norm(text: Any) -> str:
    return "".join(str(text or "").split()).replace("(", "（").replace(")", "）")


def _map_headers(
    scheme: Scheme, sheet: str, header: list[Any]
) -> tuple[dict[int, str], int | None, int | None, list[ImportIssue]]:
    """Column index → indicator code, the unit code and name columns, and header problems."""
    known: dict[str, str] = {}
    for indicator in scheme.indicators:
        for key in (indicator_header(indicator), indicator.name, indicator.code):
            known[_norm(key)] = indicator.code
    columns: dict[int, str] = {}
    code_col = name_col = None
    issues: list[ImportIssue] = []
    seen: dict[str, int] = {}
    for index, cell in enumerate(header):
        text = _norm(cell)
        where = _column(index + 1, str(cell or "").strip())
        if not text:
            continue
        if text in UNIT_CODE_HEADERS or text.lower() in UNIT_CODE_HEADERS:
            code_col = index
        elif text in UNIT_NAME_HEADERS or text.lower() in UNIT_NAME_HEADERS:
            name_col = index
        elif text in known:
            code = known[text]
            if code in seen:
                issues.append(
                    ImportIssue(
                        sheet,
                        1,
                        where,
                        _("指标列重复（与 %(letter)s 列相同）")
                        % {"letter": get_column_letter(seen[code] + 1)},
                    )
                )
            seen[code] = index
            columns[index] = code
        else:
            issues.append(
                ImportIssue(
                    sheet,
                    1,
                    where,
                    _("表头「%(header)s」不是本方案的指标") % {"header": str(cell).strip()},
                )
            )
    if code_col is None:
        issues.append(ImportIssue(sheet, 1, "", _("缺少「单位代码」列")))
    for indicator in scheme.indicators:
        if indicator.code not in seen:
            issues.append(
                ImportIssue(
                    sheet,
                    1,
                    "",
                    _("缺少指标列「%(header)s」") % {"header": indicator_header(indicator)},
                )
            )
    return columns, code_col, name_col, issues


def validate_rows(
    *,
    period: Period,
    actor: User,
    sheet: str,
    rows: list[list[Any]],
    progress: Progress | None = None,
) -> ParsedImport:
    """Check every row; collect every problem; values only count when there is none."""
    scheme = parse_scheme(period.race.scheme_toml)
    header = rows[0] if rows else []
    body = [
        (n, row)
        for n, row in enumerate(rows[1:], start=2)
        if any(str(c or "").strip() for c in row)
    ]
    if len(rows) > MAX_ROWS + 1:
        return ParsedImport(
            {},
            [ImportIssue(sheet, None, "", _("超过 %(max)s 行，请拆分后导入") % {"max": MAX_ROWS})],
            0,
        )
    columns, code_col, name_col, issues = _map_headers(scheme, sheet, header)
    if issues:
        return ParsedImport({}, issues, len(body))
    if not body:
        return ParsedImport({}, [ImportIssue(sheet, None, "", _("文件中没有数据行"))], 0)
    reports = {r.unit.code: r for r in Report.objects.filter(period=period).select_related("unit")}
    values: dict[int, dict[str, float | None]] = {}
    first_row: dict[str, int] = {}
    headers = {index: str(header[index]).strip() for index in columns}
    for done, (number, row) in enumerate(body, start=1):
        issues += _check_row(
            sheet,
            number,
            row,
            columns,
            headers,
            code_col,
            name_col,
            reports,
            first_row,
            values,
            actor,
        )
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(body))
    if progress:
        progress(len(body), len(body))
    return ParsedImport(values if not issues else {}, issues, len(body))


def _cell(row: list[Any], index: int | None) -> Any:
    return row[index] if index is not None and index < len(row) else None


def _check_row(
    sheet: str,
    number: int,
    row: list[Any],
    columns: dict[int, str],
    headers: dict[int, str],
    code_col: int | None,
    name_col: int | None,
    reports: dict[str, Report],
    first_row: dict[str, int],
    values: dict[int, dict[str, float | None]],
    actor: User,
) -> list[ImportIssue]:
    issues = []
    raw_code = _cell(row, code_col)
    code = str(raw_code).strip() if raw_code is not None else ""
    code_where = _column((code_col or 0) + 1, "单位代码")
    report = reports.get(code)
    if not code:
        return [ImportIssue(sheet, number, code_where, _("单位代码为空"))]
    if report is None:
        return [
            ImportIssue(
                sheet,
                number,
                code_where,
                _("单位代码「%(code)s」不是本期参赛单位") % {"code": code},
            )
        ]
    if code in first_row:
        return [
            ImportIssue(
                sheet,
                number,
                code_where,
                _("单位「%(name)s」重复出现（第 %(row)s 行已有）")
                % {"name": report.unit.name, "row": first_row[code]},
            )
        ]
    first_row[code] = number
    if not may_edit_unit_data(actor, report.unit):
        return [
            ImportIssue(
                sheet,
                number,
                code_where,
                _("您无权填报「%(name)s」的数据（不在您的管辖范围内）")
                % {"name": report.unit.name},
            )
        ]
    if report.status == ReportStatus.VERIFIED:
        issues.append(
            ImportIssue(
                sheet,
                number,
                code_where,
                _("「%(name)s」的数据已审核，不能通过导入覆盖") % {"name": report.unit.name},
            )
        )
    name = str(_cell(row, name_col) or "").strip()
    if name and name != report.unit.name:
        issues.append(
            ImportIssue(
                sheet,
                number,
                _column((name_col or 0) + 1, "单位名称"),
                _("单位名称「%(given)s」与代码「%(code)s」的单位「%(name)s」不一致")
                % {"given": name, "code": code, "name": report.unit.name},
            )
        )
    parsed: dict[str, float | None] = {}
    for index, indicator in columns.items():
        try:
            parsed[indicator] = clean_value(_cell(row, index))
        except RaceError as exc:
            issues.append(ImportIssue(sheet, number, _column(index + 1, headers[index]), str(exc)))
    values[report.unit_id] = parsed
    return issues


# ---------------------------------------------------------------- the batch (service + task body)


def import_start(*, actor: User, period: Period, upload: UploadedFile) -> ImportBatch:
    """Store the upload and queue its validation; the task writes all of it or nothing."""
    if period.status != PeriodStatus.OPEN:
        raise RaceError(_("本期填报已截止，不能导入"))
    if upload.size and upload.size > MAX_BYTES:
        raise RaceError(_("文件超过 10 MB，请拆分后导入"))
    name = safe_filename(upload.name or "import")
    with transaction.atomic():
        batch = ImportBatch(period=period, filename=name, uploaded_by=actor)
        batch.file.save(name, upload, save=False)
        batch.save()
        record_event(
            actor=actor,
            action="races.import.upload",
            obj=batch,
            after={"period": period.pk, "file": name, "size": upload.size},
        )
        from saima.races.reporting.tasks import run_import

        transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    return batch


def _set_progress(batch_id: int) -> Progress:
    def progress(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(done_rows=done, total_rows=total)

    return progress


def import_run(batch_id: int) -> ImportBatch:
    batch = ImportBatch.objects.select_related("period__race", "uploaded_by").get(pk=batch_id)
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.RUNNING)
    with batch.file.open("rb") as handle:
        content = handle.read()
    issues: list[ImportIssue]
    try:
        sheet, rows = read_table(batch.filename, content)
        parsed = validate_rows(
            period=batch.period,
            actor=batch.uploaded_by,
            sheet=sheet,
            rows=rows,
            progress=_set_progress(batch_id),
        )
        issues = parsed.issues
        if not issues:
            values_import(
                actor=batch.uploaded_by,
                period=batch.period,
                values=parsed.values,
                source=f"import #{batch.pk} {batch.filename}",
            )
    except ImportRefused as exc:
        issues = [exc.issue]
    except _Many as exc:
        issues = exc.issues
    except RaceError as exc:
        issues = [ImportIssue(batch.filename, None, "", str(exc))]
    batch.refresh_from_db()
    batch.errors = [asdict(issue) for issue in issues]
    batch.status = ImportStatus.FAILED if issues else ImportStatus.APPLIED
    batch.applied_units = 0 if issues else len(parsed.values)
    batch.save(update_fields=["errors", "status", "applied_units"])
    if issues:
        with transaction.atomic():
            record_event(
                actor=batch.uploaded_by,
                action="races.import.refuse",
                obj=batch,
                after={"errors": len(issues)},
            )
    return batch


# ---------------------------------------------------------------- the template to fill in


def template_workbook(period: Period) -> bytes:
    scheme = parse_scheme(period.race.scheme_toml)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "填报"
    sheet.append(template_headers(scheme))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDECEA")
    for report in (
        Report.objects.filter(period=period)
        .select_related("unit")
        .order_by("group_code", "unit__path")
    ):
        sheet.append([report.unit.code, report.unit.name])
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 12
    sheet.column_dimensions["B"].width = 18
    for index in range(3, len(scheme.indicators) + 3):
        sheet.column_dimensions[get_column_letter(index)].width = 16
    notes = workbook.create_sheet("说明")
    notes.append(["指标", "代码", "单位", "方向", "说明"])
    for i in scheme.indicators:
        notes.append(
            [i.name, i.code, i.unit, "越高越好" if i.direction == "higher" else "越低越好", i.help]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv(period: Period) -> bytes:
    scheme = parse_scheme(period.race.scheme_toml)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(template_headers(scheme))
    for report in (
        Report.objects.filter(period=period)
        .select_related("unit")
        .order_by("group_code", "unit__path")
    ):
        writer.writerow([report.unit.code, report.unit.name])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
