"""The web side of tabular imports, shared by every app: issues, headers, preview, guard.

An app's import is five steps, each a function here or the app's own:

1. ``read_upload(name, content)`` → a ``Sheet`` (or ``ImportRefused`` with one located issue);
2. ``map_headers(sheet, columns)`` → column key → index, with every header problem;
3. the app validates each row, collecting ``ImportIssue``s (``cell_issue`` turns a ``CellError``
   from ``parse_number`` into one naming sheet, row and column);
4. the app compares the rows with what is stored and builds a ``Preview`` (new / changed /
   unchanged / skipped, with old → new), stored with a ``fingerprint`` of the stored state;
5. on confirmation the app re-reads the fingerprint under a lock, refuses a stale preview, and
   writes the previewed rows in one transaction.

``guarded`` wraps a background step so that *any* exception ends the batch with a message.
See docs/imports.md.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils import get_column_letter

from saima.core.tabular.limits import Limits
from saima.core.tabular.problems import MESSAGES, CellError, Problem, TableError, shown
from saima.core.tabular.reading import Sheet, read_table

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportIssue:
    """One problem in an uploaded file: where it is (sheet, row, column), and why."""

    sheet: str
    row: int | None
    column: str
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


class ImportRefused(Exception):
    """The file cannot be imported; ``issues`` says every reason found."""

    def __init__(self, issues: Sequence[ImportIssue]) -> None:
        super().__init__(f"{len(issues)} issue(s)")
        self.issues = list(issues)


def translated(problem: Problem) -> str:
    """The problem's message in the active language."""
    return _(MESSAGES[problem.code][0]) % problem.params


def column_label(index: int, header: Any = "") -> str:
    """``C（固定资产投资增速（%））`` for the 1-based column 3 and its header."""
    letter = get_column_letter(index)
    text = shown(header, 60).strip() if header not in (None, "") else ""
    return f"{letter}（{text}）" if text else letter


def read_upload(name: str, content: bytes, limits: Limits | None = None) -> Sheet:
    """The file's first sheet; ``ImportRefused`` with one located issue when it cannot be read."""
    try:
        return read_table(name, content, limits)
    except TableError as exc:
        column = column_label(exc.column) if exc.column else ""
        raise ImportRefused(
            [ImportIssue(shown(name, 120), exc.row, column, translated(exc.problem))]
        ) from exc


def cell_issue(sheet: Sheet, row: int, index: int, error: CellError) -> ImportIssue:
    """An issue for the cell at 0-based column ``index`` of spreadsheet row ``row``."""
    header = sheet.header[index] if index < len(sheet.header) else ""
    return ImportIssue(sheet.title, row, column_label(index + 1, header), translated(error.problem))


def normalise_header(text: Any) -> str:
    """Headers compare without spaces, with half- and full-width brackets alike, case-blind."""
    return "".join(str(text or "").split()).replace("(", "（").replace(")", "）").lower()


@dataclass(frozen=True)
class Column:
    """A column an import understands: its key, the headers that name it, and if it must be there."""

    key: str
    label: str
    names: tuple[str, ...]
    required: bool = True


def map_headers(
    sheet: Sheet, columns: Iterable[Column]
) -> tuple[dict[str, int], list[ImportIssue]]:
    """Column key → 0-based index; every unknown, repeated and missing header as an issue."""
    columns = list(columns)
    known = {normalise_header(n): c.key for c in columns for n in (c.label, *c.names)}
    found: dict[str, int] = {}
    issues: list[ImportIssue] = []
    for index, cell in enumerate(sheet.header):
        text = normalise_header(cell)
        if not text:
            continue
        where = column_label(index + 1, cell)
        key = known.get(text)
        if key is None:
            issues.append(
                ImportIssue(
                    sheet.title,
                    sheet.header_row,
                    where,
                    _("表头「%(header)s」不是可导入的列") % {"header": shown(cell)},
                )
            )
        elif key in found:
            issues.append(
                ImportIssue(
                    sheet.title,
                    sheet.header_row,
                    where,
                    _("列重复（与 %(letter)s 列相同）") % {"letter": column_label(found[key] + 1)},
                )
            )
        else:
            found[key] = index
    for column in columns:
        if column.required and column.key not in found:
            issues.append(
                ImportIssue(
                    sheet.title,
                    sheet.header_row,
                    "",
                    _("缺少「%(header)s」列") % {"header": column.label},
                )
            )
    return found, issues


# ---------------------------------------------------------------- preview


class RowStatus:
    NEW = "new"
    CHANGED = "changed"
    UNCHANGED = "unchanged"
    SKIPPED = "skipped"


@dataclass
class FieldChange:
    key: str
    label: str
    old: Any
    new: Any


@dataclass
class PreviewRow:
    """What confirming would do to one target (a unit, a project): and why, if nothing."""

    key: str
    label: str
    status: str
    changes: list[FieldChange] = field(default_factory=list)
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)  # what the app needs to apply it


@dataclass
class Preview:
    """Rows per target plus summary lines (said once, not per row), and counts per status."""

    rows: list[PreviewRow] = field(default_factory=list)
    summary: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        counts = {
            s: 0 for s in (RowStatus.NEW, RowStatus.CHANGED, RowStatus.UNCHANGED, RowStatus.SKIPPED)
        }
        for row in self.rows:
            counts[row.status] += 1
        return counts

    def to_json(self) -> dict[str, Any]:
        return {
            "rows": [asdict(r) for r in self.rows],
            "summary": self.summary,
            "counts": self.counts(),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Preview:
        rows = [
            PreviewRow(
                r["key"],
                r["label"],
                r["status"],
                [FieldChange(**c) for c in r.get("changes", [])],
                r.get("note", ""),
                dict(r.get("data", {})),
            )
            for r in data.get("rows", [])
        ]
        return cls(rows, list(data.get("summary", [])))


def fingerprint(state: Any) -> str:
    """SHA-256 of the stored state a preview was computed against (canonical JSON)."""
    text = json.dumps(state, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- the guard


def unexpected_issue(name: str, exc: BaseException) -> ImportIssue:
    """The issue shown when a step failed in a way nobody foresaw (it is logged in full)."""
    logger.exception("import of %s failed", name, exc_info=exc)
    return ImportIssue(
        shown(name, 120),
        None,
        "",
        _("导入时发生意外错误（%(kind)s），未写入任何数据；请检查文件后重试，或联系管理员")
        % {"kind": type(exc).__name__},
    )


def guarded(name: str, step: Callable[[], Any]) -> tuple[Any, list[ImportIssue]]:
    """Run ``step``; (its result, []) or (None, the issues) — no exception escapes."""
    try:
        return step(), []
    except ImportRefused as exc:
        return None, exc.issues
    except Exception as exc:  # every failure must end the batch, with a message
        return None, [unexpected_issue(name, exc)]
