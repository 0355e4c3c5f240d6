"""Errors the engine raises: a bad scheme (SchemeError) or bad data (DataError)."""

from __future__ import annotations


class SchemeError(ValueError):
    """A scheme that cannot be used; the message names the key or indicator and the reason.

    >>> str(SchemeError("method.normalise: 'foo' is not one of minmax, zscore"))
    "method.normalise: 'foo' is not one of minmax, zscore"
    """


class DataError(ValueError):
    """Data that cannot be ranked, located by 1-based data row and column.

    >>> e = DataError("value is not a number", row=3, column="fai_growth")
    >>> str(e)
    "Row 3, column 'fai_growth': value is not a number."
    >>> (e.row, e.column, e.reason)
    (3, 'fai_growth', 'value is not a number')
    """

    def __init__(self, reason: str, *, row: int | None = None, column: str | None = None) -> None:
        self.reason = reason
        self.row = row
        self.column = column
        super().__init__(self._sentence())

    def _sentence(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column!r}" if where else f"Column {self.column!r}")
        prefix = ", ".join(where)
        reason = self.reason.rstrip(".")
        if not prefix:
            return reason[:1].upper() + reason[1:] + "."
        return f"{prefix}: {reason}."
