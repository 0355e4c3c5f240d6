"""A contestant's page and its pledges (军令状): added, delivered (兑现), deleted."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.arena import selectors, services
from saima.arena.forms import DeliveredForm, PledgeForm
from saima.arena.models import Contestant, PledgeItem
from saima.arena.permissions import may_manage_contest, may_watch_contest
from saima.arena.views.common import _message, _watched


def contestant_detail(request: HttpRequest, pk: int, cid: int) -> HttpResponse:
    contest = _watched(request, pk)
    contestant = get_object_or_404(
        Contestant.objects.select_related("unit", "person"), pk=cid, contest=contest
    )
    manager = may_manage_contest(request.user, contest)
    form = PledgeForm(request.POST or None, prefix="pledge")
    if request.method == "POST":
        if not manager:
            raise PermissionDenied
        if form.is_valid():
            pledge = form.save(commit=False)
            pledge.contestant = contestant
            pledge.position = contestant.pledges.count()
            try:
                services.setup_save(actor=request.user, contest=contest, obj=pledge)
            except (services.ArenaError, ValidationError) as exc:
                form.add_error(None, _message(exc))
            else:
                messages.success(request, _("已添加承诺事项。"))
                return redirect("arena:contestant", contest.pk, contestant.pk)
    previous, follow = selectors.pledge_follow_up(contest)
    earlier = next((f for f in follow if f.contestant.pk == contestant.pk), None)
    return render(
        request,
        "arena/contestant_detail.html",
        {
            "contest": contest,
            "contestant": contestant,
            "pledges": list(contestant.pledges.all()),
            "form": form,
            "manager": manager,
            "previous": previous,
            "earlier": earlier,
            "deliver_form": DeliveredForm(),
        },
    )


@login_required
@require_POST
def pledge_deliver(request: HttpRequest, pledge_pk: int) -> HttpResponse:
    pledge = get_object_or_404(
        PledgeItem.objects.select_related("contestant__contest__owner"), pk=pledge_pk
    )
    contest = pledge.contestant.contest
    if not may_watch_contest(request.user, contest):
        raise Http404
    if not may_manage_contest(request.user, contest):
        raise PermissionDenied
    form = DeliveredForm(request.POST)
    if form.is_valid():
        services.pledge_deliver(
            actor=request.user,
            pledge=pledge,
            delivered=form.cleaned_data["delivered"],
            note=form.cleaned_data["note"],
        )
        messages.success(request, _("已登记完成情况。"))
    else:
        messages.error(request, "；".join(str(e) for errs in form.errors.values() for e in errs))
    back = request.POST.get("back") or ""
    if back.startswith("/arena/") and "//" not in back:
        return redirect(back)
    return redirect("arena:contestant", contest.pk, pledge.contestant_id)


@login_required
@require_POST
def pledge_delete(request: HttpRequest, pledge_pk: int) -> HttpResponse:
    pledge = get_object_or_404(
        PledgeItem.objects.select_related("contestant__contest__owner"), pk=pledge_pk
    )
    contest = pledge.contestant.contest
    if not may_watch_contest(request.user, contest):
        raise Http404
    if not may_manage_contest(request.user, contest):
        raise PermissionDenied
    services.setup_delete(actor=request.user, contest=contest, obj=pledge)
    messages.success(request, _("已删除。"))
    return redirect("arena:contestant", contest.pk, pledge.contestant_id)
