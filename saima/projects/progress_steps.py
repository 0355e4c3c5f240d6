"""The progress hub's steps as one POST endpoint (``<code>/progress/<action>/``): compute and
publish a month's lights, grant an exemption, propose a quarter's lists, compute the incentives.
Each step asks its action object; this module sits above the lights, ratings and incentives
packages, which never import it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.core.workflow import Action, take
from saima.projects.incentives.actions import ComputeIncentives
from saima.projects.lights.actions import ComputeLights, GrantExemption, PublishLights
from saima.projects.lights.forms import ExemptionForm, MonthForm, QuarterForm
from saima.projects.lights.services import current_run
from saima.projects.models import Project, ProjectList
from saima.projects.permissions import may_manage_list, may_watch_list
from saima.projects.ratings.actions import ProposeRating


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
