"""The projector board and the host console: pages that render the live state as JSON at load
(so they show the contest at once) and then follow the contest's socket; and the console's one
POST view, which takes the arena's action objects."""

from __future__ import annotations

import io
from typing import Any

import segno
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.arena import permissions
from saima.arena.live import state
from saima.arena.live.host import BUTTONS
from saima.arena.models import Contest, Contestant
from saima.core.workflow import ActionRefused, take


def _contest(pk: int) -> Contest:
    contest = state.load_contest(pk)
    if contest is None:
        raise Http404
    return contest


def _labels() -> dict[str, str]:
    """The words the pages' scripts write (translated here, so the scripts hold none)."""
    return {
        "lost": _("连接已断开，正在重连…"),
        "denied": _("无权查看"),
        "scored": _("已评分"),
        "waiting": _("未评分"),
        "conflict": _("回避"),
        "count": _("{n} / {m}"),
        "out_of": _("/ {m}"),
        "rank": _("名次"),
        "unit": _("单位"),
        "score": _("得分"),
        "overtime": _("超时"),
        "nobody": _("尚未有单位上台"),
        "scan": _("扫码查看公开结果"),
        "judges": _("评委"),
        "used": _("最近使用"),
        "progress": _("评分进度"),
        "empty_seats": _("还没有评委"),
        "empty_contestants": _("还没有参赛单位"),
        "failed": _("操作未完成"),
        "order": _("第 {n} 位"),
        "lineup": _("出场顺序"),
        "ranking": _("比拼结果"),
        "current": _("当前上台"),
        "links": _("评委链接"),
        "used_links": _("已使用"),
        "actions": _("主持操作"),
    }


def _socket_path(kind: str, contest: Contest) -> str:
    return f"/ws/arena/{contest.pk}/{kind}/?lang={get_language() or ''}"


def board(request: HttpRequest, pk: int) -> HttpResponse:
    """The projector board (大屏): the contest's people any time, everyone once released."""
    contest = _contest(pk)
    if not permissions.may_view_board(request.user, contest):
        raise Http404
    context: dict[str, Any] = {
        "contest": contest,
        "live_state": state.board_state(contest, request.user),
        "socket_path": _socket_path("board", contest),
        "labels": _labels(),
        "manager": permissions.may_manage_contest(request.user, contest),
    }
    return render(request, "arena/live/board.html", context)


def board_qr(request: HttpRequest, pk: int) -> HttpResponse:
    """The QR code on the board after release: it opens the contest's public results page on
    the portal (released contests only)."""
    contest = _contest(pk)
    if not permissions.is_public(contest):
        raise Http404
    url = request.build_absolute_uri(reverse("portal:arena:contest", args=[contest.pk]))
    svg = io.BytesIO()
    segno.make(url, error="m").save(svg, kind="svg", scale=8, dark="#111", light="#fff")
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


def console(request: HttpRequest, pk: int) -> HttpResponse:
    """The host console (主持人控制台): the contest's managers only."""
    contest = _contest(pk)
    if not permissions.may_manage_contest(request.user, contest):
        raise Http404
    context: dict[str, Any] = {
        "contest": contest,
        "live_state": state.console_state(contest, request.user),
        "socket_path": _socket_path("console", contest),
        "labels": _labels(),
    }
    return render(request, "arena/live/console.html", context)


def _wants_json(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


@require_POST
def console_action(request: HttpRequest, pk: int, name: str) -> HttpResponseBase:
    """One button of the console: the arena's action object, taken by this user."""
    contest = _contest(pk)
    if not permissions.may_manage_contest(request.user, contest):
        raise Http404
    button = BUTTONS.get(name)
    if button is None:
        raise Http404
    contestant = None
    if button.per_contestant:
        raw = request.POST.get("contestant", "")
        if not raw.isdigit():
            raise Http404
        contestant = get_object_or_404(Contestant, pk=int(raw), contest=contest)
    action = button.build(request.user, contest, contestant)
    if _wants_json(request):
        try:
            action.execute()
        except ActionRefused as exc:
            return JsonResponse({"ok": False, "message": str(exc)}, status=409)
        return JsonResponse({"ok": True, "message": str(action.label)})
    take(request, action, str(action.label))
    return redirect("arena_live:console", pk=contest.pk)
