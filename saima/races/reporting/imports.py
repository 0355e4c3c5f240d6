"""Organiser imports (批量导入) of XLSX/CSV files (the template: ``import_templates``).

Built on the shared machinery of ``saima.core.tabular`` (docs/imports.md):

1. ``import_start`` stores the upload (``core.uploads``) and queues ``run_import``;
2. ``import_run`` reads the file (bounded, hostile files refused), validates every row with every
   error located, and stores a **preview** — per unit new / changed (old → new) / unchanged /
   skipped — with a fingerprint of the stored values it was computed against. Any exception
   ends the batch as failed with a message: a batch never stays "校验中";
3. ``import_confirm`` writes the previewed rows, all or nothing, under a lock on the period, and
   refuses when the stored values changed since the preview; ``import_cancel`` drops it.

Rules: a row whose indicator cells are all blank is ignored; a blank cell never erases a stored
value; a unit becomes 已报送 only when every indicator has a value (as in the web form), otherwise
its values are saved as a draft; verified units are left alone, said once in a summary line.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_tasks import task

from saima.core.audit import record_event
from saima.core.models import ImportStatus
from saima.core.tabular.importing import (
    Column,
    FieldChange,
    ImportIssue,
    ImportRefused,
    Preview,
    PreviewRow,
    RowStatus,
    cell_issue,
    column_label,
    fingerprint,
    guarded,
    map_headers,
    read_upload,
    unexpected_issue,
)
from saima.core.tabular.limits import Limits
from saima.core.tabular.numbers import parse_number
from saima.core.tabular.problems import CellError, shown
from saima.core.tabular.reading import Sheet, is_blank
from saima.core.uploads import UploadRefused, upload_store
from saima.engine import Scheme
from saima.org.models import User
from saima.org.permissions import may_edit_unit_data
from saima.races.errors import RaceError
from saima.races.models import (
    ImportBatch,
    Period,
    PeriodStatus,
    Report,
    ReportedValue,
    ReportStatus,
)
from saima.races.reporting.import_templates import indicator_header, template_headers
from saima.races.schemes.selectors import indicator_problem, parse_scheme

MAX_BYTES = 10 * 1024 * 1024
LIMITS = Limits(max_bytes=MAX_BYTES)
PROGRESS_EVERY = 500
UNIT_CODE = "unit_code"
UNIT_NAME = "unit_name"

Progress = Callable[[int, int], None]


def import_columns(scheme: Scheme) -> list[Column]:
    return [
        Column(UNIT_CODE, "单位代码", ("代码", "unit", "unit_code")),
        Column(UNIT_NAME, "单位名称", ("名称", "单位", "name", "unit_name"), required=False),
        *[Column(i.code, indicator_header(i), (i.name, i.code)) for i in scheme.indicators],
    ]


# ---------------------------------------------------------------- validation


@dataclass
class UnitRow:
    """One validated row: the report it fills and its non-blank values."""

    row: int
    report: Report
    values: dict[str, float]


@dataclass
class Validated:
    rows: list[UnitRow] = field(default_factory=list)
    issues: list[ImportIssue] = field(default_factory=list)
    verified: list[Report] = field(default_factory=list)
    blank_rows: int = 0


@dataclass
class _Context:
    sheet: Sheet
    scheme: Scheme
    columns: dict[str, int]
    reports: dict[str, Report]
    actor: User
    first_row: dict[str, int] = field(default_factory=dict)


def validate_sheet(
    *, period: Period, actor: User, sheet: Sheet, progress: Progress | None = None
) -> Validated:
    """Check every row; collect every problem (sheet, row, column, reason)."""
    scheme = parse_scheme(period.race.scheme_toml)
    columns, issues = map_headers(sheet, import_columns(scheme))
    if issues:
        return Validated(issues=issues)
    reports = {r.unit.code: r for r in Report.objects.filter(period=period).select_related("unit")}
    context = _Context(sheet, scheme, columns, reports, actor)
    result = Validated()
    result.issues += [_overflow_issue(sheet, number) for number in sheet.overflow]
    for done, (number, cells) in enumerate(sheet.rows, start=1):
        _check_row(context, number, cells, result)
        if progress and done % PROGRESS_EVERY == 0:
            progress(done, len(sheet.rows))
    if progress:
        progress(len(sheet.rows), len(sheet.rows))
    if not result.rows and not result.verified and not result.issues:
        result.issues.append(ImportIssue(sheet.title, None, "", _("文件中没有填写任何指标数据")))
    result.issues.sort(key=lambda issue: issue.row or 0)
    return result


def _overflow_issue(sheet: Sheet, number: int) -> ImportIssue:
    return ImportIssue(
        sheet.title, number, "", _("此行在最后一个表头列的右侧还有内容，请删去或补上表头")
    )


def _check_row(context: _Context, number: int, cells: list[Any], result: Validated) -> None:
    sheet, columns = context.sheet, context.columns
    codes = [i.code for i in context.scheme.indicators]
    if all(is_blank(cells[columns[code]]) for code in codes):
        result.blank_rows += 1
        return
    report, issue = _row_report(context, number, cells)
    if issue is not None:
        result.issues.append(issue)
        return
    assert report is not None
    if report.status == ReportStatus.VERIFIED:
        result.verified.append(report)
        return
    values: dict[str, float] = {}
    for indicator in context.scheme.indicators:
        index = columns[indicator.code]
        try:
            value = parse_number(cells[index])
        except CellError as exc:
            result.issues.append(cell_issue(sheet, number, index, exc))
            continue
        if value is None:
            continue
        problem = indicator_problem(indicator, value)
        if problem:
            where = column_label(index + 1, sheet.header[index])
            result.issues.append(ImportIssue(sheet.title, number, where, problem))
        values[indicator.code] = value
    result.rows.append(UnitRow(number, report, values))


def _row_report(
    context: _Context, number: int, cells: list[Any]
) -> tuple[Report | None, ImportIssue | None]:
    sheet = context.sheet
    code_index = context.columns[UNIT_CODE]
    where = column_label(code_index + 1, "单位代码")
    raw = cells[code_index]
    code = str(raw).strip() if raw is not None else ""

    def refuse(reason: str, column: str = where) -> tuple[None, ImportIssue]:
        return None, ImportIssue(sheet.title, number, column, reason)

    if not code:
        return refuse(_("单位代码为空"))
    report = context.reports.get(code)
    if report is None:
        return refuse(_("单位代码「%(code)s」不是本期参赛单位") % {"code": shown(code)})
    if code in context.first_row:
        return refuse(
            _("单位「%(name)s」重复出现（第 %(row)s 行已有）")
            % {"name": report.unit.name, "row": context.first_row[code]}
        )
    context.first_row[code] = number
    if not may_edit_unit_data(context.actor, report.unit):
        return refuse(
            _("您无权填报「%(name)s」的数据（不在您的管辖范围内）") % {"name": report.unit.name}
        )
    name_index = context.columns.get(UNIT_NAME)
    name = str(cells[name_index] or "").strip() if name_index is not None else ""
    if name and name != report.unit.name:
        return refuse(
            _("单位名称「%(given)s」与代码「%(code)s」的单位「%(name)s」不一致")
            % {"given": shown(name), "code": code, "name": report.unit.name},
            column_label((name_index or 0) + 1, "单位名称"),
        )
    return report, None


# ---------------------------------------------------------------- preview


def _stored(reports: list[Report]) -> dict[int, dict[str, float]]:
    stored: dict[int, dict[str, float]] = {r.pk: {} for r in reports}
    for value in ReportedValue.objects.filter(report__in=reports, value__isnull=False):
        assert value.value is not None
        stored[value.report_id][value.indicator] = value.value
    return stored


def stored_state(reports: list[Report]) -> dict[str, Any]:
    """What a preview depends on: each report's status and stored values (fresh from the DB)."""
    fresh = list(Report.objects.filter(pk__in=[r.pk for r in reports]))
    stored = _stored(fresh)
    return {str(r.pk): {"status": r.status, "values": stored[r.pk]} for r in fresh}


