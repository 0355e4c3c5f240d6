"""Organiser and reporter pages: the race list and page, periods, reporting, import,
verification.

Each view authorises, validates a form, calls one service and renders. A user who may not see
an object gets 404 (its existence is not revealed); one who may see but not act gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saima.core.exports import CSV, attachment_response
from saima.core.formats import money_label
from saima.core.tabular.importing import Preview
from saima.core.workflow import take
from saima.org.models import Unit
from saima.races.errors import RaceError
from saima.races.models import (
    HEAVY,
    Evidence,
    ImportBatch,
    Period,
    Race,
    Report,
    ReportStatus,
    Result,
)
from saima.races.permissions import (
    may_create_race,
    may_edit_report,
    may_manage_race,
    may_verify_report,
    may_view_report,
    may_watch_race,
)
from saima.races.reporting import import_templates, imports, selectors, services
from saima.races.reporting.actions import (
    ClosePeriod,
    CorrectValues,
    ReopenPeriod,
    ReturnReport,
    ReviewReport,
    SendReminders,
    SetDeadline,
    VerifyCleanReports,
    VerifyReport,
)
from saima.races.reporting.anomalies import period_flags
from saima.races.reporting.forms import (
    CorrectionForm,
    DeadlineForm,
    ImportForm,
    PeriodOpenForm,
    ReportForm,
    ReviewForm,
)
from saima.races.results.actions import ComputeResult, PublishResult
from saima.races.results.downloads import attachment
from saima.races.results.exports import XLSX, Table, table_response
from saima.races.results.forms import ComputeForm
from saima.races.schemes.selectors import list_size, parse_scheme
from saima.races.schemes.views import managed_race


def index(request: HttpRequest) -> HttpResponse:
    context = {
        "races": selectors.race_list(request.user),
        "may_create": may_create_race(request.user),
        "my_reports": selectors.reporter_open_reports(request.user),
    }
    return render(request, "races/index.html", context)


def race_detail(request: HttpRequest, code: str) -> HttpResponse:
    race = get_object_or_404(Race.objects.select_related("owner"), code=code)
    manager = may_manage_race(request.user, race)
    watcher = manager or may_watch_race(request.user, race)
    periods = selectors.periods_of(race)
    if not watcher:
        periods = [p for p in periods if p["current"] is not None]
        if not periods:
            raise Http404
    scheme = parse_scheme(race.scheme_toml)
    context = {
        "race": race,
        "periods": periods,
        "manager": manager,
        "watcher": watcher,
        "scheme": scheme,
        "lists": list_size(scheme),
        "funds_label": money_label(race.reward_funds_yuan),
    }
    return render(request, "races/race_detail.html", context)


@login_required
def period_new(request: HttpRequest, code: str) -> HttpResponse:
    race = managed_race(request, code)
    form = PeriodOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.period_open(actor=request.user, race=race, **form.cleaned_data)
        except RaceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("已开启填报，各单位可以开始填报。"))
            return redirect("races:period", period.pk)
    return render(request, "races/period_new.html", {"race": race, "form": form})


def _managed_period(request: HttpRequest, pk: int) -> Period:
    period = get_object_or_404(Period.objects.select_related("race__owner"), pk=pk)
    if not may_manage_race(request.user, period.race):
        raise PermissionDenied
    return period


def _status_table(period: Period, status: dict[str, Any]) -> Table:
    rows = [
        [
            r.report.unit.code,
            r.report.unit.name,
            r.report.group_code,
            r.report.get_status_display(),
            r.report.submitted_at,
            r.flags,
            r.reminders,
        ]
        for r in status["rows"]
    ]
    return Table(
        _("填报进度"),
        [
            _("单位代码"),
            _("单位"),
            _("分组"),
            _("状态"),
            _("报送时间"),
            _("异常提示"),
            _("催办次数"),
        ],
        rows,
    )


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponseBase:
    period = get_object_or_404(Period.objects.select_related("race__owner"), pk=pk)
    if not may_watch_race(request.user, period.race):
        raise PermissionDenied
    scheme = parse_scheme(period.race.scheme_toml)
    flags = period_flags(period, scheme)
    status = selectors.period_status(period, flags)
    if request.GET.get("format") in ("csv", "xlsx"):
        return table_response(
            _status_table(period, status), request.GET["format"], f"status-{period.short_label}"
        )
    cities = selectors.cities_of(status["rows"])
    city = next((c for c in cities if c.code == request.GET.get("city")), None)
    query = request.GET.get("q", "").strip()
    shown = _filter_status_rows(status["rows"], request.GET.get("show", ""), query, city)
    results = list(period.results.defer(*HEAVY).order_by("-version"))
    context = {
        "group_names": {g.code: g.name for g in scheme.groups},
        "manager": may_manage_race(request.user, period.race),
        "period": period,
        "race": period.race,
        "status": status,
        "shown_rows": shown,
        "show": request.GET.get("show", "") if shown is not status["rows"] else "",
        "cities": cities if len(cities) > 1 else [],
        "city": city,
        "query": query,
        "flagged_count": sum(1 for r in status["rows"] if r.flags),
        "results": results,
        "steps": _period_steps(request, period, results),
        "compute_form": ComputeForm(),
        "deadline_form": DeadlineForm(initial={"deadline": period.deadline}),
        "imports": period.imports.all()[:5],
        "clean_submitted": sum(
            1 for r in status["rows"] if r.report.status == ReportStatus.SUBMITTED and not r.flags
        ),
    }
    return render(request, "races/period_detail.html", context)


def _period_steps(request: HttpRequest, period: Period, results: list[Result]) -> dict[str, Any]:
    """The period page's steps; the template shows a button when ``allowed()``, else ``why_not()``."""
    user = request.user
    return {
        "close": ClosePeriod(user, period),
        "reopen": ReopenPeriod(user, period),
        "deadline": SetDeadline(user, period),
        "compute": ComputeResult(user, period),
        "publish": PublishResult(user, results[0]) if results else None,
        "remind": SendReminders(user, period),
        "verify_clean": VerifyCleanReports(user, period),
    }


