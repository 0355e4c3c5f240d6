"""The judge's page. Judges reach it by a link (``/arena/j/<token>/``: hashed lookup, expiry,
revocation, guesses throttled per client) or, holding a seat as a signed-in user, by
``/arena/<pk>/judge/``; the signed-in judge's contests are listed at ``/arena/scoring/``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from saima.arena import selectors, services
from saima.arena.models import (
    Contest,
    Contestant,
    JudgeLink,
    JudgeSeat,
    ScoreRevision,
    ScoringState,
)
from saima.arena.permissions import seat_of
from saima.core.security import client_ip
from saima.core.throttle import GuessThrottle

LINK_GUESSES = GuessThrottle("arena.link", limit=20, window=600)


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