def preview_build(period: Period, validated: Validated) -> tuple[Preview, str]:
    """(the preview, the fingerprint of the stored state it was computed against)."""
    scheme = parse_scheme(period.race.scheme_toml)
    labels = {i.code: indicator_header(i) for i in scheme.indicators}
    reports = [row.report for row in validated.rows]
    state = stored_state(reports + validated.verified)
    preview = Preview()
    for row in validated.rows:
        before = state[str(row.report.pk)]
        preview.rows.append(_preview_row(row, before, scheme.codes, labels))
    for report in validated.verified:
        preview.rows.append(
            PreviewRow(
                report.unit.code,
                report.unit.name,
                RowStatus.SKIPPED,
                note=_("已审核"),
                data={"report": report.pk},
            )
        )
    preview.summary = _summary(validated, preview)
    return preview, fingerprint(state)


def _preview_row(
    row: UnitRow, before: dict[str, Any], codes: tuple[str, ...], labels: dict[str, str]
) -> PreviewRow:
    old: dict[str, float] = before["values"]
    changes = [
        FieldChange(code, labels[code], old.get(code), value)
        for code, value in row.values.items()
        if old.get(code) != value
    ]
    merged = {**old, **row.values}
    complete = all(code in merged for code in codes)
    to_status = ReportStatus.SUBMITTED if complete else ReportStatus.DRAFT
    if before["status"] == ReportStatus.SUBMITTED and not changes:
        to_status = ReportStatus.SUBMITTED
    status = RowStatus.NEW if not old else RowStatus.CHANGED
    if not changes and to_status == before["status"]:
        status = RowStatus.UNCHANGED
    note = "" if to_status == before["status"] else _status_note(before["status"], to_status)
    if not complete:
        missing = [labels[c] for c in codes if c not in merged]
        note = f"{note}；" if note else note
        note += _("尚缺 %(names)s") % {"names": "、".join(missing)}
    return PreviewRow(
        row.report.unit.code,
        row.report.unit.name,
        status,
        changes,
        note,
        data={"report": row.report.pk, "row": row.row, "to_status": to_status},
    )