def _filter_status_rows(
    rows: list[Any], show: str, query: str = "", city: Unit | None = None
) -> list[Any]:
    """The board's rows for one status (``?show=submitted``) or with anomaly flags (``flagged``),
    whose unit's name or code contains ``query`` (``?q=``), within ``city`` (``?city=3301``)."""
    shown = rows
    if show == "flagged":
        shown = [row for row in shown if row.flags]
    elif show in ReportStatus.values:
        shown = [row for row in shown if row.report.status == show]
    if query:
        shown = [
            row for row in shown if query in row.report.unit.name or query in row.report.unit.code
        ]
    if city is not None:
        shown = [row for row in shown if row.report.unit.path.startswith(city.path)]
    return shown


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def _close(request: HttpRequest, period: Period) -> HttpResponse | None:
    take(request, ClosePeriod(request.user, period), _("已截止填报。请完成审核后计算结果。"))
    return None


def _reopen(request: HttpRequest, period: Period) -> HttpResponse | None:
    take(request, ReopenPeriod(request.user, period), _("已重新开放填报。"))
    return None


def _deadline(request: HttpRequest, period: Period) -> HttpResponse | None:
    form = DeadlineForm(request.POST)
    if form.is_valid():
        action = SetDeadline(request.user, period, form.cleaned_data["deadline"])
        take(request, action, _("截止时间已更新。"))
    else:
        _form_errors(request, form)
    return None


def _compute(request: HttpRequest, period: Period) -> HttpResponse | None:
    form = ComputeForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    action = ComputeResult(request.user, period, reason)
    take(request, action, action.outcome)
    return None


