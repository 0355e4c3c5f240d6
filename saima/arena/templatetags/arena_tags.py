"""Small formatting filters for the arena pages."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def num(value: Any, digits: int = 2) -> str:
    """A score to ``digits`` decimals; "—" for nothing."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:
        return "—"
    return f"{number:.{digits}f}"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    try:
        return mapping.get(key)
    except AttributeError:
        return None


@register.filter
def pct(value: Any) -> str:
    if value is None:
        return "—"
    return f"{float(value) * 100:.0f}%"


@register.filter
def field(row: Any, key: str) -> Any:
    """``row[key]`` for keys with colons (``panel:leaders``)."""
    try:
        return row[key]
    except (KeyError, TypeError):
        return None


@register.simple_tag
def col(row: Any, prefix: str, code: str) -> Any:
    """``row["<prefix>:<code>"]``."""
    try:
        return row[f"{prefix}:{code}"]
    except (KeyError, TypeError):
        return None
