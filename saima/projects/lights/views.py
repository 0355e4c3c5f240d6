"""Lights pages: a list's progress hub (light map, months, quarters), a locality's dashboard
(month × project grid, trend), the rules, and the list's steps (compute, publish, propose,
exempt, incentives) as one POST endpoint asking the action objects.

Published lists' published months are public; computed-but-unpublished months, SPI and the
reasons' detail are for the list's watchers and the locality's own viewers.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.core.exports import Table, table_response
from saima.core.workflow import Action, take
from saima.org.models import Unit
from saima.projects.incentives.actions import ComputeIncentives
from saima.projects.lights import selectors
from saima.projects.lights.actions import ComputeLights, CreateRules, GrantExemption, PublishLights
from saima.projects.lights.forms import ExemptionForm, MonthForm, QuarterForm, RulesForm
from saima.projects.lights.services import current_rules, current_run
from saima.projects.models import LightColour, Project, ProjectList
from saima.projects.permissions import (
    may_manage_list,
    may_view_list,
    may_view_locality_progress,
    may_watch_list,
)
from saima.projects.ratings.actions import ProposeRating

PAGE = 100
MONTHS = list(range(1, 13))


def visible_list(request: HttpRequest, code: str) -> ProjectList:
    plist = get_object_or_404(ProjectList.objects.select_related("owner"), code=code)
    if not may_view_list(request.user, plist):
        raise Http404
    return plist


def watched_list(request: HttpRequest, code: str) -> ProjectList:
    plist = get_object_or_404(ProjectList.objects.select_related("owner"), code=code)
    if not may_watch_list(request.user, plist):
        raise Http404
    return plist


def progress(request: HttpRequest, code: str) -> HttpResponse:
    plist = visible_list(request, code)
    internal = may_watch_list(request.user, plist)
    manager = may_manage_list(request.user, plist)
    months = selectors.visible_months(plist, internal=internal)
    latest = months[-1] if months else None
    ratings = selectors.ratings_of(plist, internal=internal)
    context = {
        "plist": plist,
        "internal": internal,
        "manager": manager,
        "latest": latest,
        "rows": (rows := selectors.light_map(plist, latest)),
        "cities": selectors.by_parent(rows),
        "months": _months_with_runs(plist) if internal else [],
        "visible": months,
        "quarters": [(q, ratings.get(q)) for q in (1, 2, 3, 4)],
        "rules": current_rules(plist) if internal else None,
        "colours": LightColour,
    }
    return render(request, "projects/lights/progress.html", context)


def _months_with_runs(plist: ProjectList) -> list[tuple[int, Any]]:
    runs = selectors.month_runs(plist)
    return [(m, runs.get(m)) for m in MONTHS]


def _month(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("month", ""))
    except ValueError:
        return 0


def _action_for(request: HttpRequest, plist: ProjectList, name: str) -> tuple[Action[Any], str]:
    user = request.user
    if name == "compute":
        form = MonthForm(request.POST)
        month = form.cleaned_data["month"] if form.is_valid() else _month(request)
        return ComputeLights(user, plist, month, request.POST.get("reason", "")), _(
            "已计算并保存亮灯"
        )
    if name == "publish":
        run = current_run(plist, _month(request))
        if run is None:
            raise Http404
        return PublishLights(user, run), _("本月亮灯已发布")
    if name == "propose":
        quarter_form = QuarterForm(request.POST)
        quarter = quarter_form.cleaned_data["quarter"] if quarter_form.is_valid() else 0
        return ProposeRating(user, plist, quarter), _("已按规则提出季度名单，请审定后发布")
    if name == "exempt":
        exemption = ExemptionForm(request.POST)
        if not exemption.is_valid():
            raise Http404
        data = exemption.cleaned_data
        project = get_object_or_404(Project, code=data["project"], memberships__project_list=plist)
        action = GrantExemption(user, plist, project, data["month"], data["reason"])
        return action, _("已批准豁免；重新计算该月亮灯后生效")
    if name == "incentives":
        return ComputeIncentives(user, plist), _("已计算激励建议")
    raise Http404


@login_required
@require_POST
def progress_action(request: HttpRequest, code: str, action: str) -> HttpResponseBase:
    plist = get_object_or_404(ProjectList.objects.select_related("owner"), code=code)
    if not may_watch_list(request.user, plist) and not may_manage_list(request.user, plist):
        raise Http404
    step, success = _action_for(request, plist, action)
    outcome = take(request, step, success)
    if action == "propose" and outcome is not None:
        return redirect("projects:rating", outcome.pk)
    if action == "incentives":
        return redirect("projects:incentives", plist.code)
    return redirect("projects:progress", plist.code)


def _grid_table(
    plist: ProjectList, locality: Unit, rows: list[selectors.GridRow], months: list[int]
) -> Table:
    labels = dict(LightColour.choices)
    body = [
        [r.project.code, r.project.name, r.project.locality.name]
        + [str(labels[c.light]) if c else "" for c in r.cells]
        for r in rows
    ]
    headers = [_("项目代码"), _("项目名称"), _("所在地")] + [
        _("%(m)s月") % {"m": m} for m in months
    ]
    return Table(f"{plist.year} {locality.name}", headers, body)


def locality(request: HttpRequest, code: str, unit_code: str) -> HttpResponseBase:
    plist = visible_list(request, code)
    unit = get_object_or_404(Unit, code=unit_code)
    if not selectors.in_locality(plist, unit):
        raise Http404
    internal = may_view_locality_progress(request.user, plist, unit)
    months = selectors.visible_months(plist, internal=internal)
    projects = list(selectors.locality_projects(plist, unit))
    rows = selectors.worst_first(selectors.grid(plist, projects, months))
    if request.GET.get("format") in ("csv", "xlsx"):
        table = _grid_table(plist, unit, rows, months)
        return table_response(table, request.GET["format"], f"lights-{plist.code}-{unit.code}")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    page_rows = selectors.cells_html(list(page), _("滞后"))
    trend = selectors.trend(rows, months)
    latest = trend[-1] if trend else None
    context = {
        "plist": plist,
        "unit": unit,
        "internal": internal,
        "months": months,
        "page": page,
        "page_rows": page_rows,
        "trend": trend,
        "latest": latest,
        "total": len(rows),
    }
    return render(request, "projects/lights/locality.html", context)


def rules(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = watched_list(request, code)
    manager = may_manage_list(request.user, plist)
    form = RulesForm(request.POST or None)
    if request.method == "POST":
        if not manager:
            raise Http404
        if form.is_valid():
            step = CreateRules(
                request.user,
                plist,
                rules_toml=form.cleaned_data["rules_toml"],
                preset_code=form.cleaned_data["preset"],
                reason=form.cleaned_data["reason"],
            )
            if take(request, step, _("已保存新版规则")) is not None:
                return redirect("projects:rules", plist.code)
    versions = list(plist.rule_versions.select_related("created_by"))
    context = {"plist": plist, "manager": manager, "form": form, "versions": versions}
    return render(request, "projects/lights/rules.html", context)
