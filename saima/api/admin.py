"""API tokens in the Django admin: read-only (a token is made by its user, shown once), with a
revoke action that goes through the service (audited)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from saima.api.models import ApiToken
from saima.api.services import TokenRefused, token_revoke
from saima.core.admin import ReadOnlyAdmin


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdmin):
    list_display = ["prefix", "name", "user", "unit", "expires_at", "revoked_at", "use_count"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "name", "user__username", "unit__name"]
    exclude = ["secret_hash"]
    actions = ["revoke"]

    @admin.action(description=_("吊销所选令牌"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        done = 0
        for token in queryset.filter(revoked_at__isnull=True):
            try:
                token_revoke(actor=request.user, token=token, reason="admin")
            except TokenRefused:
                continue
            done += 1
        self.message_user(request, _("已吊销 %(n)s 个令牌") % {"n": done}, messages.SUCCESS)
