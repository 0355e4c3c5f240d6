"""One number parser for every import and for ``saima rank``: never guess (Django-free).

A cell is blank (``None``), or a finite number written without ambiguity, or refused with a
``CellError`` that says why:

>>> parse_number(" 1,234.5 "), parse_number(-2), parse_number(""), parse_number("1e-3")
(1234.5, -2.0, None, 0.001)
>>> parse_number("12,8")
Traceback (most recent call last):
...
saima.core.tabular.problems.CellError: value '12,8': the commas do not group thousands by three; write decimals with a point

Refused: commas that do not group thousands by three (``12,8`` could be 12.8 or 128),
full-width or other non-ASCII digits (``１２``: not normalised, the user retypes them), formulas
(``Formula`` cells, with or without a cached value), dates, booleans, Excel error values,
percent signs, inner spaces, NaN and infinities.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from saima.core.tabular.problems import CellError, problem

_PLAIN = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?")
_NON_FINITE = re.compile(r"[+-]?(nan|inf|infinity)", re.IGNORECASE)


@dataclass(frozen=True)
class Formula:
    """A spreadsheet cell holding a formula; ``cached`` is the value Excel last computed."""

    text: str
    cached: str | None = None

    def __str__(self) -> str:
        return f"={self.text}" if not self.text.startswith("=") else self.text


@dataclass(frozen=True)
class ExcelError:
    """A spreadsheet error value such as ``#DIV/0!``."""

    text: str

    def __str__(self) -> str:
        return self.text


def parse_number(raw: Any) -> float | None:
    """The finite float a cell holds, ``None`` when blank; ``CellError`` when it is not plain."""
    if raw is None:
        return None
    if isinstance(raw, Formula):
        raise CellError(problem("formula", value=str(raw)))
    if isinstance(raw, ExcelError):
        raise CellError(problem("excel_error", value=raw.text))
    if isinstance(raw, bool):
        raise CellError(problem("not_number", value=str(raw)))
    if isinstance(raw, dt.date | dt.time):
        raise CellError(problem("date", value=str(raw)))
    if isinstance(raw, int | float | Decimal):
        try:
            number = float(raw)
        except OverflowError:  # an integer beyond float's range (JSON allows any length)
            raise CellError(problem("not_finite", value=str(raw)[:40])) from None
        return _finite(number, str(raw))
    if isinstance(raw, str):
        return _parse_text(raw)
    raise CellError(problem("not_number", value=str(raw)))


def _parse_text(raw: str) -> float | None:
    text = raw.strip()
    if not text:
        return None
    if not text.isascii():
        raise CellError(problem("non_ascii", value=text))
    if _NON_FINITE.fullmatch(text):
        raise CellError(problem("not_finite", value=text))
    if _PLAIN.fullmatch(text):
        return _finite(float(text), text)
    if _GROUPED.fullmatch(text):
        return _finite(float(text.replace(",", "")), text)
    if "," in text and _PLAIN.fullmatch(text.replace(",", "")):
        raise CellError(problem("grouping", value=text))
    raise CellError(problem("not_number", value=text))


def _finite(value: float, text: str) -> float:
    if not math.isfinite(value):
        raise CellError(problem("not_finite", value=text))
    return value
