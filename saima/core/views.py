from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saima.core.models import AuditEvent, Notice
from saima.core.navigation import panels_for
from saima.org.permissions import audit_events_visible, grants_of, may_read_audit


def home(request: HttpRequest) -> HttpResponse:
    context = {"panels": panels_for(request), "grants": grants_of(request.user)}
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    page = Paginator(request.user.notices.all(), 30).get_page(request.GET.get("page"))
    return render(request, "core/notices.html", {"page": page})


@login_required
@require_POST
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk, user=request.user)
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    return redirect(notice.link or "notices")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    if not may_read_audit(request.user):
        raise PermissionDenied
    events = AuditEvent.objects.filter(audit_events_visible(request.user)).order_by("-seq")
    action = request.GET.get("action", "").strip()
    if action:
        events = events.filter(action__startswith=action)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "core/audit_log.html", {"page": page, "action": action})
