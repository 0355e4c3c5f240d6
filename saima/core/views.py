from __future__ import annotations

import json
from typing import cast

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import translate_url
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

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


@require_GET
def language_switch(request: HttpRequest, code: str) -> HttpResponse:
    """A visitor's language switch: a link, so public pages carry no form and no CSRF cookie.

    It only sets the language cookie (as Django's ``set_language`` does) and returns to ``next``
    when that is a path on this site.
    """
    if code not in dict(settings.LANGUAGES):
        raise Http404
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(translate_url(target, code))
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )
    return response


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