def _publish(request: HttpRequest, period: Period) -> HttpResponse | None:
    result = get_object_or_404(period.results.defer(*HEAVY), pk=request.POST.get("result") or 0)
    if take(request, PublishResult(request.user, result), _("结果已发布，公众可查看。")):
        return redirect("races:board", result.pk)
    return None


def _remind(request: HttpRequest, period: Period) -> HttpResponse | None:
    units = Unit.objects.filter(race_reports__period=period, code__in=request.POST.getlist("units"))
    count = take(request, SendReminders(request.user, period, units), _("催办已发送。"))
    if count == 0:
        messages.info(request, _("所选单位都已报送，无需催办。"))
    return None


def _verify_clean(request: HttpRequest, period: Period) -> HttpResponse | None:
    take(request, VerifyCleanReports(request.user, period), _("无异常提示的报送已全部审核通过。"))
    return None


PERIOD_STEPS: dict[str, Callable[[HttpRequest, Period], HttpResponse | None]] = {
    "close": _close,
    "reopen": _reopen,
    "deadline": _deadline,
    "compute": _compute,
    "publish": _publish,
    "remind": _remind,
    "verify-clean": _verify_clean,
}


@login_required
@require_POST
def period_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One organiser step on a period (the buttons of the period page), by its action object."""
    period = _managed_period(request, pk)
    step = PERIOD_STEPS.get(action)
    if step is None:
        raise Http404
    return step(request, period) or redirect("races:period", period.pk)


def _report(request: HttpRequest, pk: int, unit_code: str) -> Report:
    report = get_object_or_404(
        Report.objects.select_related("period__race__owner", "unit"),
        period_id=pk,
        unit__code=unit_code,
    )
    if not may_view_report(request.user, report):
        raise Http404
    return report


@login_required
def report_edit(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    report = _report(request, pk, unit_code)
    scheme = parse_scheme(report.period.race.scheme_toml)
    editable = may_edit_report(request.user, report)
    fields = selectors.report_fields(report, scheme)
    form = ReportForm(
        request.POST or None,
        request.FILES or None,
        scheme=scheme,
        initial_values={f.code: f.value for f in fields},
    )
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            submit = "submit" in request.POST
            try:
                services.report_save(
                    actor=request.user,
                    report=report,
                    values=form.values(),
                    submit=submit,
                    evidence=form.cleaned_data.get("evidence"),
                )
            except RaceError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("已报送，等待审核。") if submit else _("草稿已保存。"))
                return redirect("races:report", report.period_id, report.unit.code)
    rows = [(f, form[f.code]) for f in fields]
    context = {
        "report": report,
        "period": report.period,
        "form": form,
        "rows": rows,
        "editable": editable,
        "evidence": report.evidence.all(),
        "may_verify": may_verify_report(request.user, report),
    }
    return render(request, "races/report_form.html", context)


@login_required
def report_review(request: HttpRequest, pk: int, unit_code: str) -> HttpResponse:
    report = _report(request, pk, unit_code)
    if not may_verify_report(request.user, report):
        raise PermissionDenied
    scheme = parse_scheme(report.period.race.scheme_toml)
    flags = period_flags(report.period, scheme).get(report.unit_id, [])
    step = request.POST.get("action") if request.method == "POST" else None
    form = ReviewForm(request.POST if step in REVIEW_STEPS else None, codes=scheme.codes)
    rows = selectors.report_fields(report, scheme, flags)
    correction = CorrectionForm(
        request.POST if step == "correct" else None,
        scheme=scheme,
        initial={f"value_{f.code}": f.value for f in rows},
    )
    if step in REVIEW_STEPS and form.is_valid():
        action_class, success = REVIEW_STEPS[step]
        action = action_class(request.user, report, form.cleaned_data["comment"], form.notes())
        if take(request, action, str(success)):
            return redirect("races:period", report.period_id)
    if (
        step == "correct"
        and correction.is_valid()
        and _correct(request, report, correction.values(), correction.cleaned_data["reason"])
    ):
        return redirect("races:review", report.period_id, report.unit.code)
    context = {
        "report": report,
        "period": report.period,
        "rows": rows,
        "flags": [f for f in flags if not f.indicator],
        "form": form,
        "correction": correction,
        "correction_rows": [(f, correction[f"value_{f.code}"]) for f in rows],
        "evidence": report.evidence.all(),
        "verify": VerifyReport(request.user, report),
        "correct": CorrectValues(request.user, report),
    }
    return render(request, "races/report_review.html", context)


REVIEW_STEPS: dict[str, tuple[type[ReviewReport], Any]] = {
    "verify": (VerifyReport, gettext_lazy("已审核通过。")),
    "return": (ReturnReport, gettext_lazy("已退回，并通知填报单位。")),
}


def _correct(
    request: HttpRequest, report: Report, values: dict[str, float | None], reason: str
) -> bool:
    """The organiser's correction after reporting closed, its values parsed by the form."""
    action = CorrectValues(request.user, report, values, reason)
    return take(request, action, _("数据已更正并记录原因。")) is not None


