from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saima.core.navigation import nav_for
from saima.org.permissions import roles_of


def shell(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None:
        return {}
    context: dict[str, Any] = {"nav_items": nav_for(user), "user_roles": sorted(roles_of(user))}
    if user.is_authenticated:
        context["unread_notices"] = user.notices.filter(read_at__isnull=True).count()
    return context
