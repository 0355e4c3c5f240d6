"""The shell's navigation and dashboard panels, contributed by each app in ``ready()``.

An app registers what it offers and a predicate saying who sees it; the base template only
renders what the predicates allowed, so navigation follows roles without logic in templates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import Promise

Predicate = Callable[[Any], bool]


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Predicate
    order: int = 100
    icon: str = ""


@dataclass(frozen=True)
class DashboardPanel:
    """A block on the home page: ``template`` rendered with ``context(request)``."""

    key: str
    template: str
    visible: Predicate
    context: Callable[[HttpRequest], dict[str, Any]] = field(default=lambda request: {})
    order: int = 100


_NAV: dict[str, NavItem] = {}
_PANELS: dict[str, DashboardPanel] = {}


def register_nav(item: NavItem) -> None:
    _NAV[item.url_name] = item


def register_panel(panel: DashboardPanel) -> None:
    _PANELS[panel.key] = panel


def nav_for(user: Any) -> list[dict[str, str]]:
    items = sorted(_NAV.values(), key=lambda item: (item.order, item.url_name))
    return [
        {
            "label": str(item.label),
            "url": reverse(item.url_name),
            "url_name": item.url_name,
            "icon": item.icon,
        }
        for item in items
        if item.visible(user)
    ]


def panels_for(request: HttpRequest) -> list[dict[str, Any]]:
    panels = sorted(_PANELS.values(), key=lambda panel: (panel.order, panel.key))
    return [
        {"key": panel.key, "template": panel.template, "context": panel.context(request)}
        for panel in panels
        if panel.visible(request.user)
    ]
