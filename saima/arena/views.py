"""The arena pages (the host console and the projector board live in ``saima.arena.live``).

Each view authorises, validates a form, calls one service and renders. Someone who may not see
a contest gets 404 (its existence is not revealed); someone who may see it but not act, 403.
Judges reach their page by a link (``/arena/j/<token>/``: hashed lookup, expiry, revocation,
guesses throttled per client) or, holding a seat as a signed-in user, by ``/arena/<pk>/judge/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from saima.arena import actions, selectors, services
from saima.arena.forms import (
    ConflictForm,
    ContestantForm,
    ContestForm,
    CriterionForm,
    DeliveredForm,
    PanelForm,
    PledgeForm,
    SeatForm,
    SeriesForm,
)
from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    ContestStatus,
    Criterion,
    JudgeLink,
    JudgeSeat,
    Panel,
    PledgeItem,
    ScoreRevision,
    ScoringState,
)
from saima.arena.permissions import (
    is_public,
    is_revealed,
    may_create_contest,
    may_manage_contest,
    may_view_board,
    may_view_contest,
    may_view_judge_scores,
    may_watch_contest,
    seat_of,
)
from saima.core.exports import Table, table_response
from saima.core.security import client_ip
from saima.core.throttle import GuessThrottle
from saima.core.workflow import Action, take

LINK_GUESSES = GuessThrottle("arena.link", limit=20, window=600)


def _contest(request: HttpRequest, pk: int) -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("owner", "series"), pk=pk)
    if not may_view_contest(request.user, contest):
        raise Http404
    return contest


def _managed(request: HttpRequest, pk: int) -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("owner", "series"), pk=pk)
    if not may_watch_contest(request.user, contest):
        raise Http404
    if not may_manage_contest(request.user, contest):
        raise PermissionDenied
    return contest


def _watched(request: HttpRequest, pk: int) -> Contest:
    contest = get_object_or_404(Contest.objects.select_related("owner", "series"), pk=pk)
    if not may_watch_contest(request.user, contest):
        raise Http404
    return contest


# ---------------------------------------------------------------- lists and setup


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


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)


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


# ---------------------------------------------------------------- judges and links


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


# ---------------------------------------------------------------- the judge's page


def _seat_by_token(request: HttpRequest, token: str) -> JudgeSeat:
    """The seat behind a link token, or 404 (unknown, revoked, expired); 429 after too many
    wrong guesses from this client."""
    client = client_ip(request)
    if LINK_GUESSES.blocked(client):
        raise Throttled
    link = selectors.link_for_token(services.token_hash(token)) if len(token) <= 64 else None
    if link is None:
        LINK_GUESSES.fail(client)
        raise Http404
    if link.revoked_at is not None or link.expires_at <= timezone.now():
        raise LinkDead(link)
    services.link_touch(link)
    return link.seat


class Throttled(Exception):
    pass


class LinkDead(Exception):
    def __init__(self, link: JudgeLink) -> None:
        self.link = link


def _dead(request: HttpRequest, exc: LinkDead) -> HttpResponse:
    reason = _("此链接已被撤销") if exc.link.revoked_at else _("此链接已过期")
    return render(request, "arena/judge_gone.html", {"reason": reason}, status=410)


def _throttled(request: HttpRequest) -> HttpResponse:
    return render(
        request, "arena/judge_gone.html", {"reason": _("尝试次数过多，请稍后再试")}, status=429
    )


def _with_seat(
    view: Callable[[HttpRequest, JudgeSeat, dict[str, str]], HttpResponse],
) -> Callable[..., HttpResponse]:
    """Resolve the seat (by token, or by the signed-in user's seat) and call ``view``."""

    def by_token(request: HttpRequest, token: str) -> HttpResponse:
        try:
            seat = _seat_by_token(request, token)
        except Throttled:
            return _throttled(request)
        except LinkDead as exc:
            return _dead(request, exc)
        urls = {
            "page": reverse("arena:judge", args=[token]),
            "state": reverse("arena:judge_state", args=[token]),
            "submit": reverse("arena:judge_submit", args=[token]),
        }
        response = view(request, seat, urls | {"via": ScoreRevision.Via.LINK})
        response["Referrer-Policy"] = "no-referrer"
        return response

    return by_token


def _with_login_seat(
    view: Callable[[HttpRequest, JudgeSeat, dict[str, str]], HttpResponse],
) -> Callable[..., HttpResponse]:
    @login_required
    def by_login(request: HttpRequest, pk: int) -> HttpResponse:
        contest = get_object_or_404(Contest, pk=pk)
        seat = seat_of(request.user, contest)
        if seat is None:
            raise Http404
        urls = {
            "page": reverse("arena:judge_login", args=[pk]),
            "state": reverse("arena:judge_login_state", args=[pk]),
            "submit": reverse("arena:judge_login_submit", args=[pk]),
        }
        return view(request, seat, urls | {"via": ScoreRevision.Via.LOGIN})

    return by_login


def judge_state(seat: JudgeSeat) -> dict[str, Any]:
    """What a judge's page shows, as JSON: the contest, the rubric, and each contestant with
    the judge's own scores and conflict (never another judge's score)."""
    contest = Contest.objects.get(pk=seat.contest_id)
    lines = selectors.judge_sheet(seat)
    return {
        "contest": {
            "id": contest.pk,
            "title": contest.title,
            "status": contest.status,
            "status_label": contest.get_status_display(),
            "current": contest.current_id,
        },
        "seat": {"id": seat.pk, "name": seat.name, "panel": seat.panel.name},
        "criteria": [
            {"code": k.code, "name": k.name, "maximum": float(k.maximum)}
            for k in contest.criteria.all()
        ],
        "contestants": [
            {
                "id": line.contestant.pk,
                "unit": line.contestant.unit.name,
                "person": line.contestant.person.name if line.contestant.person else "",
                "topic": line.contestant.topic,
                "position": line.contestant.position,
                "scoring": line.contestant.scoring,
                "scoring_label": line.contestant.get_scoring_display(),
                "conflict": line.conflict,
                "scores": {code: float(v) for code, v in line.scores.items()},
                "version": line.version,
            }
            for line in lines
        ],
        "at": timezone.now().isoformat(),
    }


def judge_texts() -> dict[str, str]:
    """The judge page's words, for its script (in the page's language)."""
    return {
        "saved": _("已保存"),
        "pending": _("待发送"),
        "offline": _("离线"),
        "online": _("已连接"),
        "draft": _("有未提交的修改"),
        "sending": _("正在发送…"),
        "submit": _("提交评分"),
        "amend": _("修改评分"),
        "waiting": _("等待主持人开始评分"),
        "closed": _("评分已结束"),
        "open": _("评分中"),
        "conflict": _("回避"),
        "on_stage": _("台上"),
        "your_total": _("你的评分"),
        "not_scored": _("未评分"),
        "max": _("满分"),
        "over_max": _("超过满分"),
        "fill_all": _("请为每一项打分"),
        "contest_over": _("本场评分已结束，感谢参与。"),
        "contest_waiting": _("比赛尚未开始，请稍候。"),
        "choose": _("请选择要评分的参赛单位"),
        "position": _("第 %s 个出场"),
        "saved_at": _("已保存（第 %s 版）"),
        "idempotent": _("与已保存的评分相同"),
    }


def _judge_page(request: HttpRequest, seat: JudgeSeat, urls: dict[str, str]) -> HttpResponse:
    return render(
        request,
        "arena/judge.html",
        {
            "seat": seat,
            "contest": seat.contest,
            "state": judge_state(seat),
            "urls": urls,
            "texts": judge_texts(),
        },
    )


def _judge_state(request: HttpRequest, seat: JudgeSeat, urls: dict[str, str]) -> HttpResponse:
    return JsonResponse(judge_state(seat))


def _judge_submit(request: HttpRequest, seat: JudgeSeat, urls: dict[str, str]) -> HttpResponse:
    if request.method != "POST":
        return JsonResponse({"ok": False, "error": _("请用表单提交")}, status=405)
    try:
        if request.content_type == "application/json":
            body = json.loads(request.body or b"{}")
            if not isinstance(body, dict):
                raise ValueError
            contestant_id = int(str(body.get("contestant")))
            values = body.get("values")
        else:  # a plain form: the contestant and one field per criterion code
            contestant_id = int(request.POST.get("contestant", ""))
            values = {
                k: v
                for k, v in request.POST.items()
                if k not in ("contestant", "csrfmiddlewaretoken")
            }
        if not isinstance(values, dict):
            raise ValueError
    except (ValueError, TypeError, json.JSONDecodeError):
        return JsonResponse({"ok": False, "error": _("提交的数据格式不对")}, status=400)
    contestant = Contestant.objects.filter(pk=contestant_id, contest_id=seat.contest_id).first()
    if contestant is None:
        return JsonResponse({"ok": False, "error": _("参赛单位不属于此擂台赛")}, status=404)
    try:
        outcome = services.score_submit(
            seat=seat,
            contestant=contestant,
            values={str(k): v for k, v in values.items()},
            via=urls["via"],
            ip_address=client_ip(request),
            actor=request.user if urls["via"] == ScoreRevision.Via.LOGIN else None,
        )
    except services.ArenaError as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=409)
    line = next((x for x in selectors.judge_sheet(seat) if x.contestant.pk == contestant.pk), None)
    return JsonResponse(
        {
            "ok": True,
            "idempotent": outcome.idempotent,
            "amended": outcome.amended,
            "contestant": contestant.pk,
            "scores": {k: float(v) for k, v in (line.scores if line else {}).items()},
            "version": line.version if line else 0,
        }
    )


