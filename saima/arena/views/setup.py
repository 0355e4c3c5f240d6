"""The arena's lists and a contest's setup: new contests and series, the organiser's page of a
contest, its settings, its parts (rubric lines, panels, contestants, judges, conflicts) and a
fixed order of presentation.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.arena import actions, selectors, services
from saima.arena.forms import (
    ConflictForm,
    ContestantForm,
    ContestForm,
    CriterionForm,
    PanelForm,
    SeatForm,
    SeriesForm,
)
from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    ContestStatus,
    Criterion,
    JudgeSeat,
    Panel,
)
from saima.arena.permissions import (
    may_create_contest,
    may_manage_contest,
    may_view_board,
    may_watch_contest,
)
from saima.arena.views.common import _managed, _message, _watched
from saima.core.workflow import Action


def index(request: HttpRequest) -> HttpResponse:
    contests = list(selectors.contests_visible(request.user)[:200])
    mine = [c for c in contests if may_manage_contest(request.user, c)]
    watched = {c.pk for c in contests if may_watch_contest(request.user, c)}
    seats = []
    if request.user.is_authenticated:
        seats = list(
            JudgeSeat.objects.filter(user_id=request.user.pk)
            .exclude(contest__status=ContestStatus.REVEALED)
            .select_related("contest", "panel")
        )
    return render(
        request,
        "arena/index.html",
        {
            "contests": contests,
            "managed": {c.pk for c in mine},
            "watched": watched,
            "seats": seats,
            "may_create": may_create_contest(request.user),
        },
    )


@login_required
def contest_new(request: HttpRequest) -> HttpResponse:
    if not may_create_contest(request.user):
        raise PermissionDenied
    form = ContestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        try:
            contest = services.contest_create(
                actor=request.user, owner=form.cleaned_data["owner"], **data
            )
        except (services.ArenaError, ValidationError) as exc:
            form.add_error(None, _message(exc))
        else:
            messages.success(request, _("已创建擂台赛，请设置评分项、参赛单位和评委。"))
            return redirect("arena:contest", contest.pk)
    return render(request, "arena/contest_form.html", {"form": form, "contest": None})


@login_required
def series_new(request: HttpRequest) -> HttpResponse:
    if not may_create_contest(request.user):
        raise PermissionDenied
    form = SeriesForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.series_create(
                actor=request.user,
                owner=form.cleaned_data["owner"],
                name=form.cleaned_data["name"],
                description=form.cleaned_data["description"],
            )
        except (services.ArenaError, ValidationError) as exc:
            form.add_error(None, _message(exc))
        else:
            messages.success(request, _("已创建系列。"))
            return redirect("arena:contest_new")
    return render(request, "arena/series_form.html", {"form": form})


def contest_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The organiser's page of a contest (setup, progress, next steps); watchers read it.
    Judges and contestants have their own pages (the judge page, the results)."""
    contest = _watched(request, pk)
    user = request.user
    manager = may_manage_contest(user, contest)
    previous, follow = selectors.pledge_follow_up(contest)
    steps: dict[str, Action[Any]] = {
        "ready": actions.MarkReady(user, contest),
        "unready": actions.BackToDraft(user, contest),
        "draw": actions.DrawOrder(user, contest),
        "close": actions.CloseContest(user, contest),
        "reveal": actions.Reveal(user, contest),
        "release": actions.Release(user, contest),
        "withdraw": actions.Withdraw(user, contest),
    }
    contestants = list(
        contest.contestants.select_related("unit", "person").prefetch_related("pledges")
    )
    context = {
        "contest": contest,
        "manager": manager,
        "steps": steps,
        "editable": services.setup_refusal(contest) is None,
        "seating": services.seating_refusal(contest) is None,
        "criteria": list(contest.criteria.all()),
        "panels": list(contest.panels.all()),
        "contestants": contestants,
        "seats": list(contest.seats.select_related("panel", "unit")),
        "conflicts": list(
            Conflict.objects.filter(seat__contest=contest).select_related(
                "seat", "contestant__unit"
            )
        ),
        "progress": selectors.progress(contest),
        "problems": services.ready_problems(contest)
        if contest.status == ContestStatus.DRAFT
        else [],
        "previous": previous,
        "follow": follow,
        "forms": {
            "criterion": CriterionForm(contest=contest, prefix="criterion"),
            "panel": PanelForm(contest=contest, prefix="panel"),
            "contestant": ContestantForm(contest=contest, prefix="contestant"),
            "seat": SeatForm(contest=contest, prefix="seat"),
            "conflict": ConflictForm(contest=contest, prefix="conflict"),
        },
        "has_result": contest.results.exists(),
        "board": may_view_board(user, contest),
    }
    return render(request, "arena/contest_detail.html", context)


