"""How the arena pages find a contest for the user (404 when they may not see it, 403 when
they may see it but not act), and a refusal's words for a form.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from saima.arena.models import Contest
from saima.arena.permissions import may_manage_contest, may_view_contest, may_watch_contest


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


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)
