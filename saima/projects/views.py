"""Register pages: the lists, a list's projects (filters, export), a project's page, its photos,
and the list's steps (publish, add/remove a project, reminders, deadlines).

Each view authorises, validates a form, calls one service or action and renders. A user who
may not see an object gets 404 (its existence is not revealed); one who may see it but not act
gets 403.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saima.core.exports import Table, table_response
from saima.core.workflow import take
from saima.org.models import Unit
from saima.org.permissions import may_organise, units_organised_by
from saima.projects import reporting, selectors, services
from saima.projects.actions import (
    AddToList,
    PublishList,
    RemoveFromList,
    SendReminders,
    SetDeadline,
)
from saima.projects.charts import investment_chart
from saima.projects.errors import ProjectError
from saima.projects.forms import DeadlineForm, ListForm, ProjectForm, ReasonForm
from saima.projects.models import (
    PLAN_FIELDS,
    Category,
    ImportBatch,
    MonthlyReport,
    Project,
    ProjectList,
    ReportingDeadline,
    ReportPhoto,
    ReportStatus,
)
from saima.projects.permissions import (
    may_create_list,
    may_manage_list,
    may_report,
    may_see_problems,
    may_see_project_page,
    may_view_list,
    may_view_photo,
    may_view_project,
    may_watch_list,
)

PAGE_SIZE = 100


def visible_list(request: HttpRequest, code: str) -> ProjectList:
    plist = get_object_or_404(ProjectList.objects.select_related("owner"), code=code)
    if not may_view_list(request.user, plist):
        raise Http404
    return plist


def index(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    mine = list(selectors.reporter_projects(request.user)[:50])
    month = today.month - 1 or 12
    year = today.year if today.month > 1 else today.year - 1
    reports = {
        r.project_id: r
        for r in MonthlyReport.objects.filter(project__in=mine, year=year, month=month)
    }
    context = {
        "lists": selectors.lists_for(request.user),
        "may_create": may_create_list(request.user),
        "mine": [(p, reports.get(p.pk)) for p in mine],
        "report_year": year,
        "report_month": month,
    }
    return render(request, "projects/index.html", context)


@login_required
def list_new(request: HttpRequest) -> HttpResponse:
    if not may_create_list(request.user):
        raise PermissionDenied
    owners = units_organised_by(request.user)
    if request.user.is_superuser:
        owners = Unit.objects.exclude(level="department")
    form = ListForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            plist = services.list_create(actor=request.user, **form.cleaned_data)
        except ProjectError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("清单已建立，可以导入项目了。"))
            return redirect("projects:list", plist.code)
    return render(request, "projects/list_new.html", {"form": form})


def _register_rows(plist: ProjectList, projects: list[Project]) -> list[dict[str, Any]]:
    ids = [p.pk for p in projects]
    latest = selectors.latest_reports(ids, plist.year)
    targets = selectors.year_targets(ids, plist.year)
    rows = []
    for project in projects:
        report = latest.get(project.pk)
        target = targets.get(project.pk)
        done = report.cumulative_investment if report else None
        rows.append(
            {
                "project": project,
                "report": report,
                "target": target,
                "done": done,
                "rate": (done / target * 100) if done is not None and target else None,
            }
        )
    return rows


def _register_table(plist: ProjectList, rows: list[dict[str, Any]]) -> Table:
    headers = [
        _("项目代码"),
        _("项目名称"),
        _("设区市"),
        _("所在地"),
        _("责任单位"),
        _("类别"),
        _("总投资（万元）"),
        _("年度计划投资（万元）"),
        _("本年累计完成投资（万元）"),
        _("年度计划完成率（%）"),
        _("形象进度（%）"),
        _("最近报送月份"),
    ]
    body = []
    for row in rows:
        p, report = row["project"], row["report"]
        body.append(
            [
                p.code,
                p.name,
                p.locality.parent.name if p.locality.parent else "",
                p.locality.name,
                p.owner_unit.name,
                p.get_category_display(),
                float(p.total_investment),
                float(row["target"]) if row["target"] is not None else None,
                float(row["done"]) if row["done"] is not None else None,
                round(float(row["rate"]), 1) if row["rate"] is not None else None,
                float(report.physical_progress) if report else None,
                report.month if report else None,
            ]
        )
    return Table(plist.name[:31], headers, body)


def list_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = visible_list(request, code)
    locality = request.GET.get("locality", "")[:32]
    category = request.GET.get("category", "")
    category = category if category in Category.values else ""
    query = request.GET.get("q", "").strip()[:60]
    projects = selectors.list_projects(plist, locality=locality, category=category, query=query)
    fmt = request.GET.get("format")
    if fmt in ("xlsx", "csv"):
        table = _register_table(plist, _register_rows(plist, list(projects)))
        return table_response(table, fmt, f"{plist.name}-项目清单")
    page = Paginator(projects, PAGE_SIZE).get_page(request.GET.get("page"))
    manager = may_manage_list(request.user, plist)
    context = {
        "plist": plist,
        "page": page,
        "rows": _register_rows(plist, list(page.object_list)),
        "total": page.paginator.count,
        "localities": selectors.localities_of(plist),
        "categories": Category.choices,
        "locality": locality,
        "category": category,
        "query": query,
        "manager": manager,
        "watcher": may_watch_list(request.user, plist),
        "publish": PublishList(request.user, plist),
        "add_form": ReasonForm(),
        "imports": list(ImportBatch.objects.filter(project_list=plist)[:5]) if manager else [],
        "filtered": bool(locality or category or query),
    }
    return render(request, "projects/list_detail.html", context)


@login_required
@require_POST
def list_action(request: HttpRequest, code: str, action: str) -> HttpResponse:
    plist = visible_list(request, code)
    if not may_manage_list(request.user, plist):
        raise PermissionDenied
    if action == "publish":
        take(request, PublishList(request.user, plist), _("清单已公开。"))
        return redirect("projects:list", plist.code)
    if action in ("add", "remove"):
        return _membership(request, plist, action)
    if action == "remind":
        month = _month_of(request.POST.get("month"))
        take(
            request,
            SendReminders(request.user, plist, month),
            lambda n: _("已向 %(n)s 个项目的责任单位发送催办。") % {"n": n},
        )
        return redirect(f"{_board_url(plist)}?month={month}")
    if action == "deadline":
        form = DeadlineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请填写有效的月份和截止时间。"))
            return redirect(_board_url(plist))
        month, due = form.cleaned_data["month"], form.cleaned_data["due"]
        take(request, SetDeadline(request.user, plist, month, due), _("截止时间已调整。"))
        return redirect(f"{_board_url(plist)}?month={month}")
    raise Http404


def _board_url(plist: ProjectList) -> str:
    return reverse("projects:board", args=[plist.code])


def _month_of(raw: str | None) -> int:
    try:
        month = int(raw or "")
    except ValueError:
        raise Http404 from None
    if not 1 <= month <= 12:
        raise Http404
    return month


def _membership(request: HttpRequest, plist: ProjectList, action: str) -> HttpResponse:
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写项目代码和理由。"))
        return redirect("projects:list", plist.code)
    project = Project.objects.filter(code=form.cleaned_data["project"]).first()
    if project is None or not may_view_project(request.user, project):
        messages.error(request, _("没有找到该项目，或它不在你的管理范围内。"))
        return redirect("projects:list", plist.code)
    step = AddToList if action == "add" else RemoveFromList
    done = _("已列入清单并记录理由。") if action == "add" else _("已移出清单，历史记录保留。")
    take(request, step(request.user, plist, project, form.cleaned_data["reason"]), done)
    return redirect("projects:project", project.code)


# ---------------------------------------------------------------- the reporting board


def _default_month(plist: ProjectList) -> int:
    today = timezone.localdate()
    if plist.year < today.year:
        return 12
    return max(1, today.month - 1) if plist.year == today.year else 1


def board(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = visible_list(request, code)
    if not may_watch_list(request.user, plist):
        raise Http404
    raw = request.GET.get("month")
    month = _month_of(raw) if raw else _default_month(plist)
    locality = request.GET.get("locality", "")[:32]
    show = request.GET.get("show", "")
    projects = selectors.list_projects(plist, locality=locality)
    rows = selectors.reporting_board(plist, month, projects)
    counts = selectors.board_counts(rows)
    shown = [r for r in rows if not show or r.state == show]
    if request.GET.get("format") in ("xlsx", "csv"):
        return table_response(
            _board_table(plist, month, shown),
            request.GET["format"],
            f"{plist.name}-{month}月填报进度",
        )
    due = reporting.due_at(plist, plist.year, month)
    context = {
        "plist": plist,
        "month": month,
        "months": range(1, 13),
        "rows": shown,
        "counts": counts,
        "total": len(rows),
        "show": show,
        "locality": locality,
        "localities": selectors.localities_of(plist),
        "due": due,
        "deadline": ReportingDeadline.objects.filter(
            project_list=plist, year=plist.year, month=month
        ).first(),
        "overdue": due <= timezone.now(),
        "manager": may_manage_list(request.user, plist),
        "remind": SendReminders(request.user, plist, month),
        "deadline_form": DeadlineForm(initial={"month": month, "due": timezone.localtime(due)}),
    }
    return render(request, "projects/board.html", context)


STATE_LABELS = {
    "on_time": gettext_lazy("按时报送"),
    "late": gettext_lazy("逾期报送"),
    "draft": gettext_lazy("草稿未报送"),
    "missing": gettext_lazy("未填报"),
}


def _board_table(plist: ProjectList, month: int, rows: list[selectors.BoardRow]) -> Table:
    headers = [_("项目代码"), _("项目名称"), _("所在地"), _("责任单位"), _("状态"), _("报送时间")]
    body = [
        [
            r.project.code,
            r.project.name,
            r.project.locality.name,
            r.project.owner_unit.name,
            str(STATE_LABELS[r.state]),
            timezone.localtime(r.report.submitted_at).strftime("%Y-%m-%d %H:%M")
            if r.report and r.report.submitted_at
            else "",
        ]
        for r in rows
    ]
    return Table(_("%(m)s月填报进度") % {"m": month}, headers, body)


# ---------------------------------------------------------------- a project's page


def project_detail(request: HttpRequest, code: str) -> HttpResponseBase:
    project = get_object_or_404(
        Project.objects.select_related("owner_unit", "locality__parent"), code=code
    )
    if not may_see_project_page(request.user, project):
        raise Http404
    viewer = may_view_project(request.user, project)
    years = selectors.report_years(project) or [timezone.localdate().year]
    try:
        year = int(request.GET.get("year") or years[0])
    except ValueError:
        raise Http404 from None
    plan = project.plans.filter(year=year).first()
    reports = selectors.reports_of(project, year)
    if not viewer:
        reports = [r for r in reports if r.status == ReportStatus.SUBMITTED]
    if request.GET.get("format") in ("xlsx", "csv"):
        table = _reports_table(request, project, year, reports)
        return table_response(table, request.GET["format"], f"{project.code}-{year}年月度填报")
    today = timezone.localdate()
    milestones = selectors.milestone_timeline(project, plan)
    curve = selectors.investment_curve(plan, reports)
    context = {
        "project": project,
        "viewer": viewer,
        "reporter": may_report(request.user, project),
        "year": year,
        "years": years,
        "plan": plan,
        "target": plan.year_target if plan else None,
        "reports": [
            {
                "report": r,
                "problems": may_see_problems(request.user, r),
                "photos": _photos(request, r),
            }
            for r in reports
        ],
        "milestones": [(m, m.overdue(today)) for m in milestones],
        "memberships": selectors.project_lists(project),
        "chart": investment_chart(curve),
        "curve_rows": list(
            zip(curve["months"], curve["planned"], curve["actual"], curve["progress"], strict=True)
        ),
        "next_month": _next_report_month(reports, year, today),
        "managed_lists": [
            m.project_list
            for m in selectors.project_lists(project)
            if m.removed_at is None and may_manage_list(request.user, m.project_list)
        ],
        "remove_form": ReasonForm(initial={"project": project.code}),
        "editor": may_organise(request.user, project.owner_unit),
    }
    return render(request, "projects/project_detail.html", context)


def _reports_table(
    request: HttpRequest, project: Project, year: int, reports: list[MonthlyReport]
) -> Table:
    headers = [
        _("月份"),
        _("本年累计完成投资（万元）"),
        _("形象进度（%）"),
        _("状态"),
        _("报送时间"),
        _("本月进展"),
        _("需协调解决的问题"),
        _("累计投资下调说明"),
    ]
    body = [
        [
            r.month,
            float(r.cumulative_investment),
            float(r.physical_progress),
            str(r.get_status_display()) + (f"（{_('逾期')}）" if r.late else ""),
            timezone.localtime(r.submitted_at).strftime("%Y-%m-%d %H:%M") if r.submitted_at else "",
            r.progress_note,
            r.problems if may_see_problems(request.user, r) else "",
            r.correction_reason,
        ]
        for r in reports
    ]
    return Table(f"{project.code} {year}", headers, body)


@login_required
def project_edit(request: HttpRequest, code: str) -> HttpResponse:
    """An organiser's change to a project's register values and one year's plan."""
    project = get_object_or_404(Project.objects.select_related("owner_unit", "locality"), code=code)
    if not may_view_project(request.user, project):
        raise Http404
    if not may_organise(request.user, project.owner_unit):
        raise PermissionDenied
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        raise Http404 from None
    if not 2000 <= year <= 2100:
        raise Http404
    plan = project.plans.filter(year=year).first()
    initial = {name: getattr(project, name) for name in services.PROJECT_FIELDS}
    if plan is not None:
        fields = (*PLAN_FIELDS, "invested_before", *services.MILESTONE_FIELDS)
        initial.update({name: getattr(plan, name) for name in fields})
    form = ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_project(request, project, year, form)
        except ProjectError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("项目信息和年度计划已保存，修改记入审计日志。"))
            return redirect(f"{project_url(project)}?year={year}")
    context = {"project": project, "year": year, "form": form, "plan": plan}
    return render(request, "projects/project_edit.html", context)


