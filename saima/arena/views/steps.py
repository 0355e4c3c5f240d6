"""One step on a contest by its action object: the buttons of the setup page and of the host
console (ready, draw, call, timer, scoring, close, reveal, release).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.arena import actions
from saima.arena.models import Contest, Contestant
from saima.arena.views.common import _managed
from saima.core.workflow import Action, take


def _contestant_of(request: HttpRequest, contest: Contest) -> Contestant:
    raw = request.POST.get("contestant", "")
    if not raw.isdigit():
        raise Http404
    return get_object_or_404(
        Contestant.objects.select_related("unit"), pk=int(raw), contest=contest
    )


CONTEST_STEPS: dict[str, Callable[[HttpRequest, Contest], Action[Any]]] = {
    "ready": lambda r, c: actions.MarkReady(r.user, c),
    "unready": lambda r, c: actions.BackToDraft(r.user, c),
    "draw": lambda r, c: actions.DrawOrder(r.user, c),
    "call": lambda r, c: actions.CallContestant(r.user, c, _contestant_of(r, c)),
    "timer-start": lambda r, c: actions.StartTimer(r.user, c),
    "timer-pause": lambda r, c: actions.PauseTimer(r.user, c),
    "timer-stop": lambda r, c: actions.StopTimer(r.user, c),
    "open": lambda r, c: actions.OpenScoring(r.user, c, _contestant_of(r, c)),
    "close-scoring": lambda r, c: actions.CloseScoring(r.user, c, _contestant_of(r, c)),
    "close": lambda r, c: actions.CloseContest(r.user, c),
    "reveal": lambda r, c: actions.Reveal(r.user, c),
    "release": lambda r, c: actions.Release(r.user, c),
    "withdraw": lambda r, c: actions.Withdraw(r.user, c),
}


@login_required
@require_POST
def contest_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One step on a contest by its action object (the setup page's and console's buttons)."""
    step = CONTEST_STEPS.get(action)
    if step is None:
        raise Http404
    contest = _managed(request, pk)
    chosen = step(request, contest)
    take(request, chosen, _("已完成：%(a)s") % {"a": chosen.label})
    back = request.POST.get("next", "")
    if back.startswith("/arena/") and "//" not in back:
        return redirect(back)
    return redirect("arena:contest", contest.pk)
