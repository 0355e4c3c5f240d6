"""Fault tolerance pages (容错): reform items and checklists, applications, review, decision.

Each view authorises, validates a form, calls one service (through an action) and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.core.workflow import ActionRefused, take
from saima.org.models import Role, Unit
from saima.org.permissions import scope_filter
from saima.safeguards import selectors
from saima.safeguards.forms import (
    ApplicationForm,
    AssessForm,
    ConditionForm,
    DecideForm,
    ItemForm,
)
from saima.safeguards.lookups import applicant, posted_pk
from saima.safeguards.models import Condition, ReformItem, ToleranceApplication
from saima.safeguards.permissions import (
    may_edit_default_checklist,
    may_manage_item,
    may_view_application,
    works_with_safeguards,
)
from saima.safeguards.tolerance import services
from saima.safeguards.tolerance.actions import (
    AcceptApplication,
    AssessCondition,
    DecideApplication,
    SubmitApplication,
)


def _units_for_items(request: HttpRequest) -> Any:
    return Unit.objects.filter(scope_filter(request.user, [Role.ORGANISER, Role.DISCIPLINE]))


@login_required
def item_list(request: HttpRequest) -> HttpResponse:
    if not works_with_safeguards(request.user):
        raise PermissionDenied
    units = _units_for_items(request)
    form = ItemForm(request.POST or None, units=units)
    if request.method == "POST":
        if not units.exists():
            raise PermissionDenied
        if form.is_valid():
            try:
                item = services.item_create(actor=request.user, **form.cleaned_data)
            except ActionRefused as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已新建改革事项，容错清单复制自默认清单，可逐条修改。"))
                return redirect("safeguards:item", item.pk)
    items = selectors.items_visible(request.user).order_by("owner__path", "name")
    context = {"items": items, "form": form if units.exists() else None}
    return render(request, "safeguards/item_list.html", context)


def _checklist_page(
    request: HttpRequest, item: ReformItem | None, conditions: Any, may_edit: bool
) -> HttpResponse:
    form = ConditionForm(request.POST or None)
    if request.method == "POST":
        if not may_edit:
            raise PermissionDenied
        if _checklist_post(request, item, form):
            return redirect(request.path)
    context = {"item": item, "conditions": conditions, "form": form, "may_edit": may_edit}
    return render(request, "safeguards/checklist.html", context)


def _checklist_post(request: HttpRequest, item: ReformItem | None, form: ConditionForm) -> bool:
    toggle = request.POST.get("toggle")
    try:
        if toggle:
            target = get_object_or_404(Condition, pk=posted_pk(toggle), item=item)
            services.condition_set_active(
                actor=request.user, condition=target, active=not target.active
            )
            return True
        if not form.is_valid():
            return False
        edit = request.POST.get("condition")
        condition = get_object_or_404(Condition, pk=posted_pk(edit), item=item) if edit else None
        services.condition_save(
            actor=request.user, item=item, condition=condition, **form.cleaned_data
        )
    except ActionRefused as exc:
        messages.error(request, str(exc))
        return False
    messages.success(request, _("容错清单已保存。"))
    return True


@login_required
def item_detail(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(ReformItem.objects.select_related("owner"), pk=pk)
    may_edit = may_manage_item(request.user, item)
    if not (may_edit or item in selectors.items_visible(request.user)):
        raise Http404
    conditions = item.conditions.order_by("position", "pk")
    return _checklist_page(request, item, conditions, may_edit)


@login_required
def default_checklist(request: HttpRequest) -> HttpResponse:
    if not works_with_safeguards(request.user):
        raise PermissionDenied
    conditions = Condition.objects.filter(item=None).order_by("position", "pk")
    return _checklist_page(request, None, conditions, may_edit_default_checklist(request.user))


@login_required
def application_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = applicant(request, pk)
    negative = services.negative_refs(person)
    form = ApplicationForm(
        request.POST or None, items=selectors.items_for(person), negative=negative
    )
    if request.method == "POST" and form.is_valid():
        action = SubmitApplication(request.user, person, **form.cleaned_data)
        application = take(request, action, _("容错申请已提交，等待纪检监察机关受理。"))
        if application is not None:
            return redirect("safeguards:application", application.pk)
    context = {"person": person, "form": form, "negative": negative}
    return render(request, "safeguards/application_new.html", context)


def _application(request: HttpRequest, pk: int) -> ToleranceApplication:
    application = get_object_or_404(
        ToleranceApplication.objects.select_related("person", "unit", "item", "submitted_by"), pk=pk
    )
    if not may_view_application(request.user, application):
        raise Http404
    return application


@login_required
def application_detail(request: HttpRequest, pk: int) -> HttpResponse:
    application = _application(request, pk)
    findings = {a.condition_id: a for a in application.assessments.select_related("assessed_by")}
    rows = [
        {"condition": c, "assessment": findings.get(c.pk)}
        for c in services.checklist_of(application)
    ]
    negative = services.negative_refs(application.person)
    covers = {ref: negative.get(ref, ref) for ref in application.covers}
    context = {
        "application": application,
        "rows": rows,
        "covers": covers,
        "excused": [covers.get(ref, ref) for ref in application.excused],
        "accepting": AcceptApplication(request.user, application),
        "assessing": AssessCondition(request.user, application),
        "deciding": DecideApplication(request.user, application),
        "red_lines": services.red_lines_touched(application),
        "decide_form": DecideForm(covers=covers),
    }
    return render(request, "safeguards/application_detail.html", context)


@require_POST
@login_required
def application_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    application = _application(request, pk)
    if action == "accept":
        take(request, AcceptApplication(request.user, application), _("已受理，请逐项审查。"))
    elif action == "assess":
        form = AssessForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("请选择认定结果并填写理由"))
        else:
            condition = get_object_or_404(
                Condition, pk=form.cleaned_data["condition"], item_id=application.item_id
            )
            step = AssessCondition(
                request.user,
                application,
                condition=condition,
                holds=form.cleaned_data["holds"],
                reason=form.cleaned_data["reason"],
            )
            take(request, step, _("已记录该项审查意见。"))
    elif action == "decide":
        _decide(request, application)
    else:
        raise Http404
    return redirect("safeguards:application", application.pk)


def _decide(request: HttpRequest, application: ToleranceApplication) -> None:
    form = DecideForm(request.POST, covers={ref: ref for ref in application.covers})
    if not form.is_valid():
        messages.error(request, _("请选择决定并填写理由"))
        return
    step = DecideApplication(request.user, application, **form.cleaned_data)
    take(
        request,
        step,
        lambda done: _("已作出决定：%(status)s") % {"status": done.get_status_display()},
    )