def _save_project(request: HttpRequest, project: Project, year: int, form: ProjectForm) -> None:
    data = form.cleaned_data
    values = {name: data[name] for name in services.PROJECT_FIELDS if name in data}
    values.update(owner_unit=project.owner_unit, locality=project.locality)
    with transaction.atomic():
        services.project_save(
            actor=request.user, code=project.code, values=values, reason=data["reason"]
        )
        services.plan_save(
            actor=request.user,
            project=project,
            year=year,
            monthly=[data[name] for name in PLAN_FIELDS],
            milestones={name: data[name] for name in services.MILESTONE_FIELDS},
            invested_before=data["invested_before"],
            reason=data["reason"],
        )


def _photos(request: HttpRequest, report: Any) -> list[ReportPhoto]:
    return [p for p in report.photos.all() if may_view_photo(request.user, p)]


def _next_report_month(reports: list[Any], year: int, today: dt.date) -> int | None:
    """The first month of ``year`` up to now without a submitted report (None: all in)."""
    last = 12 if year < today.year else (today.month if year == today.year else 0)
    done = {r.month for r in reports if r.status == ReportStatus.SUBMITTED}
    return next((m for m in range(1, last + 1) if m not in done), None)


def photo(request: HttpRequest, pk: int) -> FileResponse:
    item = get_object_or_404(
        ReportPhoto.objects.select_related(
            "report__project__owner_unit", "report__project__locality"
        ),
        pk=pk,
    )
    if not may_view_photo(request.user, item):
        raise Http404
    content_type = "image/jpeg" if item.kind == "jpg" else "image/png"
    response = FileResponse(item.file.open("rb"), content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_POST
def photo_public(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReportPhoto.objects.select_related("report__project"), pk=pk)
    project = item.report.project
    if not may_view_project(request.user, project):
        raise Http404
    if not may_report(request.user, project):
        raise PermissionDenied
    public = request.POST.get("public") == "1"
    reporting.photo_publish(actor=request.user, photo=item, public=public)
    messages.success(request, _("照片已设为公开。") if public else _("照片已设为不公开。"))
    return redirect(f"{project_url(project)}?year={item.report.year}#photos")


def project_url(project: Project) -> str:
    return reverse("projects:project", args=[project.code])
