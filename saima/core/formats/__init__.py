"""Money and land in the reader's conventions: 万元/亿元 and 亩 in Chinese, yuan and mu in English.

Dates and times follow the reader's language too: ``zh_Hans/formats.py`` and ``en/formats.py``
here are Django format modules (``FORMAT_MODULE_PATH``), so ``{{ t|date:"SHORT_DATETIME_FORMAT" }}``
reads 2026-12-08 17:00 in both, and ``{{ t|when }}`` reads 12月8日 17:00 or 8 Dec 17:00.

>>> from django.utils import translation
>>> with translation.override("zh-hans"):
...     money_label(Decimal("5000000")), money_label(Decimal("150000000")), area_mu_label(Decimal("100"))
('500万元', '1.5亿元', '100 亩')
>>> with translation.override("en"):
...     money_label(Decimal("5000000")), money_label(Decimal("150000000")), area_mu_label(Decimal("1500"))
('5,000,000 yuan', '150,000,000 yuan', '1,500 mu')
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language

# Typed or sent in every language: the browser's datetime-local value (2026-12-08T17:00) and
# ISO dates with a space; each language's format module adds its own ways of writing them.
ISO_DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]
ISO_DATE_INPUT_FORMATS = ["%Y-%m-%d"]

YI = Decimal("100000000")
WAN = Decimal("10000")


def _chinese() -> bool:
    return (get_language() or "zh-hans").startswith("zh")


def _plain(amount: Decimal) -> str:
    return f"{amount.normalize():,f}"


def money_label(amount: Decimal) -> str:
    """An amount of yuan, in 万元/亿元 for Chinese readers and in full for others."""
    if not _chinese():
        return f"{_plain(amount)} yuan"
    if abs(amount) >= YI:
        return f"{(amount / YI).normalize():f}亿元"
    if abs(amount) >= WAN:
        return f"{(amount / WAN).normalize():f}万元"
    return f"{amount.normalize():f}元"


def area_mu_label(amount: Decimal) -> str:
    """Construction-land quota in 亩 (mu; 1 mu ≈ 666.7 m²)."""
    return f"{_plain(amount)} {'亩' if _chinese() else 'mu'}"
