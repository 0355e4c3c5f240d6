"""The races' navigation item and home-page panels: each role sees what to do next."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from saima.core.navigation import DashboardPanel, NavItem, register_nav, register_panel
from saima.org.models import Role
from saima.org.permissions import has_role


def _reporter_context(request: HttpRequest) -> dict[str, Any]:
    from saima.races.selectors import reporter_open_reports

    return {"reports": list(reporter_open_reports(request.user)[:20])}


def _organiser_context(request: HttpRequest) -> dict[str, Any]:
    from saima.races.selectors import periods_of, races_managed_by

    races = []
    for race in races_managed_by(request.user)[:10]:
        periods = periods_of(race)
        races.append({"race": race, "period": periods[0] if periods else None})
    return {"races": races}


def _public_context(request: HttpRequest) -> dict[str, Any]:
    from saima.races.selectors import latest_public_boards

    return {"boards": latest_public_boards()}


def _is_organiser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ORGANISER)


def register() -> None:
    register_nav(NavItem(_("指标赛马"), "races:index", lambda user: True, order=10))
    register_panel(
        DashboardPanel(
            "races-reporter",
            "races/panels/reporter.html",
            lambda user: has_role(user, Role.REPORTER),
            _reporter_context,
            order=10,
        )
    )
    register_panel(
        DashboardPanel(
            "races-organiser",
            "races/panels/organiser.html",
            _is_organiser,
            _organiser_context,
            order=11,
        )
    )
    register_panel(
        DashboardPanel(
            "races-public", "races/panels/public.html", lambda user: True, _public_context, order=50
        )
    )