@login_required
def contest_edit(request: HttpRequest, pk: int) -> HttpResponse:
    contest = _managed(request, pk)
    form = ContestForm(request.POST or None, instance=contest, user=request.user)
    if request.method == "POST" and form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k != "owner"}
        try:
            services.contest_update(
                actor=request.user, contest=Contest.objects.get(pk=pk), **fields
            )
        except (services.ArenaError, ValidationError) as exc:
            form.add_error(None, _message(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect("arena:contest", contest.pk)
    return render(request, "arena/contest_form.html", {"form": form, "contest": contest})


PARTS: dict[str, tuple[type[Model], Any]] = {
    "criterion": (Criterion, CriterionForm),
    "panel": (Panel, PanelForm),
    "contestant": (Contestant, ContestantForm),
    "seat": (JudgeSeat, SeatForm),
    "conflict": (Conflict, ConflictForm),
}


def _part(contest: Contest, kind: str, obj_pk: int) -> Model:
    model = PARTS[kind][0]
    if kind == "conflict":
        return get_object_or_404(Conflict, pk=obj_pk, seat__contest=contest)
    return get_object_or_404(model, pk=obj_pk, contest=contest)


@login_required
def part_edit(request: HttpRequest, pk: int, kind: str, obj_pk: int | None = None) -> HttpResponse:
    """Add (``obj_pk`` None) or change a rubric line, panel, contestant, judge or conflict."""
    if kind not in PARTS:
        raise Http404
    contest = _managed(request, pk)
    instance = _part(contest, kind, obj_pk) if obj_pk is not None else None
    form_class = PARTS[kind][1]
    form = form_class(request.POST or None, instance=instance, contest=contest, prefix=kind)
    if request.method == "POST" and form.is_valid():
        try:
            services.setup_save(actor=request.user, contest=contest, obj=form.save(commit=False))
        except (services.ArenaError, ValidationError) as exc:
            form.add_error(None, _message(exc))
        else:
            messages.success(request, _("已保存。"))
            return redirect(reverse("arena:contest", args=[contest.pk]) + f"#{kind}s")
    return render(
        request,
        "arena/part_form.html",
        {
            "contest": contest,
            "form": form,
            "kind": kind,
            "instance": instance,
            "kind_label": PARTS[kind][0]._meta.verbose_name,
        },
    )


@login_required
@require_POST
def part_delete(request: HttpRequest, pk: int, kind: str, obj_pk: int) -> HttpResponse:
    if kind not in PARTS:
        raise Http404
    contest = _managed(request, pk)
    obj = _part(contest, kind, obj_pk)
    try:
        services.setup_delete(actor=request.user, contest=contest, obj=obj)  # type: ignore[arg-type]
    except services.ArenaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已删除。"))
    return redirect(reverse("arena:contest", args=[contest.pk]) + f"#{kind}s")


@login_required
@require_POST
def order_fix(request: HttpRequest, pk: int) -> HttpResponse:
    """A fixed order from the position boxes (``pos-<contestant id>``), first to last."""
    contest = _managed(request, pk)
    positions: list[tuple[int, int]] = []
    for key, raw in request.POST.items():
        if key.startswith("pos-"):
            try:
                positions.append((int(str(raw)), int(key[4:])))
            except ValueError:
                messages.error(request, _("顺序须填写正整数"))
                return redirect(reverse("arena:contest", args=[contest.pk]) + "#contestants")
    numbers = [p for p, _pk in positions]
    if len(set(numbers)) != len(numbers) or any(p < 1 for p in numbers):
        messages.error(request, _("每个参赛单位的顺序须不同，且为正整数"))
        return redirect(reverse("arena:contest", args=[contest.pk]) + "#contestants")
    try:
        services.order_fix(
            actor=request.user, contest=contest, order=[pk for _p, pk in sorted(positions)]
        )
    except services.ArenaError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("已排定出场顺序。"))
    return redirect(reverse("arena:contest", args=[contest.pk]) + "#contestants")
