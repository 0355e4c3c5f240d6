"""XLSX/CSV imports into a key-project list, through the shared path of ``saima.core.tabular``
(docs/imports.md): store → read (bounded) → map headers → validate every row → preview with a
fingerprint → confirm all or nothing.

1. ``import_start`` stores the upload (``core.uploads``) and queues ``run_import``;
2. ``import_run`` validates and stores the preview (new / changed old → new / unchanged /
   skipped) with the fingerprint of the stored state it compared against; any exception ends
   the batch as failed with a message;
3. ``import_confirm`` locks the list, recomputes the fingerprint, refuses a stale preview, and
   writes every previewed row in one transaction with one audit event naming each change.

The row rules are in ``import_rows``; the checks against the register are here: unknown units,
units outside the uploader's scope (另一单位), localities outside the list's owner, codes twice
in one file, reports for projects not on the list or not the uploader's, investment below an
earlier month's without a correction reason.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from saima.core.audit import record_event
from saima.core.models import ImportStatus
from saima.core.tabular.importing import (
    FieldChange,
    ImportRefused,
    Preview,
    PreviewRow,
    RowStatus,
    fingerprint,
    guarded,
    map_headers,
    read_upload,
    unexpected_issue,
)
from saima.core.tabular.limits import Limits
from saima.core.tabular.problems import CellError
from saima.core.tabular.writing import csv_text
from saima.core.uploads import UploadRefused, upload_store
from saima.projects import import_state
from saima.projects.errors import ProjectError
from saima.projects.import_cells import CellProblem, parse_code
from saima.projects.import_rows import (
    INFORMATIVE,
    PROJECT_COLUMNS,
    REPORT_COLUMNS,
    RowReader,
    is_empty_row,
    project_row,
    report_row,
)
from saima.projects.import_state import label_of
from saima.projects.models import ImportBatch, ImportKind, ProjectList
from saima.projects.permissions import may_import_reports, may_manage_list
from saima.projects.services import require

MAX_BYTES = 10 * 1024 * 1024
LIMITS = Limits(max_bytes=MAX_BYTES, max_rows=20_000)


# ---------------------------------------------------------------- validate and preview


def _read_rows(
    batch: ImportBatch, content: bytes
) -> tuple[RowReader, dict[str, tuple[int, dict[str, str]]]]:
    sheet = read_upload(batch.filename, content, LIMITS)
    columns = PROJECT_COLUMNS if batch.kind == ImportKind.PROJECTS else REPORT_COLUMNS
    found, issues = map_headers(sheet, columns)
    reader = RowReader(sheet, found, issues)
    if issues:
        raise ImportRefused(issues)
    rows: dict[str, tuple[int, dict[str, str]]] = {}
    parse = project_row if batch.kind == ImportKind.PROJECTS else report_row
    seen: dict[str, int] = {}
    for number, cells in sheet.rows:
        if is_empty_row(cells):
            continue
        code = _quiet_code(reader.raw(cells, "code"))
        if code and code in seen:
            reader.problem(
                number,
                "code",
                _("项目代码「%(code)s」在第 %(row)s 行已出现过")
                % {"code": code, "row": seen[code]},
            )
            continue
        if code:
            seen[code] = number
        values = parse(reader, number, cells)
        if code:  # checked against the register too, even when a cell was refused
            rows[code] = (number, values)
    for number in sheet.overflow:
        reader.problem(number, "code", _("表头以外的列有内容，请删除或补上表头"))
    if not rows and not reader.issues:
        reader.problem(sheet.header_row, "code", _("文件中没有可导入的行"))
    return reader, rows


def _quiet_code(raw: Any) -> str:
    """The row's code if it reads as one (its problems are reported by the row's own check)."""
    try:
        return parse_code(raw)
    except (CellError, CellProblem):
        return ""


def preview_batch(batch: ImportBatch, content: bytes) -> tuple[Preview, str]:
    """Validate the whole file; the preview and its fingerprint, or ``ImportRefused``."""
    reader, rows = _read_rows(batch, content)
    plist = batch.project_list
    if batch.kind == ImportKind.PROJECTS:
        checked = import_state.check_projects(plist, batch.uploaded_by, reader, rows)
        state = import_state.projects_state(plist, list(checked))
    else:
        month = batch.month or 0
        checked = import_state.check_reports(plist, month, batch.uploaded_by, reader, rows)
        state = import_state.reports_state(plist, month, list(checked))
    if reader.issues:
        raise ImportRefused(reader.issues)
    return _preview(checked, state), fingerprint(state)


def _preview(rows: Mapping[str, dict[str, str]], state: Mapping[str, dict[str, Any]]) -> Preview:
    preview = Preview()
    for code, values in rows.items():
        stored = state[code]
        changes = [
            FieldChange(key, label_of(key), stored.get(key, ""), value)
            for key, value in values.items()
            if key not in INFORMATIVE and key != "code" and stored.get(key, "") != value
        ]
        if stored.get("skip"):
            status, note = RowStatus.SKIPPED, str(stored.get("note", ""))
            changes = []
        elif not stored.get("exists"):
            status, note = RowStatus.NEW, ""
        else:
            status = RowStatus.CHANGED if changes else RowStatus.UNCHANGED
            note = ""
        label = values.get("name") or str(stored.get("name", code))
        preview.rows.append(PreviewRow(code, label, status, changes, note, data=values))
    skipped = sum(1 for row in preview.rows if row.status == RowStatus.SKIPPED)
    if skipped:
        preview.summary.append(
            _("%(n)s 个项目本月已报送，已跳过（更正请在项目页面操作）") % {"n": skipped}
        )
    return preview


# ---------------------------------------------------------------- the batch


def import_start(
    *,
    actor: Any,
    plist: ProjectList,
    kind: str,
    upload: UploadedFile[Any],
    month: int | None = None,
) -> ImportBatch:
    """Store the upload and queue its validation; nothing is written until it is confirmed."""
    with transaction.atomic():
        batch = _batch_store(actor=actor, plist=plist, kind=kind, upload=upload, month=month)
        transaction.on_commit(lambda: run_import.enqueue(batch.pk))
    return batch


def _may_import(actor: Any, plist: ProjectList, kind: str) -> bool:
    if kind == ImportKind.PROJECTS:
        return may_manage_list(actor, plist)
    return may_import_reports(actor, plist)


def _batch_store(
    *, actor: Any, plist: ProjectList, kind: str, upload: UploadedFile[Any], month: int | None
) -> ImportBatch:
    require(actor, _may_import(actor, plist, kind))
    if kind == ImportKind.REPORTS and (month is None or not 1 <= month <= 12):
        raise ProjectError(_("请选择填报月份"))
    today = timezone.localdate()
    if kind == ImportKind.REPORTS and (plist.year, month or 0) > (today.year, today.month):
        raise ProjectError(_("%(y)s年%(m)s月尚未开始，不能填报") % {"y": plist.year, "m": month})
    batch = ImportBatch(
        project_list=plist,
        kind=kind,
        month=month if kind == ImportKind.REPORTS else None,
        uploaded_by=actor,
    )
    try:
        upload_store(
            actor=actor,
            instance=batch,
            field="file",
            name_field="filename",
            upload=upload,
            max_bytes=MAX_BYTES,
            suffixes=(".xlsx", ".csv"),
            action="projects.import.upload",
            after={"list": plist.code, "kind": kind, "month": month},
            fallback="import",
        )
    except UploadRefused as exc:
        raise ProjectError(str(exc)) from exc
    return batch


@task()
def run_import(batch_id: int) -> None:
    """Validate one uploaded file and store its preview (``import_run``)."""
    import_run(batch_id)


def _preview_of(batch: ImportBatch) -> tuple[Preview, str]:
    with batch.file.open("rb") as handle:
        content = handle.read(MAX_BYTES + 1)
    return preview_batch(batch, content)


def import_run(batch_id: int) -> ImportBatch:
    """Read, validate and preview a stored upload; the batch always ends previewed or failed."""
    batch = ImportBatch.objects.select_related("project_list__owner", "uploaded_by").get(
        pk=batch_id
    )
    ImportBatch.objects.filter(pk=batch_id).update(status=ImportStatus.RUNNING, errors=[])
    result, issues = guarded(batch.filename, lambda: _preview_of(batch))
    try:
        if issues:
            with transaction.atomic():
                ImportBatch.objects.filter(pk=batch_id).update(
                    status=ImportStatus.FAILED, errors=[i.as_dict() for i in issues], preview={}
                )
                record_event(
                    actor=batch.uploaded_by,
                    action="projects.import.refuse",
                    obj=batch,
                    after={"errors": len(issues)},
                )
        else:
            preview, stamp = result
            ImportBatch.objects.filter(pk=batch_id).update(
                status=ImportStatus.PREVIEW,
                preview=preview.to_json(),
                fingerprint=stamp,
                total_rows=len(preview.rows),
                done_rows=len(preview.rows),
            )
    except Exception as exc:  # storing the outcome failed: still end the batch
        ImportBatch.objects.filter(pk=batch_id).update(
            status=ImportStatus.FAILED, errors=[unexpected_issue(batch.filename, exc).as_dict()]
        )
    batch.refresh_from_db()
    return batch


def _locked(batch: ImportBatch) -> tuple[ImportBatch, ProjectList]:
    """Lock the list first (imports into one list are serialised), then the batch."""
    plist = (
        ProjectList.objects.select_for_update()
        .select_related("owner")
        .get(pk=batch.project_list_id)
    )
    locked = ImportBatch.objects.select_for_update().select_related("uploaded_by").get(pk=batch.pk)
    if locked.status != ImportStatus.PREVIEW:
        raise ProjectError(_("这批导入不在“待确认”状态"))
    return locked, plist


def import_confirm(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Write the previewed rows, all or nothing; refuse if the stored data changed since."""
    require(actor, _may_import(actor, batch.project_list, batch.kind))
    with transaction.atomic():
        batch, plist = _locked(batch)
        preview = Preview.from_json(batch.preview)
        codes = [row.key for row in preview.rows]
        if batch.kind == ImportKind.PROJECTS:
            state = import_state.projects_state(plist, codes, lock=True)
        else:
            state = import_state.reports_state(plist, batch.month or 0, codes, lock=True)
        if fingerprint(state) != batch.fingerprint:
            raise ProjectError(_("预览之后，这些项目的数据已有变化；请重新校验后再确认"))
        if batch.kind == ImportKind.PROJECTS:
            applied = import_state.apply_projects(actor, plist, preview, batch.filename)
        else:
            applied = import_state.apply_reports(actor, plist, batch.month or 0, preview)
        batch.status, batch.applied_rows = ImportStatus.APPLIED, applied
        batch.save(update_fields=["status", "applied_rows"])
        record_event(
            actor=actor,
            action=f"projects.import.{batch.kind}",
            obj=plist,
            reason=f"import #{batch.pk} {batch.filename}",
            after={
                "batch": batch.pk,
                "month": batch.month,
                "counts": preview.counts(),
                "applied": applied,
                "rows": {
                    row.key: {c.key: [c.old, c.new] for c in row.changes}
                    for row in preview.rows
                    if row.status in (RowStatus.NEW, RowStatus.CHANGED)
                },
            },
        )
    return batch


