"""Number formats of the races pages (Chinese conventions: 万元/亿元, signed changes)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from saima.core.formats import area_mu_label, money_label

register = template.Library()


@register.filter
def num(value: Any, digits: int = 2) -> str:
    """12.3456 → "12.35"; None → "—"."""
    if value is None or value == "":
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number != number:
        return "—"
    text = f"{number:,.{int(digits)}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@register.filter
def signed(value: Any, digits: int = 2) -> str:
    if value is None:
        return "—"
    text = num(abs(float(value)), digits)
    return f"+{text}" if float(value) > 0 else (f"−{text}" if float(value) < 0 else text)


@register.filter
def gap(value: Any, sign: bool = True) -> str:
    """A gap as the pages show it: like ``signed`` (or ``num`` with ``sign=False``), but a gap
    too small for two decimals is "< 0.01", never 0 (0.0004 → "+< 0.01")."""
    if value is None:
        return "—"
    number = float(value)
    if 0 < abs(number) < 0.005:
        text = "< 0.01"
        if not sign:
            return text
        return f"+{text}" if number > 0 else f"−{text}"
    return signed(number) if sign else num(number)


@register.filter
def pct(value: Any) -> str:
    """0.853 → "85%"."""
    if value is None:
        return "—"
    return f"{100 * float(value):.0f}%"


@register.filter
def rank_change(value: int | None) -> SafeString:
    if value is None:
        return format_html(
            '<span class="change change-new" title="{}">{}</span>', _("上期未参评"), _("新")
        )
    if value > 0:
        return format_html(
            '<span class="change change-up" title="{}">↑{}</span>',
            _("较上期上升 %(n)s 位") % {"n": value},
            value,
        )
    if value < 0:
        return format_html(
            '<span class="change change-down" title="{}">↓{}</span>',
            _("较上期下降 %(n)s 位") % {"n": -value},
            -value,
        )
    return format_html(
        '<span class="change change-same" title="{}">{}</span>', _("与上期持平"), "—"
    )


@register.filter
def yuan(value: Any) -> str:
    return money_label(Decimal(str(value)))


@register.filter
def mu(value: Any) -> str:
    return area_mu_label(Decimal(str(value)))


@register.filter
def interval(row: Any) -> str:
    low = getattr(row, "rank_p05", getattr(row, "p05", None))
    high = getattr(row, "rank_p95", getattr(row, "p95", None))
    if low is None or high is None:
        return "—"
    lo, hi = round(low), round(high)
    return f"{lo}" if lo == hi else f"{lo}–{hi}"


@register.filter
def get(mapping: Any, key: Any) -> Any:
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def method_names(method: Any) -> str:
    """A scheme's methods in words (极差标准化 · 固定权重 · 加权算术平均), not their codes."""
    from saima.races.schemes.forms import AGGREGATE, NORMALISE, WEIGHTING

    names = []
    for code, choices in (
        (method.normalise, NORMALISE),
        (method.weighting, WEIGHTING),
        (method.aggregate, AGGREGATE),
    ):
        names.append(next((str(name) for c, name, _help in choices if c == code), code))
    return " · ".join(names)