judge = never_cache(require_GET(_with_seat(_judge_page)))
judge_state_view = never_cache(require_GET(_with_seat(_judge_state)))
judge_submit = never_cache(require_POST(_with_seat(_judge_submit)))
judge_login = never_cache(require_GET(_with_login_seat(_judge_page)))
judge_login_state = never_cache(require_GET(_with_login_seat(_judge_state)))
judge_login_submit = never_cache(require_POST(_with_login_seat(_judge_submit)))


# ---------------------------------------------------------------- results


def results(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The results for the contest's people (managers, watchers, judges, contestants). The
    public's results page is the portal's (one address, kept whole, printable): a released
    contest's visitors who are not its watchers are sent there."""
    contest = _contest(request, pk)
    fmt = request.GET.get("format")
    if is_public(contest) and fmt is None and not may_watch_contest(request.user, contest):
        return redirect("portal:arena:contest", contest.pk)
    table = selectors.result_table(contest, request.user) if is_revealed(contest) else None
    if fmt in ("csv", "xlsx") and table is not None and not table.partial:
        return table_response(_export(contest, table), fmt, f"{contest.title}-结果")
    sheets = selectors.judge_scores(contest) if may_view_judge_scores(request.user, contest) else []
    previous, follow = selectors.pledge_follow_up(contest)
    return render(
        request,
        "arena/results.html",
        {
            "contest": contest,
            "table": table,
            "sheets": sheets,
            "criteria": list(contest.criteria.all()),
            "watch": may_watch_contest(request.user, contest),
            "manager": may_manage_contest(request.user, contest),
            "previous": previous,
            "follow": follow if may_watch_contest(request.user, contest) else [],
            "board": may_view_board(request.user, contest),
        },
    )


def _export(contest: Contest, table: selectors.ResultTable) -> Table:
    headers = [_("名次"), _("单位"), _("陈述人"), _("得分")]
    headers += [str(p["name"]) for p in table.panels]
    headers += [f"{k['name']}" for k in table.criteria]
    headers += [_("平均分"), _("去掉最高分和最低分"), _("标准化分")]
    rows = []
    for row in table.rows:
        c = row["object"]
        rows.append(
            [row["rank"], c.unit.name, str(c.person or ""), round(row["score"], 4)]
            + [round(row[f"panel:{p['code']}"], 4) for p in table.panels]
            + [round(row[f"criterion:{k['code']}"], 4) for k in table.criteria]
            + [round(row[f"{m}:score"], 4) for m in table.methods]
        )
    return Table(title=contest.title, headers=headers, rows=rows)


def my_scoring(request: HttpRequest) -> HttpResponse:
    """The signed-in judge's contests (the demo judge login lands here)."""
    if not request.user.is_authenticated:
        return redirect("login")
    seats = list(
        JudgeSeat.objects.filter(user_id=request.user.pk)
        .select_related("contest", "panel")
        .order_by("-contest__date")
    )
    return render(request, "arena/my_scoring.html", {"seats": seats, "open": ScoringState.OPEN})