def import_cancel(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Drop a preview: nothing is written."""
    require(actor, _may_import(actor, batch.project_list, batch.kind))
    with transaction.atomic():
        batch, _plist = _locked(batch)
        batch.status = ImportStatus.CANCELLED
        batch.save(update_fields=["status"])
        record_event(actor=actor, action="projects.import.cancel", obj=batch)
    return batch


def import_rows(
    *,
    actor: Any,
    plist: ProjectList,
    kind: str,
    headers: list[str],
    rows: list[list[Any]],
    filename: str,
    month: int | None = None,
) -> ImportBatch:
    """Import rows the way a file is imported (same rules, without the queue): a CSV is stored,
    validated, previewed and confirmed. For the demo and tests; ProjectError naming every
    problem when the rows are refused."""
    content = ("\ufeff" + csv_text(headers, rows)).encode("utf-8")
    upload = SimpleUploadedFile(filename, content)
    with transaction.atomic():
        batch = _batch_store(actor=actor, plist=plist, kind=kind, upload=upload, month=month)
    batch = import_run(batch.pk)
    if batch.status != ImportStatus.PREVIEW:
        found = "；".join(issue_text(issue) for issue in batch.errors)
        raise ProjectError(_("导入未通过校验：%(issues)s") % {"issues": found})
    return import_confirm(actor=actor, batch=batch)


def issue_text(issue: Mapping[str, Any]) -> str:
    where = {"sheet": issue["sheet"], "row": issue["row"] or "", "column": issue["column"]}
    return str(_("%(sheet)s 第 %(row)s 行 %(column)s：") % where) + str(issue["reason"])
