from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saima.core.access import access_policy
from saima.core.navigation import nav_for


def shell(request: HttpRequest) -> dict[str, Any]:
    """The page shell's navigation, roles and unread notices, computed only when a template asks.

    The values are callables (templates call them), so a page that never shows them, such as a
    public portal page, never loads the user nor the session: it sets no ``Vary: Cookie`` and
    stays cacheable.
    """
    user = getattr(request, "user", None)
    if user is None:
        return {}

    def unread_notices() -> int:
        if not user.is_authenticated:
            return 0
        return int(user.notices.filter(read_at__isnull=True).count())

    return {
        "nav_items": lambda: nav_for(user),
        "user_roles": lambda: sorted(access_policy().roles_of(user)),
        "unread_notices": unread_notices,
    }
