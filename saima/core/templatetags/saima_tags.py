"""Template filters shared by every app."""

from __future__ import annotations

from django import template

from saima.core.actions import action_label as _action_label

register = template.Library()


@register.filter
def action_label(code: str) -> str:
    """The audit action in words (授予角色), with its code kept for the precise reader."""
    return _action_label(code)
