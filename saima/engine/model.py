"""The dataset a race ranks, and its validation (every problem, located by row and column)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .bounds import describe, indicator_violations
from .errors import DataError
from .scheme import Scheme


@dataclass(frozen=True, eq=False)
class Dataset:
    """Units, their peer groups and values (n_units, n_indicators) in scheme indicator order.

    NaN marks a missing value. Row r of `values` is data row r + 1 in error messages.
    """

    units: tuple[str, ...]
    groups: tuple[str, ...]
    values: NDArray[np.float64]


def data_errors(scheme: Scheme, data: Dataset) -> list[DataError]:
    """Every problem that stops `scheme` from ranking `data`, in row order (empty when fine)."""
    errors = _shape_errors(scheme, data)
    if errors:
        return errors
    errors += _unit_errors(data)
    errors += _group_errors(scheme, data)
    errors += _value_errors(scheme, data)
    return errors


def validate_dataset(scheme: Scheme, data: Dataset) -> None:
    """Raise the first DataError `data_errors` finds.

    >>> from saima.engine.scheme import load_scheme
    >>> s = load_scheme('name="x"\\n[[groups]]\\ncode="a"\\nquota=1\\n[[sections]]\\ncode="s"\\n'
    ...                 '[[indicators]]\\ncode="i"\\nsection="s"\\ndirection="higher"\\nweight=1')
    >>> validate_dataset(s, Dataset(("u", "u"), ("a", "a"), np.array([[1.0], [2.0]])))
    Traceback (most recent call last):
    ...
    saima.engine.errors.DataError: Row 2, column 'unit': unit 'u' appears more than once.
    """
    errors = data_errors(scheme, data)
    if errors:
        raise errors[0]


def _shape_errors(scheme: Scheme, data: Dataset) -> list[DataError]:
    k = len(scheme.indicators)
    n = len(data.units)
    if len(data.groups) != n:
        return [DataError(f"{n} units but {len(data.groups)} groups")]
    if data.values.ndim != 2 or data.values.shape != (n, k):
        return [DataError(f"values must have shape ({n}, {k}), not {data.values.shape}")]
    if n == 0:
        return [DataError("the data has no units")]
    return []


def _unit_errors(data: Dataset) -> list[DataError]:
    errors = []
    seen: set[str] = set()
    for row, unit in enumerate(data.units, start=1):
        if not unit.strip():
            errors.append(DataError("the unit name is empty", row=row, column="unit"))
        elif unit in seen:
            errors.append(
                DataError(f"unit {unit!r} appears more than once", row=row, column="unit")
            )
        seen.add(unit)
    return errors


def _group_errors(scheme: Scheme, data: Dataset) -> list[DataError]:
    errors = []
    known = {g.code for g in scheme.groups}
    for row, group in enumerate(data.groups, start=1):
        if not group.strip():
            errors.append(DataError("the unit has no group", row=row, column="group"))
        elif group not in known:
            errors.append(
                DataError(
                    f"group {group!r} is not in the scheme (it has no quota)",
                    row=row,
                    column="group",
                )
            )
    counts = Counter(data.groups)
    for g in scheme.groups:
        if counts[g.code] == 0:
            errors.append(DataError(f"group {g.code!r} has no units", column="group"))
    return errors


def _value_errors(scheme: Scheme, data: Dataset) -> list[DataError]:
    values = data.values
    errors = []
    method = scheme.method
    for row, col in np.argwhere(np.isinf(values)):
        errors.append(_cell(scheme, row, col, "value is not finite"))
    if method.missing == "reject":
        for row, col in np.argwhere(np.isnan(values)):
            errors.append(_cell(scheme, row, col, "value is missing (method.missing = 'reject')"))
    if method.aggregate == "geometric":
        for row, col in np.argwhere(values <= 0):
            errors.append(_cell(scheme, row, col, "value must be > 0 for geometric aggregation"))
    if method.missing == "reweight":
        for row in np.flatnonzero(np.isnan(values).all(axis=1)):
            errors.append(DataError("every value of the unit is missing", row=int(row) + 1))
    if method.missing == "group_mean":
        errors += _empty_group_columns(scheme, data)
    errors += _bound_errors(scheme, data)
    return sorted(errors, key=lambda e: (e.row or 0, e.column or ""))


def _bound_errors(scheme: Scheme, data: Dataset) -> list[DataError]:
    """Finite values outside their indicator's `min`/`max`, or not whole where `integer`."""
    errors = []
    for col, indicator in enumerate(scheme.indicators):
        if indicator.min is None and indicator.max is None and not indicator.integer:
            continue
        column = data.values[:, col]
        for row in np.flatnonzero(np.isfinite(column)):
            for violation in indicator_violations(indicator, float(column[row])):
                errors.append(_cell(scheme, row, np.intp(col), describe(violation)))
    return errors


def _empty_group_columns(scheme: Scheme, data: Dataset) -> list[DataError]:
    groups = np.asarray(data.groups)
    errors = []
    for g in scheme.groups:
        block = data.values[groups == g.code]
        for col in np.flatnonzero(block.size and np.isnan(block).all(axis=0)):
            code = scheme.indicators[col].code
            reason = f"every unit of group {g.code!r} misses this value, so no group mean exists"
            errors.append(DataError(reason, column=code))
    return errors


def _cell(scheme: Scheme, row: np.intp, col: np.intp, reason: str) -> DataError:
    return DataError(reason, row=int(row) + 1, column=scheme.indicators[int(col)].code)
