"""Reading one cell of a project or report import: text, amount, percentage, date, yes/no.

Numbers go through the one parser (``core.tabular.numbers.parse_number``); everything else is
refused the same way, never guessed: a formula in any cell, a number where a date belongs, a
date in the wrong shape, an amount below zero or above the bound. Each function raises
``CellError`` (located by the caller with ``core.tabular.importing.cell_issue``) or
``CellProblem`` (a message of this app, located the same way).

>>> parse_date("2026-03-09"), parse_date("2026/3/9"), parse_date(None)
(datetime.date(2026, 3, 9), datetime.date(2026, 3, 9), None)
>>> parse_amount("1,250.5")
Decimal('1250.50')
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from saima.core.tabular.numbers import ExcelError, Formula, parse_number
from saima.core.tabular.problems import CellError, problem, shown
from saima.core.tabular.reading import is_blank

CENT = Decimal("0.01")
MAX_AMOUNT = Decimal("999999999999.99")
_DATE = re.compile(r"(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?")
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]{0,39}")
YES = {"是", "y", "yes", "true", "1", "公开"}
NO = {"否", "n", "no", "false", "0", "不公开", ""}


class CellProblem(ValueError):
    """A cell this app refuses; the message is meant for the user."""


def _no_formula(raw: Any) -> None:
    if isinstance(raw, Formula):
        raise CellError(problem("formula", value=shown(raw)))
    if isinstance(raw, ExcelError):
        raise CellError(problem("excel_error", value=shown(raw)))


def parse_text(raw: Any, *, max_length: int) -> str:
    """Text as typed (stripped); a formula or error value is refused, as is text too long."""
    _no_formula(raw)
    if is_blank(raw):
        return ""
    if isinstance(raw, dt.date | dt.datetime):
        raw = raw.isoformat()
    text = str(raw).strip()
    if isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    if len(text) > max_length:
        raise CellProblem(_("文字超过 %(n)s 个字符") % {"n": max_length})
    if any(not (ch.isprintable() or ch in "\n\t") for ch in text):
        raise CellProblem(_("含有不可打印的控制字符"))
    return text


def parse_code(raw: Any) -> str:
    """A project or unit code: letters, digits, ``- _ .``, at most 40 characters."""
    text = parse_text(raw, max_length=40)
    if text and not CODE.fullmatch(text):
        raise CellProblem(
            _("代码「%(value)s」只能由字母、数字和 - _ . 组成") % {"value": shown(text)}
        )
    return text


def parse_amount(
    raw: Any, *, low: Decimal = Decimal("0"), high: Decimal = MAX_AMOUNT
) -> Decimal | None:
    """An amount (万元) or a percentage, rounded to cents, within [low, high]; None if blank."""
    value = parse_number(raw)
    if value is None:
        return None
    amount = Decimal(repr(value)).quantize(CENT)
    if not low <= amount <= high:
        raise CellProblem(
            _("「%(value)s」须在 %(low)s 到 %(high)s 之间")
            % {"value": shown(raw), "low": low, "high": high}
        )
    return amount


def parse_date(raw: Any) -> dt.date | None:
    """A date cell, or text like 2026-03-09, 2026/3/9, 2026年3月9日; None if blank."""
    _no_formula(raw)
    if is_blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if not isinstance(raw, str):
        raise CellProblem(_("「%(value)s」不是日期（请写成 2026-03-09）") % {"value": shown(raw)})
    match = _DATE.fullmatch(raw.strip())
    try:
        if match is None:
            raise ValueError
        date = dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise CellProblem(
            _("「%(value)s」不是有效日期（请写成 2026-03-09）") % {"value": shown(raw)}
        ) from None
    if not 1990 <= date.year <= 2100:
        raise CellProblem(_("日期「%(value)s」不在 1990–2100 年之间") % {"value": shown(raw)})
    return date


def parse_yes_no(raw: Any) -> bool:
    text = parse_text(raw, max_length=10).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellProblem(_("「%(value)s」请填“是”或“否”") % {"value": shown(raw)})
