"""Objection pages (异议): a ranked unit disputes a published result; the organiser answers.

Each view authorises, validates a form, calls one service and renders.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from saima.core.workflow import take
from saima.org.models import Unit
from saima.races.errors import RaceError
from saima.races.models import Objection, ObjectionStatus, Race, Result
from saima.races.objections import services
from saima.races.objections.actions import AnswerObjection
from saima.races.objections.forms import AnswerForm, ObjectionForm
from saima.races.objections.selectors import corrections_for, objections_of_race
from saima.races.permissions import (
    may_manage_race,
    may_object,
    may_view_objection,
)
from saima.races.results.downloads import attachment
from saima.races.results.exports import Table, table_response
from saima.races.results.selectors import objection_deadline
from saima.races.results.views import viewable_result


@login_required
def objection_new(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    result = viewable_result(request, pk)
    unit = get_object_or_404(Unit, code=unit_code)
    if not may_object(request.user, result, unit.pk):
        raise PermissionDenied
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = services.objection_submit(
                actor=request.user,
                result=result,
                unit=unit,
                reasons=form.cleaned_data["reasons"],
                evidence=form.cleaned_data.get("evidence"),
            )
        except RaceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("异议已提交，组织者将书面答复。"))
            return redirect("races:objection", objection.pk)
    context = {
        "result": result,
        "unit": unit,
        "form": form,
        "deadline": objection_deadline(result),
    }
    return render(request, "races/objection_new.html", context)


@login_required
def objection_evidence(request: HttpRequest, pk: int) -> HttpResponseBase:
    objection = get_object_or_404(
        Objection.objects.select_related("result__period__race__owner", "unit"), pk=pk
    )
    if not may_view_objection(request.user, objection) or not objection.evidence:
        raise Http404
    return attachment(objection.evidence, objection.evidence_filename)


def objection_detail(request: HttpRequest, pk: int) -> HttpResponse:
    objection = get_object_or_404(
        Objection.objects.select_related(
            "result__period__race__owner", "unit", "submitted_by", "correction"
        ),
        pk=pk,
    )
    if not may_view_objection(request.user, objection):
        raise Http404
    answering = AnswerObjection(request.user, objection)
    manager = may_manage_race(request.user, objection.result.period.race)
    if request.method == "POST" and request.POST.get("link") and manager:
        correction = get_object_or_404(
            Result, pk=request.POST["link"], period_id=objection.result.period_id
        )
        try:
            services.objection_link_correction(
                actor=request.user, objection=objection, correction=correction
            )
        except RaceError as exc:
            messages.error(request, str(exc))
        return redirect("races:objection", objection.pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not answering.allowed():
            raise PermissionDenied(answering.why_not())
        if form.is_valid() and _answer(request, objection, form):
            return redirect("races:objection", objection.pk)
    context = {
        "objection": objection,
        "form": form,
        "answering": answering,
        "result": objection.result,
        "manager": manager,
        "corrections": corrections_for(objection)
        if manager and objection.status == ObjectionStatus.UPHELD and not objection.correction_id
        else [],
    }
    return render(request, "races/objection_detail.html", context)


def _answer(request: HttpRequest, objection: Objection, form: AnswerForm) -> bool:
    action = AnswerObjection(
        request.user,
        objection,
        upheld=form.cleaned_data["decision"] == "upheld",
        answer=form.cleaned_data["answer"],
    )
    success = _("已答复。异议成立的，请更正数据后重新计算并发布更正版本。")
    return take(request, action, success) is not None


@login_required
def objection_list(request: HttpRequest, code: str) -> HttpResponseBase:
    race = get_object_or_404(Race, code=code)
    if not may_manage_race(request.user, race):
        raise PermissionDenied
    items = objections_of_race(race)
    if request.GET.get("format") in ("csv", "xlsx"):
        rows: list[list[Any]] = [
            [
                o.result.period.short_label,
                o.unit.name,
                o.submitted_at,
                o.reasons,
                o.get_status_display(),
                o.answer,
                o.answered_at,
            ]
            for o in items
        ]
        table = Table(
            _("异议"), ["周期", "单位", "提出时间", "理由", "结论", "答复", "答复时间"], rows
        )
        return table_response(table, request.GET["format"], f"objections-{race.code}")
    return render(request, "races/objection_list.html", {"race": race, "objections": items})
