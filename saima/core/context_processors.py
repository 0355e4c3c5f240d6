from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saima.core.access import access_policy
from saima.core.navigation import nav_for


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    context: dict[str, Any] = {
        "nav_items": nav_for(user),
        "user_roles": sorted(access_policy().roles_of(user)),
    }
    if user.is_authenticated:
        context["unread_notices"] = user.notices.filter(read_at__isnull=True).count()
    return context