@login_required
def evidence_download(request: HttpRequest, pk: int) -> HttpResponseBase:
    evidence = get_object_or_404(
        Evidence.objects.select_related("report__period__race__owner", "report__unit"), pk=pk
    )
    if not may_view_report(request.user, evidence.report):
        raise Http404
    return attachment(evidence.file, evidence.name)


@login_required
def import_new(request: HttpRequest, pk: int) -> HttpResponse:
    period = _managed_period(request, pk)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            batch = imports.import_start(
                actor=request.user, period=period, upload=form.cleaned_data["file"]
            )
        except RaceError as exc:
            form.add_error("file", str(exc))
        else:
            target = reverse("races:import", args=[batch.pk])
            if request.headers.get("HX-Request"):
                # the upload went through htmx (with its progress bar): have it navigate
                return HttpResponse(status=204, headers={"HX-Redirect": target})
            return redirect(target)
    headers = import_templates.template_headers(parse_scheme(period.race.scheme_toml))
    return render(
        request, "races/import_new.html", {"period": period, "form": form, "headers": headers}
    )


def _managed_batch(request: HttpRequest, pk: int) -> ImportBatch:
    batch = get_object_or_404(ImportBatch.objects.select_related("period__race__owner"), pk=pk)
    if not may_manage_race(request.user, batch.period.race):
        raise Http404
    return batch


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    batch = _managed_batch(request, pk)
    template = (
        "races/_import_progress.html"
        if request.headers.get("HX-Request")
        else "races/import_detail.html"
    )
    preview = Preview.from_json(batch.preview) if batch.preview else None
    return render(request, template, {"batch": batch, "period": batch.period, "preview": preview})


IMPORT_DECISIONS = {
    "confirm": (imports.import_confirm, _("已导入，数据已写入")),
    "cancel": (imports.import_cancel, _("已取消这批导入，未写入任何数据")),
    "repreview": (imports.import_repreview, _("正在按当前数据重新预览")),
}


@login_required
@require_POST
def import_decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """Confirm, cancel or re-preview a previewed import."""
    batch = _managed_batch(request, pk)
    if action not in IMPORT_DECISIONS:
        raise Http404
    service, success = IMPORT_DECISIONS[action]
    try:
        service(actor=request.user, batch=batch)
    except RaceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, success)
    return redirect("races:import", batch.pk)


@login_required
def import_template(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    period = _managed_period(request, pk)
    name = f"template-{period.race.code}-{period.short_label}"
    if fmt == "xlsx":
        return attachment_response(import_templates.template_workbook(period), XLSX, f"{name}.xlsx")
    return attachment_response(import_templates.template_csv(period), CSV, f"{name}.csv")
