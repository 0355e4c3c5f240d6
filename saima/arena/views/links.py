"""Judges' links: the judges' page, a new link (shown once, with its QR code), a revoked link,
and the PDF sheet of every judge's QR code.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.arena import actions, selectors, services
from saima.arena.models import JudgeLink, JudgeSeat
from saima.arena.views.common import _managed
from saima.core.workflow import take


@login_required
def judges(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    return render(
        request,
        "arena/judges.html",
        {
            "contest": contest,
            "rows": selectors.seats_with_links(contest),
            "now": timezone.now(),
            "seating": services.seating_refusal(contest) is None,
        },
    )


def _judge_url(request: HttpRequest, token: str) -> str:
    return request.build_absolute_uri(reverse("arena:judge", args=[token]))


@login_required
@require_POST
def link_issue(request: HttpRequest, pk: int, seat_pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    seat = get_object_or_404(
        JudgeSeat.objects.select_related("contest"), pk=seat_pk, contest=contest
    )
    outcome = take(request, actions.IssueLink(request.user, seat), _("已生成新链接，旧链接失效。"))
    if outcome is None:
        return redirect("arena:judges", contest.pk)
    link, token = outcome
    from saima.arena.qr import qr_svg

    url = _judge_url(request, token)
    response = render(
        request,
        "arena/link_issued.html",
        {"contest": contest, "seat": seat, "link": link, "url": url, "qr": qr_svg(url)},
    )
    response["Referrer-Policy"] = "no-referrer"
    return response


@login_required
@require_POST
def link_revoke(request: HttpRequest, pk: int, link_pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    link = get_object_or_404(
        JudgeLink.objects.select_related("seat__contest"), pk=link_pk, seat__contest=contest
    )
    take(request, actions.RevokeLink(request.user, link), _("已撤销链接。"))
    return redirect("arena:judges", contest.pk)


@login_required
@require_POST
def qr_sheet(request: HttpRequest, pk: int) -> HttpResponseBase:
    """New links for every judge, printed as a PDF sheet of QR codes (the old links stop)."""
    contest = _managed(request, pk)
    refusal = services.seating_refusal(contest)
    if refusal is not None:
        messages.error(request, refusal)
        return redirect("arena:judges", contest.pk)
    if not contest.seats.exists():
        messages.error(request, _("还没有评委"))
        return redirect("arena:judges", contest.pk)
    from saima.arena.qr import qr_sheet_pdf

    tokens = services.links_issue_all(actor=request.user, contest=contest)
    seats = contest.seats.select_related("panel", "unit").order_by(
        "panel__position", "position", "pk"
    )
    entries = [(seat, _judge_url(request, tokens[seat.pk])) for seat in seats if seat.pk in tokens]
    pdf = qr_sheet_pdf(contest, entries)
    from saima.core.exports import attachment_response

    return attachment_response(pdf, "application/pdf", f"{contest.title}-评委二维码.pdf")
