"""Reporting pages: a project's monthly report (form, or read-only), and XLSX/CSV imports
(upload, template, preview, confirm or cancel)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.core.exports import CSV, XLSX, attachment_response
from saima.core.models import ImportStatus
from saima.core.tabular.importing import Preview
from saima.core.workflow import ActionForbidden
from saima.projects import import_templates, imports, reporting
from saima.projects.errors import ProjectError
from saima.projects.forms import ImportForm, ReportForm
from saima.projects.models import (
    ImportBatch,
    ImportKind,
    Milestone,
    MonthlyReport,
    Project,
    ReportStatus,
)
from saima.projects.permissions import (
    may_correct_report,
    may_import_reports,
    may_manage_list,
    may_report,
    may_see_problems,
    may_view_photo,
    may_view_project,
)
from saima.projects.views import visible_list


def _initial(report: MonthlyReport | None, project: Project) -> dict[str, Any]:
    reached = {m.milestone: m.reached_on for m in project.milestones.all()}
    initial: dict[str, Any] = {f"milestone_{code}": date for code, date in reached.items()}
    if report is not None:
        initial.update(
            {
                name: getattr(report, name)
                for name in (
                    "cumulative_investment",
                    "physical_progress",
                    "progress_note",
                    "problems",
                    "problems_public",
                    "correction_reason",
                )
            }
        )
    return initial


def _check_month(year: int, month: int) -> None:
    today = timezone.localdate()
    if not 2000 <= year <= today.year or not 1 <= month <= 12:
        raise Http404
    if (year, month) > (today.year, today.month):
        raise Http404


def report_edit(request: HttpRequest, code: str, year: int, month: int) -> HttpResponse:
    project = get_object_or_404(
        Project.objects.select_related("owner_unit", "locality__parent"), code=code
    )
    if not may_view_project(request.user, project):
        raise Http404
    _check_month(year, month)
    report = (
        MonthlyReport.objects.filter(project=project, year=year, month=month)
        .prefetch_related("photos")
        .first()
    )
    if report is None or report.status == ReportStatus.DRAFT:
        editable = may_report(request.user, project)
    else:
        editable = may_correct_report(request.user, report)
    form = ReportForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        initial=_initial(report, project),
    )
    if request.method == "POST" and not editable:
        if not (report is not None and may_report(request.user, project)):
            raise PermissionDenied
        # the unit's own second submit (a double click, or two tabs): say why, change nothing
        messages.error(
            request, _("本月报告已经报送，不能再修改；如需更正，请联系重点项目清单的管理部门")
        )
    elif request.method == "POST" and form.is_valid():
        saved = _save(request, project, year, month, form)
        if saved is not None:
            return redirect("projects:report", project.code, year, month)
    previous = reporting.previous_report(project, year, month)
    context = {
        "project": project,
        "year": year,
        "month": month,
        "report": report,
        "form": form,
        "editable": editable,
        "correcting": report is not None and report.status == ReportStatus.SUBMITTED,
        "previous": previous,
        "due": reporting.due_for_project(project, year, month),
        "problems_visible": report is None or may_see_problems(request.user, report),
        "photos": [p for p in report.photos.all() if may_view_photo(request.user, p)]
        if report
        else [],
        "milestone_labels": dict(Milestone.choices),
    }
    return render(request, "projects/report_form.html", context)


def _save(
    request: HttpRequest, project: Project, year: int, month: int, form: ReportForm
) -> MonthlyReport | None:
    submit = "submit" in request.POST
    try:
        report = reporting.report_save(
            actor=request.user,
            project=project,
            year=year,
            month=month,
            data=form.report_input(),
            submit=submit,
            photos=form.cleaned_data["photos"],
            photo_caption=form.cleaned_data["photo_caption"],
            reason=form.cleaned_data["reason"],
        )
    except ProjectError as exc:
        form.add_error(None, str(exc))
        return None
    if submit and report.late:
        messages.warning(request, _("已报送。本月填报已过截止时间，记为逾期报送。"))
    elif submit:
        messages.success(request, _("已报送。"))
    else:
        messages.success(request, _("已保存草稿，尚未报送。"))
    return report


# ---------------------------------------------------------------- imports


def _import_allowed(request: HttpRequest, plist: Any, kind: str) -> None:
    allowed = (
        may_manage_list(request.user, plist)
        if kind == ImportKind.PROJECTS
        else may_import_reports(request.user, plist)
    )
    if not allowed:
        raise PermissionDenied


@login_required
def import_new(request: HttpRequest, code: str, kind: str) -> HttpResponse:
    plist = visible_list(request, code) if kind in ImportKind.values else None
    if plist is None:
        raise Http404
    _import_allowed(request, plist, kind)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.import_start(
                actor=request.user,
                plist=plist,
                kind=kind,
                upload=form.cleaned_data["file"],
                month=form.cleaned_data.get("month"),
            )
        except ProjectError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("projects:import", batch.pk)
    context = {"plist": plist, "kind": kind, "form": form, "kind_label": ImportKind(kind).label}
    return render(request, "projects/import_new.html", context)


@login_required
def import_template(request: HttpRequest, code: str, kind: str, fmt: str) -> HttpResponseBase:
    plist = visible_list(request, code) if kind in ImportKind.values else None
    if plist is None or fmt not in ("xlsx", "csv"):
        raise Http404
    _import_allowed(request, plist, kind)
    name = _("%(list)s-%(kind)s导入模板") % {"list": plist.name, "kind": ImportKind(kind).label}
    if fmt == "xlsx":
        return attachment_response(
            import_templates.workbook(plist, kind, request.user), XLSX, f"{name}.xlsx"
        )
    return attachment_response(
        import_templates.csv_bytes(plist, kind, request.user), CSV, f"{name}.csv"
    )


def _own_batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(
        ImportBatch.objects.select_related("project_list__owner", "uploaded_by"), pk=pk
    )
    user = request.user
    if batch.uploaded_by_id != user.pk and not may_manage_list(user, batch.project_list):
        raise Http404
    return batch


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _own_batch(request, pk)
    preview = Preview.from_json(batch.preview) if batch.preview else None
    context = {
        "batch": batch,
        "plist": batch.project_list,
        "preview": preview,
        "counts": preview.counts() if preview else {},
        "pending": batch.status in (ImportStatus.PENDING, ImportStatus.RUNNING),
    }
    return render(request, "projects/import_detail.html", context)


@login_required
@require_POST
def import_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    batch = _own_batch(request, pk)
    try:
        if action == "confirm":
            batch = imports.import_confirm(actor=request.user, batch=batch)
            messages.success(request, _("已导入 %(n)s 个项目。") % {"n": batch.applied_rows})
        elif action == "cancel":
            imports.import_cancel(actor=request.user, batch=batch)
            messages.success(request, _("已取消，未写入任何数据。"))
        else:
            raise Http404
    except ActionForbidden:
        raise PermissionDenied from None
    except ProjectError as exc:
        messages.error(request, str(exc))
    return redirect("projects:import", batch.pk)
