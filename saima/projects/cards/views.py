"""Cards pages: the list's cards by state, a card with its history and its next steps."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.core.exports import Table, table_response
from saima.core.workflow import take
from saima.projects.cards import services
from saima.projects.cards.actions import DecideCard, GiveYellowCard, WithdrawSnail
from saima.projects.lights.views import watched_list
from saima.projects.models import Card, CardState
from saima.projects.permissions import may_view_card


def cards(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = watched_list(request, code)
    rows = list(
        plist.cards.exclude(state=CardState.NONE)
        .select_related("project__locality")
        .order_by("state", "project__code")
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        body = [
            [
                c.project.code,
                c.project.name,
                c.project.locality.name,
                c.get_state_display(),
                c.plan,
                f"{c.deadline_year}-{c.deadline_month:02d}"
                if c.deadline_year and c.deadline_month
                else "",
            ]
            for c in rows
        ]
        headers = [
            _("项目代码"),
            _("项目名称"),
            _("所在地"),
            _("状态"),
            _("整改方案"),
            _("整改期限"),
        ]
        return table_response(
            Table(_("黄牌红牌"), headers, body), request.GET["format"], f"cards-{plist.code}"
        )
    counts = {state: sum(1 for c in rows if c.state == state) for state in CardState.values}
    context = {"plist": plist, "rows": rows, "counts": counts, "states": CardState}
    return render(request, "projects/cards/cards.html", context)


def viewable_card(request: HttpRequest, pk: int) -> Card:
    card = get_object_or_404(
        Card.objects.select_related(
            "project__locality", "project__owner_unit", "project_list__owner"
        ),
        pk=pk,
    )
    if not may_view_card(request.user, card):
        raise Http404
    return card


def card(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = viewable_card(request, pk)
    now = services.this_month()
    context = {
        "card": item,
        "plist": item.project_list,
        "events": list(item.events.select_related("actor", "rating_entry__rating")),
        "yellow": GiveYellowCard(
            request.user,
            item,
            plan="-",
            deadline=(now[0] + (now[1] // 12), now[1] % 12 + 1),
            now=now,
        ),
        "withdraw": WithdrawSnail(request.user, item, reason="-", now=now),
        "decide": DecideCard(request.user, item, now=now),
        "outcome": services.yellow_card_outcome(item)
        if item.state == CardState.YELLOW_CARD
        else None,
        "states": CardState,
    }
    return render(request, "projects/cards/card.html", context)


def _deadline(text: str) -> tuple[int, int] | None:
    try:
        year, month = (int(part) for part in text.split("-")[:2])
    except ValueError:
        return None
    return (year, month) if 1 <= month <= 12 and 2000 <= year <= 2100 else None


@login_required
@require_POST
def card_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    item = viewable_card(request, pk)
    step: Any
    if action == "yellow":
        deadline = _deadline(request.POST.get("deadline", ""))
        step = GiveYellowCard(
            request.user, item, plan=request.POST.get("plan", ""), deadline=deadline
        )
        success = _("已给予黄牌警告")
    elif action == "withdraw":
        step = WithdrawSnail(request.user, item, reason=request.POST.get("reason", ""))
        success = _("已撤销蜗牛认定，理由已记录")
    elif action == "decide":
        step = DecideCard(request.user, item)
        success = _("已按整改期限前的亮灯作出判定")
    else:
        raise Http404
    take(request, step, success)
    return redirect("projects:card", item.pk)
