"""Bounds of an indicator's values (取值范围): `min`, `max` and `integer` from the scheme.

`value_violations` is the one check the report form, the import, the API and `rank` share. It
returns reason codes and numbers, never wording: the apps word the message in their language.

>>> from saima.engine.scheme import load_scheme
>>> s = load_scheme('name="x"\\n[[groups]]\\ncode="a"\\nquota=1\\n[[sections]]\\ncode="s"\\n'
...     '[[indicators]]\\ncode="n"\\nsection="s"\\ndirection="higher"\\nweight=1\\n'
...     'min=0\\ninteger=true')
>>> value_violations(s, "n", -2.0)
(Violation(reason='below_min', value=-2.0, limit=0.0),)
>>> value_violations(s, "n", 2.5)
(Violation(reason='not_integer', value=2.5, limit=None),)
>>> value_violations(s, "n", 3.0)
()
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

from .scheme import Indicator, Scheme

Reason = Literal["below_min", "above_max", "not_integer", "not_finite"]


@dataclass(frozen=True)
class Violation:
    """One way a value breaks its indicator's bounds: `limit` is the bound crossed (the
    minimum or maximum), None for `not_integer` and `not_finite`."""

    reason: Reason
    value: float
    limit: float | None = None


def value_violations(scheme: Scheme, indicator_code: str, value: float) -> tuple[Violation, ...]:
    """Every way `value` breaks the bounds of the indicator `indicator_code` (empty when it
    keeps them; NaN, a missing value, keeps them). KeyError for an unknown code."""
    return indicator_violations(_indicator(scheme, indicator_code), value)


def indicator_violations(indicator: Indicator, value: float) -> tuple[Violation, ...]:
    """`value_violations` for an indicator at hand."""
    x = float(value)
    if math.isnan(x):
        return ()
    if math.isinf(x):
        return (Violation("not_finite", x),)
    out = []
    if indicator.min is not None and x < indicator.min:
        out.append(Violation("below_min", x, indicator.min))
    if indicator.max is not None and x > indicator.max:
        out.append(Violation("above_max", x, indicator.max))
    if indicator.integer and not x.is_integer():
        out.append(Violation("not_integer", x))
    return tuple(out)


def describe(violation: Violation) -> str:
    """An English reason for `rank`'s data errors and the command line.

    >>> describe(Violation("below_min", -2.0, 0.0))
    'value -2 is below the minimum 0'
    """
    value, limit = (
        f"{violation.value:g}",
        f"{violation.limit:g}" if violation.limit is not None else "",
    )
    if violation.reason == "below_min":
        return f"value {value} is below the minimum {limit}"
    if violation.reason == "above_max":
        return f"value {value} is above the maximum {limit}"
    if violation.reason == "not_integer":
        return f"value {value} is not a whole number"
    return f"value {value} is not finite"


def _indicator(scheme: Scheme, code: str) -> Indicator:
    for indicator in scheme.indicators:
        if indicator.code == code:
            return indicator
    raise KeyError(code)