def _status_note(old: str, new: str) -> str:
    return f"{ReportStatus(old).label} → {ReportStatus(new).label}"


def _summary(validated: Validated, preview: Preview) -> list[str]:
    lines = []
    if validated.verified:
        names = "、".join(r.unit.name for r in validated.verified[:10])
        if len(validated.verified) > 10:
            names += _("等")
        count = len(validated.verified)
        lines.append(
            ngettext(
                "%(count)s 个已审核单位保持不变（已审核的数据不能通过导入修改）：%(names)s",
                "%(count)s 个已审核单位保持不变（已审核的数据不能通过导入修改）：%(names)s",
                count,
            )
            % {"count": count, "names": names}
        )
    if validated.blank_rows:
        lines.append(
            ngettext(
                "%(count)s 行未填写任何指标，已忽略",
                "%(count)s 行未填写任何指标，已忽略",
                validated.blank_rows,
            )
            % {"count": validated.blank_rows}
        )
    drafts = [r for r in preview.rows if r.data.get("to_status") == ReportStatus.DRAFT]
    if drafts:
        lines.append(
            ngettext(
                "%(count)s 个单位尚缺指标，导入后保存为草稿，不算报送",
                "%(count)s 个单位尚缺指标，导入后保存为草稿，不算报送",
                len(drafts),
            )
            % {"count": len(drafts)}
        )
    return lines


# ---------------------------------------------------------------- the batch: start, run, decide


def import_start(*, actor: Any, period: Period, upload: UploadedFile[Any]) -> ImportBatch:
    """Store the upload and queue its validation; nothing is written until it is confirmed."""
    with transaction.atomic():
        batch = _batch_store(actor=actor, period=period, upload=upload)
        transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    return batch


