"""What the arena adds to the shell: the menu entry and the home page's panels (a judge's
contests to score; an organiser's contests in preparation or running)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from saima.arena.models import Contest, ContestStatus, JudgeSeat
from saima.arena.permissions import may_manage_contest
from saima.core.navigation import DashboardPanel, NavItem, register_nav, register_panel
from saima.org.models import Role
from saima.org.permissions import has_role, is_superuser, units_organised_by


def _has_seats(user: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return JudgeSeat.objects.filter(user_id=user.pk).exists()


def _judge_context(request: HttpRequest) -> dict[str, Any]:
    seats = (
        JudgeSeat.objects.filter(user_id=request.user.pk or 0)
        .exclude(contest__status=ContestStatus.REVEALED)
        .select_related("contest", "panel")
        .order_by("contest__date")
    )
    return {"seats": list(seats[:10])}


def _is_organiser(user: Any) -> bool:
    return is_superuser(user) or has_role(user, Role.ORGANISER)


def _organiser_context(request: HttpRequest) -> dict[str, Any]:
    user = request.user
    contests = Contest.objects.exclude(status=ContestStatus.REVEALED).select_related("owner")
    if not is_superuser(user):
        contests = contests.filter(owner__in=units_organised_by(user))
    return {"contests": [c for c in contests.order_by("date")[:10] if may_manage_contest(user, c)]}


def register() -> None:
    register_nav(NavItem(_("擂台赛"), "arena:index", lambda user: True, order=20))
    register_nav(NavItem(_("我的评分"), "arena:my_scoring", _has_seats, order=21))
    register_panel(
        DashboardPanel(
            "arena-judge", "arena/panels/judge.html", _has_seats, _judge_context, order=5
        )
    )
    register_panel(
        DashboardPanel(
            "arena-organiser",
            "arena/panels/organiser.html",
            _is_organiser,
            _organiser_context,
            order=12,
        )
    )
