from __future__ import annotations

import json
from typing import cast

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from saima.core.access import access_policy
from saima.core.actions import action_choices, is_known_action
from saima.core.audit import chain_head
from saima.core.checkpoints import checkpoint_issue, public_key
from saima.core.models import AuditEvent, Notice
from saima.core.navigation import panels_for
from saima.core.verification import registered_verifiers, verification_run_audited


def home(request: HttpRequest) -> HttpResponse:
    context = {
        "panels": panels_for(request),
        "role_labels": access_policy().role_labels(request.user),
    }
    return render(request, "core/home.html", context)


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


@login_required
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.filter(user_id=cast(int, request.user.pk))
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "core/notices.html", {"page": page})


@login_required
@require_POST
def notice_open(request: HttpRequest, pk: int) -> HttpResponse:
    notice = get_object_or_404(Notice, pk=pk, user_id=cast(int, request.user.pk))
    if notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    return redirect(notice.link or "notices")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    policy = access_policy()
    if not policy.may_read_audit(request.user):
        raise PermissionDenied
    events = (
        AuditEvent.objects.filter(policy.audit_events_visible(request.user))
        .select_related("actor")
        .order_by("-seq")
    )
    action = request.GET.get("action", "").strip()
    if action:
        exact = is_known_action(action)
        events = events.filter(action=action) if exact else events.filter(action__startswith=action)
    context = {
        "page": Paginator(events, 50).get_page(request.GET.get("page")),
        "action": action,
        "actions": action_choices(),
        "may_verify": policy.may_verify_audit(request.user),
    }
    return render(request, "core/audit_log.html", context)


@login_required
@require_POST
def audit_verify(request: HttpRequest) -> HttpResponse:
    """Discipline officers and superusers run the chain and result verification (audited)."""
    if not access_policy().may_verify_audit(request.user):
        raise PermissionDenied
    report = verification_run_audited(actor=request.user)
    context = {"report": report, "verifiers": list(registered_verifiers())}
    return render(request, "core/audit_verify.html", context)


def audit_head(request: HttpRequest) -> HttpResponse:
    """Public: the chain head to write down, and the signed checkpoint to download."""
    context = {"head": chain_head(), "public_key": public_key()}
    return render(request, "core/audit_head.html", context)


def audit_checkpoint(request: HttpRequest) -> HttpResponse:
    data = checkpoint_issue()
    response = HttpResponse(
        json.dumps(data, indent=2) + "\n", content_type="application/json; charset=utf-8"
    )
    name = f"saima-audit-checkpoint-{data['seq']}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
