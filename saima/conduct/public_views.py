"""The anonymous pages: the clue intake and the receipt (no login, no session, no trace).

Everything under ``/conduct/report/`` is registered as anonymous (``saima.core.anonymity``):
the middleware has already removed the address, user agent and referrer from the request
before any of this runs, and the daphne entry point (``saima.config.serve``) keeps these paths
out of the access log. These views use no session and no messages (a message would be stored
in a cookie or the session); every answer is ``no-store``. (``Referrer-Policy`` stays ``same-origin``: with
``no-referrer`` browsers post forms with ``Origin: null``, which CSRF rightly refuses; the
``Referer`` header is removed by the middleware anyway.)
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods, require_POST

from saima.conduct import clues, intake
from saima.conduct.errors import ConductError
from saima.conduct.forms import AnswerForm, ClueForm, ReceiptForm
from saima.conduct.models import Clue, MessageKind

NO_STORE = "no-store"


def _private(response: HttpResponse) -> HttpResponse:
    response.headers["Cache-Control"] = NO_STORE
    return response


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> HttpResponse:
    return _private(render(request, template, context))


@require_http_methods(["GET", "POST"])
def report(request: HttpRequest) -> HttpResponse:
    """反映问题: the public intake."""
    form = ClueForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.clue_input()
        refusal = intake.submission_refusal(
            request, unit_id=data.unit.pk, person_id=data.person.pk if data.person else None
        )
        if refusal:
            form.add_error(None, refusal)
        else:
            try:
                clue, receipt = clues.clue_submit(data=data, evidence=form.cleaned_data["evidence"])
            except ConductError as exc:
                form.add_error(None, str(exc))
            else:
                return _page(request, "conduct/public/submitted.html", {"receipt": receipt})
    return _page(request, "conduct/public/report.html", {"form": form})


def _status_page(request: HttpRequest, clue: Clue, receipt_text: str, **extra: Any) -> HttpResponse:
    messages = clue.messages.filter(kind__in=[MessageKind.QUESTION, MessageKind.ANSWER])
    context = {
        "clue": clue,
        "exchanges": messages,
        "answer_form": AnswerForm(initial={"receipt": receipt_text}),
        "waiting": clues.answer_refusal(clue) is None,
        **extra,
    }
    return _page(request, "conduct/public/status.html", context)


@require_http_methods(["GET", "POST"])
def receipt(request: HttpRequest) -> HttpResponse:
    """查询进展: the receipt code is posted (never in a URL, so never in a log or history)."""
    form = ReceiptForm(request.POST or None)
    throttled = False
    if request.method == "POST" and form.is_valid():
        opened = intake.open_by_receipt(request, form.cleaned_data["receipt"])
        if opened.clue is not None:
            return _status_page(request, opened.clue, form.cleaned_data["receipt"])
        form.add_error("receipt", opened.refusal)
        throttled = opened.throttled
    response = _page(request, "conduct/public/receipt.html", {"form": form})
    if throttled:
        response.status_code = 429
    return response


@require_POST
def answer(request: HttpRequest) -> HttpResponse:
    """答复提问: the submitter answers the officer's question, with the receipt again."""
    form = AnswerForm(request.POST)
    if not form.is_valid():
        return _invalid(request, ReceiptForm(request.POST))
    opened = intake.open_by_receipt(request, form.cleaned_data["receipt"])
    if opened.clue is None:
        retry = ReceiptForm(request.POST)
        retry.is_valid()
        retry.add_error("receipt", opened.refusal)
        return _invalid(request, retry, 429 if opened.throttled else 200)
    try:
        clues.clue_answer(clue=opened.clue, text=form.cleaned_data["answer"])
    except ConductError as exc:
        return _status_page(request, opened.clue, form.cleaned_data["receipt"], error=str(exc))
    opened.clue.refresh_from_db()
    return _status_page(request, opened.clue, form.cleaned_data["receipt"], answered=True)


def _invalid(request: HttpRequest, form: ReceiptForm, status: int = 200) -> HttpResponse:
    response = _page(request, "conduct/public/receipt.html", {"form": form})
    response.status_code = status
    return response
