"""Result pages: leaderboards, unit pages, incentive regions, the verification kit, objections.

Published results need no login; an unpublished result is seen by the race's organisers only.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.org.models import Unit
from saima.org.permissions import may_view_unit_data
from saima.races import exports, objections, selectors
from saima.races.downloads import attachment
from saima.races.exports import Table, table_response
from saima.races.forms import AnswerForm, ObjectionForm
from saima.races.models import HEAVY, Objection, ObjectionStatus, Race, Result
from saima.races.permissions import (
    may_answer_objection,
    may_manage_race,
    may_object,
    may_view_objection,
    may_view_result,
)
from saima.races.schemes import parse_scheme
from saima.races.services import RaceError


def _result(request: HttpRequest, pk: int) -> Result:
    result = get_object_or_404(
        Result.objects.select_related("period__race__owner", "supersedes").defer(
            *HEAVY, "supersedes__inputs", "supersedes__outputs"
        ),
        pk=pk,
    )
    if not may_view_result(request.user, result):
        raise Http404
    return result


def _board_table(result: Result, rows: list[selectors.BoardRow], group_name: str) -> Table:
    body = [
        [
            r.rank,
            r.change,
            r.unit_code,
            r.unit_name,
            round(r.score, 4),
            r.selected,
            r.p05,
            r.p95,
            r.p_selected,
            {"red": "红榜", "black": "黑榜"}.get(r.listed, ""),
        ]
        for r in rows
    ]
    return Table(
        group_name,
        [
            "名次",
            "名次变化",
            "单位代码",
            "单位",
            "得分",
            "入选",
            "名次下限(5%)",
            "名次上限(95%)",
            "入选概率",
            "红黑榜",
        ],
        body,
    )


def board(request: HttpRequest, pk: int) -> HttpResponseBase:
    result = _result(request, pk)
    scheme = parse_scheme(result.scheme_toml)
    group_code = request.GET.get("group") or scheme.groups[0].code
    if group_code not in {g.code for g in scheme.groups}:
        raise Http404
    data = selectors.board(result, group_code)
    if request.GET.get("format") in ("csv", "xlsx"):
        table = _board_table(result, data["rows"], data["group"].name)
        return table_response(
            table, request.GET["format"], f"board-{result.period.short_label}-{group_code}"
        )
    newer = Result.objects.filter(supersedes=result).defer(*HEAVY).first()
    context = {
        "result": result,
        "period": result.period,
        "race": result.period.race,
        "scheme": scheme,
        "group_code": group_code,
        "chart": selectors.board_chart(data["rows"], data["group"].quota),
        "newer": newer,
        "manager": may_manage_race(request.user, result.period.race),
        "objection_deadline": objections.objection_deadline(result),
        **data,
    }
    return render(request, "races/board.html", context)


def unit_detail(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    result = _result(request, pk)
    unit = get_object_or_404(Unit, code=unit_code)
    data = selectors.unit_page(result, unit)
    if data is None:
        raise Http404
    deadline = objections.objection_deadline(result)
    context = {
        "result": result,
        "period": result.period,
        "race": result.period.race,
        "unit": unit,
        "history_chart": selectors.history_chart(data["history"]),
        "contribution_chart": selectors.contribution_chart(data["indicators"]),
        "may_object": may_object(request.user, result, unit.pk)
        and deadline is not None
        and timezone.now() <= deadline,
        "objection_deadline": deadline,
        "objections": Objection.objects.filter(result__period=result.period, unit=unit)
        if may_view_unit_data(request.user, unit)
        or may_manage_race(request.user, result.period.race)
        else [],
        **data,
    }
    return render(request, "races/unit_detail.html", context)


def unit_history_export(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    result = _result(request, pk)
    unit = get_object_or_404(Unit, code=unit_code)
    data = selectors.unit_page(result, unit)
    if data is None:
        raise Http404
    rows = [
        [h.result.period.short_label, h.rank, round(h.score, 4), h.selected, h.p_selected]
        for h in data["history"]
    ]
    table = Table(unit.name, ["周期", "名次", "得分", "入选", "入选概率"], rows)
    return table_response(table, request.GET.get("format", "csv"), f"history-{unit.code}")


def kit(request: HttpRequest, pk: int) -> HttpResponse:
    result = _result(request, pk)
    response = HttpResponse(exports.kit_zip(result), content_type="application/zip")
    name = f"saima-{result.period.race.code}-{result.period.short_label}-v{result.version}.zip"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def incentives(request: HttpRequest, code: str) -> HttpResponseBase:
    race = get_object_or_404(Race.objects.select_related("owner"), code=code)
    data = selectors.incentives(race)
    if not data["periods"] and not may_manage_race(request.user, race):
        raise Http404
    if request.GET.get("format") in ("csv", "xlsx"):
        rows = [
            [
                e["unit"].code,
                e["unit"].name,
                e["times"],
                "、".join(e["periods"]),
                e["land"],
                e["funds"],
            ]
            for e in data["cumulative"]
        ]
        table = Table(
            _("激励地区累计"),
            ["单位代码", "单位", "上榜次数", "上榜周期", "用地指标（亩）", "资金（元）"],
            rows,
        )
        return table_response(table, request.GET["format"], f"incentives-{race.code}")
    context = {
        "race": race,
        **data,
        "funds_label": selectors.yuan_label(data["funds"]),
        "total_funds_label": selectors.yuan_label(data["total_funds"]),
    }
    return render(request, "races/incentives.html", context)


# ---------------------------------------------------------------- objections (异议)


@login_required
def objection_new(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    result = _result(request, pk)
    unit = get_object_or_404(Unit, code=unit_code)
    if not may_object(request.user, result, unit.pk):
        raise PermissionDenied
    form = ObjectionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            objection = objections.objection_submit(
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
        "deadline": objections.objection_deadline(result),
    }
    return render(request, "races/objection_new.html", context)


@login_required
def objection_evidence(request: HttpRequest, pk: int) -> HttpResponse:
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
    may_answer = (
        may_answer_objection(request.user, objection)
        and objection.status == ObjectionStatus.PENDING
    )
    manager = may_manage_race(request.user, objection.result.period.race)
    if request.method == "POST" and request.POST.get("link") and manager:
        correction = get_object_or_404(
            Result, pk=request.POST["link"], period_id=objection.result.period_id
        )
        try:
            objections.objection_link_correction(
                actor=request.user, objection=objection, correction=correction
            )
        except RaceError as exc:
            messages.error(request, str(exc))
        return redirect("races:objection", objection.pk)
    form = AnswerForm(request.POST or None)
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied
        if form.is_valid():
            try:
                objections.objection_answer(
                    actor=request.user,
                    objection=objection,
                    upheld=form.cleaned_data["decision"] == "upheld",
                    answer=form.cleaned_data["answer"],
                )
            except RaceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, _("已答复。异议成立的，请更正数据后重新计算并发布更正版本。")
                )
                return redirect("races:objection", objection.pk)
    context = {
        "objection": objection,
        "form": form,
        "may_answer": may_answer,
        "result": objection.result,
        "manager": manager,
        "corrections": Result.objects.filter(
            period_id=objection.result.period_id, version__gt=objection.result.version
        ).defer(*HEAVY)
        if manager and objection.status == ObjectionStatus.UPHELD and not objection.correction_id
        else [],
    }
    return render(request, "races/objection_detail.html", context)


@login_required
def objection_list(request: HttpRequest, code: str) -> HttpResponseBase:
    race = get_object_or_404(Race, code=code)
    if not may_manage_race(request.user, race):
        raise PermissionDenied
    items = list(
        Objection.objects.filter(result__period__race=race).select_related(
            "result__period__race", "unit", "correction"
        )
    )
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
