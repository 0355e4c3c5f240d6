"""Clarification pages (澄清正名): the queue with its statistics, a case, the public notices."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from saima.core.workflow import take
from saima.safeguards import selectors
from saima.safeguards.clarification.actions import (
    CaseStep,
    ClarifyCase,
    CloseCase,
    OpenCase,
    RecordConsent,
    VerifyCase,
    WithdrawConsent,
)
from saima.safeguards.clarification.services import active_consent
from saima.safeguards.forms import CaseForm, ClarifyForm, CloseForm, ConsentForm, VerifyForm
from saima.safeguards.lookups import applicant
from saima.safeguards.models import ClarificationCase
from saima.safeguards.permissions import may_view_case, works_with_safeguards


@login_required
def case_list(request: HttpRequest) -> HttpResponse:
    if not works_with_safeguards(request.user):
        raise PermissionDenied
    cases = selectors.cases_visible(request.user)
    findings = selectors.false_accusation_findings(request.user)
    context = {
        "findings": findings,
        "queue": selectors.case_queue(cases),
        "done": cases.exclude(status__in=selectors.OPEN_CASES).order_by("-clarified_at")[:50],
        "stats": {**selectors.case_statistics(cases), "referred": len(findings)},
    }
    return render(request, "safeguards/case_list.html", context)


@login_required
def case_new(request: HttpRequest, pk: int) -> HttpResponse:
    person = applicant(request, pk)
    referral = selectors.referral_for(person, request.GET.get("ref", "")[:80])
    initial = (
        {"source_ref": referral.ref, "allegation": referral.summary} if referral is not None else {}
    )
    form = CaseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        case = take(request, OpenCase(request.user, person, **form.cleaned_data), _("已受理。"))
        if case is not None:
            return redirect("safeguards:case", case.pk)
    context = {"person": person, "form": form, "referral": referral}
    return render(request, "safeguards/case_new.html", context)


def _case(request: HttpRequest, pk: int) -> ClarificationCase:
    case = get_object_or_404(
        ClarificationCase.objects.select_related("person", "unit", "opened_by"), pk=pk
    )
    if not may_view_case(request.user, case):
        raise Http404
    return case


@login_required
def case_detail(request: HttpRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    context = {
        "case": case,
        "consent": active_consent(case),
        "consents": case.consents.select_related("recorded_by", "withdrawn_by"),
        "public": selectors.public_notices().filter(pk=case.pk).exists(),
        "verifying": VerifyCase(request.user, case),
        "clarifying": ClarifyCase(request.user, case),
        "closing": CloseCase(request.user, case),
        "consenting": RecordConsent(request.user, case),
        "withdrawing": WithdrawConsent(request.user, case),
        "verify_form": VerifyForm(),
        "clarify_form": ClarifyForm(),
        "close_form": CloseForm(),
        "consent_form": ConsentForm(),
    }
    return render(request, "safeguards/case_detail.html", context)


FORMS = {"verify": VerifyForm, "clarify": ClarifyForm, "close": CloseForm, "consent": ConsentForm}
STEPS: dict[str, type[CaseStep]] = {
    "verify": VerifyCase,
    "clarify": ClarifyCase,
    "close": CloseCase,
    "consent": RecordConsent,
    "withdraw": WithdrawConsent,
}
DONE = {
    "verify": gettext_lazy("已登记核实结论。"),
    "clarify": gettext_lazy("已澄清正名。"),
    "close": gettext_lazy("已办结。"),
    "consent": gettext_lazy("已登记本人同意公开通报。"),
    "withdraw": gettext_lazy("已撤回同意；如已公开通报，通报已撤下。"),
}


@require_POST
@login_required
def case_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    case = _case(request, pk)
    if action not in STEPS:
        raise Http404
    inputs = {}
    if action in FORMS:
        form = FORMS[action](request.POST)
        if not form.is_valid():
            for errors in form.errors.values():
                messages.error(request, " ".join(str(error) for error in errors))
            return redirect("safeguards:case", case.pk)
        inputs = form.cleaned_data
    take(request, STEPS[action](request.user, case, **inputs), str(DONE[action]))
    return redirect("safeguards:case", case.pk)


def notice_list(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """The public notices live on the portal now (``portal:clarification:list``)."""
    return HttpResponsePermanentRedirect(reverse("portal:clarification:list"))


def notice_detail(request: HttpRequest, pk: int) -> HttpResponsePermanentRedirect:
    """A notice's old address: to the portal's page while it is public, else 404."""
    if not selectors.public_notices().filter(pk=pk).exists():
        raise Http404
    return HttpResponsePermanentRedirect(reverse("portal:clarification:notice", args=[pk]))