def _batch_store(*, actor: Any, period: Period, upload: UploadedFile[Any]) -> ImportBatch:
    if period.status != PeriodStatus.OPEN:
        raise RaceError(_("本期填报已截止，不能导入"))
    batch = ImportBatch(period=period, uploaded_by=actor)
    try:
        upload_store(
            actor=actor,
            instance=batch,
            field="file",
            name_field="filename",
            upload=upload,
            max_bytes=MAX_BYTES,
            action="races.import.upload",
            after={"period": period.pk},
            fallback="import",
        )
    except UploadRefused as exc:
        raise RaceError(str(exc)) from exc
    return batch


def import_values(
    *,
    actor: Any,
    period: Period,
    values: Mapping[str, Mapping[str, float | None]],
    filename: str,
) -> ImportBatch:
    """Import ``values`` (unit code → indicator code → value; None is a blank cell) the way an
    organiser's file is imported, by the same rules, without the queue: a CSV in the template's
    shape is stored, validated, previewed and confirmed. For the demo and tests, which hold
    numbers rather than files. RaceError naming the problems when the file is refused."""
    scheme = parse_scheme(period.race.scheme_toml)
    header = [template_headers(scheme)[0], *(indicator_header(i) for i in scheme.indicators)]
    lines = [",".join(header)]
    for code, row in values.items():
        lines.append(",".join([code, *(_csv_number(row.get(c)) for c in scheme.codes)]))
    upload = SimpleUploadedFile(filename, ("\n".join(lines) + "\n").encode())
    with transaction.atomic():
        batch = _batch_store(actor=actor, period=period, upload=upload)
    batch = import_run(batch.pk)
    if batch.status != ImportStatus.PREVIEW:
        found = "；".join(_issue_text(issue) for issue in batch.errors)
        raise RaceError(_("导入未通过校验：%(issues)s") % {"issues": found})
    return import_confirm(actor=actor, batch=batch)


def _issue_text(issue: dict[str, Any]) -> str:
    where = {"sheet": issue["sheet"], "row": issue["row"] or "", "column": issue["column"]}
    return str(_("%(sheet)s 第 %(row)s 行 %(column)s：") % where) + str(issue["reason"])


def _csv_number(value: float | None) -> str:
    """A cell the import reads back as exactly ``value`` (``repr`` round-trips a float)."""
    return "" if value is None else repr(float(value))


@task()
def run_import(batch_id: int) -> None:
    """Validate one uploaded file and store its preview (``import_run``)."""
    import_run(batch_id)


def _set_progress(batch_id: int) -> Progress:
    def progress(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch_id).update(done_rows=done, total_rows=total)

    return progress


def _preview_of(batch: ImportBatch) -> tuple[Preview, str]:
    with batch.file.open("rb") as handle:
        content = handle.read()
    sheet = read_upload(batch.filename, content, LIMITS)
    validated = validate_sheet(
        period=batch.period,
        actor=batch.uploaded_by,
        sheet=sheet,
        progress=_set_progress(batch.pk),
    )
    if validated.issues:
        raise ImportRefused(validated.issues)
    return preview_build(batch.period, validated)


def import_run(batch_id: int) -> ImportBatch:
    """Read, validate and preview a stored upload. Whatever happens, the batch ends as
    ``preview`` or ``failed`` with its errors: never left "校验中"."""
    batch = ImportBatch.objects.select_related("period__race", "uploaded_by").get(pk=batch_id)
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.RUNNING, errors=[])
    result, issues = guarded(batch.filename, lambda: _preview_of(batch))
    try:
        if issues:
            _fail(batch, issues)
        else:
            preview, stamp = result
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportStatus.PREVIEW, preview=preview.to_json(), fingerprint=stamp
            )
    except Exception as exc:  # storing the outcome failed: still end the batch
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, errors=[unexpected_issue(batch.filename, exc).as_dict()]
        )
    batch.refresh_from_db()
    return batch


def _fail(batch: ImportBatch, issues: list[ImportIssue]) -> None:
    with transaction.atomic():
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, errors=[i.as_dict() for i in issues], preview={}
        )
        record_event(
            actor=batch.uploaded_by,
            action="races.import.refuse",
            obj=batch,
            after={"errors": len(issues)},
        )


