"""Template filters and tags shared by every app.

Chinese is the source language of every template, punctuation included. ``{% punct "：" %}`` and
``|listing`` keep that Chinese punctuation in Chinese and give English readers their own
(": ", ", "), so an English page never reads "Land quota、" or "Latest result：".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django import template
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from saima.core.actions import action_label as _action_label

register = template.Library()

ENGLISH_PUNCTUATION = {
    "：": ": ",
    "、": ", ",
    "，": ", ",
    "；": "; ",
    "。": ". ",
    "（": " (",
    "）": ")",
}


def _chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def punctuation(mark: str) -> str:
    """``mark`` (Chinese punctuation) as the reader's language writes it."""
    if _chinese():
        return mark
    if mark not in ENGLISH_PUNCTUATION:
        raise ValueError(f"no English equivalent for {mark!r}")
    return ENGLISH_PUNCTUATION[mark]


@register.filter
def action_label(code: str) -> str:
    """The audit action in words (授予角色), with its code kept for the precise reader."""
    return _action_label(code)


@register.simple_tag
def punct(mark: str) -> str:
    """{% punct "：" %} → "：" for Chinese readers, ": " for English ones."""
    return punctuation(mark)


@register.filter(needs_autoescape=True)
def listing(items: Iterable[Any], autoescape: bool = True) -> SafeString:
    """Items joined as a list is written: 甲、乙、丙 in Chinese, A, B, C in English."""
    escape = conditional_escape if autoescape else str
    return mark_safe(punctuation("、").join(str(escape(item)) for item in items))


@register.filter
def when(value: dt.datetime | None) -> str:
    """A moment this year without its year: 12月8日 17:00 in Chinese, 8 Dec 17:00 in English;
    other years with it."""
    if value is None:
        return ""
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    day_format = "MONTH_DAY_FORMAT" if local.year == timezone.localdate().year else "DATE_FORMAT"
    return f"{formats.date_format(local, day_format)} {formats.time_format(local, 'H:i')}"
