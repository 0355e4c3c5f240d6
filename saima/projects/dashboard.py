"""The key projects' navigation item, audit action names and the reporter's home-page panel."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saima.core.actions import register_actions
from saima.core.navigation import DashboardPanel, NavItem, register_nav, register_panel
from saima.org.models import Role
from saima.org.permissions import has_role

ACTIONS: dict[str, str | Promise] = {
    "projects.list.create": _("新建重点项目清单"),
    "projects.list.publish": _("公开重点项目清单"),
    "projects.list.add": _("项目列入清单"),
    "projects.list.remove": _("项目移出清单"),
    "projects.project.create": _("新建重点项目"),
    "projects.project.change": _("修改重点项目信息"),
    "projects.plan.set": _("下达年度计划"),
    "projects.report.save": _("保存月度填报草稿"),
    "projects.report.submit": _("报送月度进展"),
    "projects.report.correct": _("更正月度进展"),
    "projects.photo.add": _("上传现场照片"),
    "projects.photo.public": _("设置照片是否公开"),
    "projects.deadline.set": _("调整月度填报截止时间"),
    "projects.reminder.remind": _("重点项目填报催办"),
    "projects.reminder.chase": _("重点项目逾期督促"),
    "projects.import.upload": _("上传重点项目导入文件"),
    "projects.import.refuse": _("导入文件有误，未导入"),
    "projects.import.cancel": _("取消导入预览"),
    "projects.import.projects": _("导入项目及年度计划"),
    "projects.import.reports": _("批量导入月度填报"),
}


def _reporter_context(request: HttpRequest) -> dict[str, Any]:
    from saima.projects.models import MonthlyReport, ReportStatus
    from saima.projects.selectors import reporter_projects

    today = timezone.localdate()
    year, month = (today.year, today.month - 1) if today.month > 1 else (today.year - 1, 12)
    projects = list(reporter_projects(request.user)[:200])
    done = set(
        MonthlyReport.objects.filter(
            project__in=projects, year=year, month=month, status=ReportStatus.SUBMITTED
        ).values_list("project_id", flat=True)
    )
    pending = [p for p in projects if p.pk not in done]
    return {
        "pending": pending[:10],
        "pending_count": len(pending),
        "total": len(projects),
        "year": year,
        "month": month,
    }


def _organiser_context(request: HttpRequest) -> dict[str, Any]:
    from saima.projects.models import ProjectList
    from saima.projects.permissions import may_manage_list
    from saima.projects.selectors import board_counts, list_projects, reporting_board

    today = timezone.localdate()
    rows = []
    for plist in ProjectList.objects.select_related("owner").filter(year__lte=today.year)[:20]:
        if not may_manage_list(request.user, plist):
            continue
        month = 12 if plist.year < today.year else max(1, today.month - 1)
        counts = board_counts(reporting_board(plist, month, list_projects(plist)))
        rows.append({"plist": plist, "month": month, "counts": counts})
        if len(rows) == 3:
            break
    return {"lists": rows}


def register() -> None:
    register_actions(ACTIONS)
    register_nav(NavItem(_("重点项目"), "projects:index", lambda user: True, order=20))
    register_panel(
        DashboardPanel(
            "projects-reporter",
            "projects/panels/reporter.html",
            lambda user: has_role(user, Role.REPORTER),
            _reporter_context,
            order=12,
        )
    )
    register_panel(
        DashboardPanel(
            "projects-organiser",
            "projects/panels/organiser.html",
            lambda user: (
                bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ORGANISER)
            ),
            _organiser_context,
            order=13,
        )
    )