def _locked_batch(batch: ImportBatch) -> tuple[ImportBatch, Period]:
    """Lock the period first (imports into one period are serialised), then the batch."""
    period = Period.objects.select_for_update().get(pk=batch.period_id)
    locked = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if locked.status != ImportStatus.PREVIEW:
        raise RaceError(_("这批导入不在“待确认”状态"))
    return locked, period


def import_confirm(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Write the previewed rows, all or nothing; refuse if the stored data changed since."""
    with transaction.atomic():
        batch, period = _locked_batch(batch)
        if period.status != PeriodStatus.OPEN:
            raise RaceError(_("本期填报已截止，不能导入"))
        preview = Preview.from_json(batch.preview)
        ids = [int(k) for k in _report_ids(preview)]
        reports = list(Report.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
        if fingerprint(stored_state(reports)) != batch.fingerprint:
            raise RaceError(_("预览之后，这些单位的数据已有变化；请重新预览后再确认"))
        applied = _apply(preview, {r.pk: r for r in reports})
        batch.status, batch.applied_units = ImportStatus.APPLIED, applied
        batch.save(update_fields=["status", "applied_units"])
        record_event(
            actor=actor,
            action="races.report.import",
            obj=period,
            reason=f"import #{batch.pk} {batch.filename}",
            after={
                "batch": batch.pk,
                "counts": preview.counts(),
                "applied": applied,
                "units": _audit_units(preview),
            },
        )
    return batch


def _report_ids(preview: Preview) -> list[str]:
    return [str(r.data["report"]) for r in preview.rows if "report" in r.data]


def _apply(preview: Preview, reports: dict[int, Report]) -> int:
    existing = {
        (v.report_id, v.indicator): v
        for v in ReportedValue.objects.filter(report__in=list(reports.values()))
    }
    new, changed, touched = [], [], []
    now = timezone.now()
    for row in preview.rows:
        if row.status not in (RowStatus.NEW, RowStatus.CHANGED):
            continue
        report = reports[int(row.data["report"])]
        for change in row.changes:
            current = existing.get((report.pk, change.key))
            if current is None:
                new.append(ReportedValue(report=report, indicator=change.key, value=change.new))
            else:
                current.value = change.new
                changed.append(current)
        report.status = row.data["to_status"]
        if report.status == ReportStatus.SUBMITTED:
            report.submitted_at, report.comment = now, ""
        touched.append(report)
    ReportedValue.objects.bulk_create(new, batch_size=2000)
    ReportedValue.objects.bulk_update(changed, ["value"], batch_size=2000)
    Report.objects.bulk_update(touched, ["status", "submitted_at", "comment"], batch_size=2000)
    return len(touched)


def _audit_units(preview: Preview) -> dict[str, Any]:
    return {
        row.key: {
            "status": row.status,
            "to": row.data.get("to_status", ""),
            "values": {c.key: [c.old, c.new] for c in row.changes},
        }
        for row in preview.rows
        if row.status in (RowStatus.NEW, RowStatus.CHANGED)
    }


def import_cancel(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Drop a preview: nothing is written."""
    with transaction.atomic():
        batch, _period = _locked_batch(batch)
        batch.status = ImportStatus.CANCELLED
        batch.save(update_fields=["status"])
        record_event(actor=actor, action="races.import.cancel", obj=batch)
    return batch


def import_repreview(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Validate the same file again against the data as it is now (after a stale preview)."""
    with transaction.atomic():
        batch, period = _locked_batch(batch)
        if period.status != PeriodStatus.OPEN:
            raise RaceError(_("本期填报已截止，不能导入"))
        batch.status, batch.done_rows, batch.total_rows = ImportStatus.PENDING, 0, 0
        batch.save(update_fields=["status", "done_rows", "total_rows"])
        record_event(actor=actor, action="races.import.repreview", obj=batch)
        pk = batch.pk
        transaction.on_commit(lambda: run_import.enqueue(pk))
    return batch
