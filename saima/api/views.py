"""The token pages of the signed-in UI: list, make (the token shown once), revoke; and the
API's documentation page (Swagger UI, served from this host)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.api import services
from saima.api.forms import TokenForm
from saima.api.permissions import may_hold_tokens, may_revoke_token, tokens_visible_to
from saima.api.v1.api import api


def api_docs(request: HttpRequest) -> HttpResponse:
    return api.docs.render_page(request, api)


def _holder(request: HttpRequest) -> None:
    if not may_hold_tokens(request.user):
        raise PermissionDenied


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    _holder(request)
    tokens = tokens_visible_to(request.user).select_related("user", "unit", "revoked_by")
    rows = [
        {"token": t, "revocable": t.active and may_revoke_token(request.user, t)} for t in tokens
    ]
    return render(request, "api/tokens.html", {"rows": rows})


@login_required
def token_new(request: HttpRequest) -> HttpResponse:
    _holder(request)
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            issued = services.token_create(
                actor=request.user,
                unit=form.cleaned_data["unit"],
                roles=form.cleaned_data["roles"],
                name=form.cleaned_data["name"],
                days=form.cleaned_data["days"],
            )
        except services.TokenRefused as exc:
            form.add_error(None, str(exc))
        else:
            # Shown in this answer only (never stored, never redirected to): the page says so.
            return render(request, "api/token_created.html", {"issued": issued})
    return render(request, "api/token_new.html", {"form": form})


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(tokens_visible_to(request.user), pk=pk)
    try:
        services.token_revoke(actor=request.user, token=token)
    except services.TokenRefused as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("令牌 %(prefix)s 已吊销，立即失效。") % {"prefix": token.prefix}
        )
    return redirect("api:tokens")
