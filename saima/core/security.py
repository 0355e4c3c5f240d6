"""Throttling failed logins, on top of django-axes.

The policy (limits in ``settings.LOGIN_FAILURE_LIMITS``, all counted within the cool-off window):

- one account from one client: a few failures lock that pair; the real user, on another
  machine, can still sign in, so a stranger cannot lock a colleague out by mistyping for them;
- one client across many accounts: more failures lock the client, whatever name it tries;
- one account from many clients (a spread-out guesser): many more failures lock the account.

Every lock ends by itself after ``AXES_COOLOFF_TIME``; an administrator can lift it sooner in
the admin (访问尝试) or with ``manage.py axes_reset_username``. Axes keeps one limit for all
keys, so ``LoginThrottle`` scales each key's count to it: a key at its own limit counts as
``AXES_FAILURE_LIMIT`` failures.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

log = logging.getLogger("saima.security")


def client_ip(request: HttpRequest) -> str | None:
    """The client's address: ``REMOTE_ADDR``, or behind ``TRUSTED_PROXY_COUNT`` reverse proxies
    the address the outermost of them saw (counted from the right of ``X-Forwarded-For``, the
    part a client cannot forge)."""
    proxies = settings.TRUSTED_PROXY_COUNT
    remote = request.META.get("REMOTE_ADDR")
    if proxies <= 0:
        return remote
    forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [a for a in forwarded if a]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote


class LoginThrottle(AxesDatabaseHandler):  # type: ignore[misc]  # axes ships no type hints
    """Axes' database handler with one limit per lockout key (see the module's docstring)."""

    def get_failures(self, request: HttpRequest, credentials: dict[str, Any] | None = None) -> int:
        common_limit: int = settings.AXES_FAILURE_LIMIT
        limits = list(settings.LOGIN_FAILURE_LIMITS.values())
        scaled = []
        for attempts, own_limit in zip(
            self.get_user_attempts(request, credentials), limits, strict=True
        ):
            failures = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            scaled.append(failures * common_limit // own_limit)
        return max(scaled, default=0)

    def reset_user_attempts(
        self, request: HttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """A successful login clears this account's failures from this client only: it proves
        nothing about other clients, nor about other accounts tried from here."""
        count, _ = AccessAttempt.objects.filter(
            username=get_client_username(request, credentials),
            ip_address=request.axes_ip_address,  # type: ignore[attr-defined]
        ).delete()
        return int(count)


def _lock_ends(request: HttpRequest) -> Any:
    cool_off = get_cool_off(request)
    return timezone.localtime(timezone.now() + cool_off) if cool_off else None


def lockout_response(
    request: HttpRequest, original_response: Any = None, credentials: Any = None
) -> HttpResponse:
    """The login page again, saying the sign-in is locked and until when (HTTP 429)."""
    context = {
        "form": AuthenticationForm(request),
        "locked_until": _lock_ends(request),
        "next": request.POST.get("next", ""),
    }
    return render(request, "core/login.html", context, status=429)


@receiver(user_locked_out)
def log_lockout(sender: Any, request: HttpRequest, username: str | None, **kwargs: Any) -> None:
    log.warning(
        "login locked: user %r from %s after repeated failures, until %s",
        username,
        kwargs.get("ip_address"),
        _lock_ends(request),
    )
