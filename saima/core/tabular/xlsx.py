"""A bounded, streaming reader for the first sheet of an .xlsx workbook (Django-free).

Why not openpyxl's reader: it pads every row to the sheet's *declared* dimension (a 1.6 KB file
declaring ``A1:XFD20001`` asks for 327 million cells), fills row gaps one empty row at a time,
reads a negative shared-string index as another cell's text, and raises its errors lazily while
rows are iterated. Here the declared dimension is ignored, rows and cells are counted as they
stream, every cell type is checked, formulas come back as ``Formula`` (never as their cached
value or as blank) and the XML is parsed by defusedxml, which refuses entities and DTDs.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, TypeVar
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse

from saima.core.tabular.limits import MIB, Limits
from saima.core.tabular.numbers import ExcelError, Formula
from saima.core.tabular.problems import TableError, problem

WORKBOOK = "xl/workbook.xml"
WORKBOOK_RELS = "xl/_rels/workbook.xml.rels"
SHARED_STRINGS = "xl/sharedStrings.xml"
STYLES = "xl/styles.xml"
EXCEL_EPOCH = dt.datetime(1899, 12, 30)
# built-in number formats that show dates or times (ECMA-376 §18.8.30)
DATE_FORMAT_IDS = {*range(14, 23), *range(45, 48), *range(27, 37), *range(50, 59)}
_DATE_CODE = re.compile(r"[dmyhs]", re.IGNORECASE)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^]]*\]')
MAX_COLUMN = 16_384  # XFD
MAX_ROW = 1_048_576
_REFERENCE = re.compile(r"([A-Z]{1,3})([1-9][0-9]{0,6})")
_INTEGER = re.compile(r"[+-]?[0-9]+")
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")

Rows = list[tuple[int, list[Any]]]
T = TypeVar("T")


def xlsx_rows(content: bytes, limits: Limits) -> tuple[str, Rows]:
    """(sheet title, numbered rows of the first sheet); ``TableError`` for any problem."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise TableError(problem("not_zip")) from exc
    with archive:
        if sum(info.file_size for info in archive.infolist()) > limits.max_unpacked:
            raise TableError(problem("unpacked_too_big", mib=limits.max_unpacked // MIB))
        title, path = _first_sheet(archive)
        strings = _shared_strings(archive, limits)
        dates = _date_styles(archive)
        return title, _read_part(
            archive, path, lambda s: list(_sheet_rows(s, _Parts(strings, dates), limits))
        )


@dataclass(frozen=True)
class _Parts:
    """What cells refer to: shared strings, and the style indices that show a date."""

    strings: list[str]
    dates: frozenset[int]


def _date_styles(archive: zipfile.ZipFile) -> frozenset[int]:
    """Indices of the cell styles whose number format shows a date or time: a number in such a
    cell is a date typed into the sheet, and is returned as a datetime (never as its serial)."""
    if STYLES not in archive.namelist():
        return frozenset()

    def read(source: IO[bytes]) -> frozenset[int]:
        codes: dict[int, str] = {}
        styles: list[int] = []
        in_cell_xfs = False
        for event, element in iterparse(source, events=("start", "end")):
            name = _local(element.tag)
            if name == "cellXfs":
                in_cell_xfs = event == "start"
            elif event == "end" and name == "numFmt":
                codes[int(element.get("numFmtId", "0"))] = element.get("formatCode", "")
            elif event == "end" and name == "xf" and in_cell_xfs:
                styles.append(int(element.get("numFmtId", "0")))
        return frozenset(i for i, f in enumerate(styles) if _is_date_format(f, codes))

    return _read_part(archive, STYLES, read)


def _is_date_format(format_id: int, codes: dict[int, str]) -> bool:
    if format_id in codes:
        return bool(_DATE_CODE.search(_QUOTED.sub("", codes[format_id])))
    return format_id in DATE_FORMAT_IDS


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _attr(element: Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (``r:id``, ``id``)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


def _read_part(archive: zipfile.ZipFile, part: str, read: Callable[[IO[bytes]], T]) -> T:
    if part not in archive.namelist():
        raise TableError(problem("not_xlsx", part=part))
    try:
        with archive.open(part) as source:
            return read(source)
    except TableError:
        raise
    except DefusedXmlException as exc:
        raise TableError(problem("xml_forbidden")) from exc
    except (ParseError, zipfile.BadZipFile, EOFError, OSError, ValueError) as exc:
        raise TableError(problem("xml_broken", part=part)) from exc


def _elements(source: IO[bytes], *names: str) -> Iterator[Element]:
    for _event, element in iterparse(source, events=("end",)):
        if _local(element.tag) in names:
            yield element


def _first_sheet(archive: zipfile.ZipFile) -> tuple[str, str]:
    sheets = _read_part(
        archive,
        WORKBOOK,
        lambda s: [(e.get("name") or "", _attr(e, "id")) for e in _elements(s, "sheet")],
    )
    if not sheets:
        raise TableError(problem("no_sheets"))
    title, rel_id = sheets[0]
    targets: dict[str, str] = {}
    if WORKBOOK_RELS in archive.namelist():
        targets = _read_part(
            archive,
            WORKBOOK_RELS,
            lambda s: {e.get("Id", ""): e.get("Target", "") for e in _elements(s, "Relationship")},
        )
    target = targets.get(rel_id or "", "worksheets/sheet1.xml")
    path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return title, posixpath.normpath(path)


def _shared_strings(archive: zipfile.ZipFile, limits: Limits) -> list[str]:
    if SHARED_STRINGS not in archive.namelist():
        return []

    def read(source: IO[bytes]) -> list[str]:
        strings: list[str] = []
        for element in _elements(source, "si"):
            strings.append("".join(_texts(element)))
            element.clear()
            if len(strings) > limits.max_cells:
                raise TableError(problem("too_many_cells", max=limits.max_cells))
        return strings

    return _read_part(archive, SHARED_STRINGS, read)


def _texts(element: Element) -> Iterator[str]:
    """The text of an ``si`` or ``is`` element: its ``t`` runs, without phonetic hints."""
    for child in element:
        name = _local(child.tag)
        if name == "t":
            yield child.text or ""
        elif name == "r":
            yield from (t.text or "" for t in child if _local(t.tag) == "t")


def _sheet_rows(
    source: IO[bytes], parts: _Parts, limits: Limits
) -> Iterator[tuple[int, list[Any]]]:
    cells_seen = 0
    previous_row = 0
    row: dict[int, Any] = {}
    column = 0
    parents: list[Element] = []
    for event, element in iterparse(source, events=("start", "end")):
        name = _local(element.tag)
        if event == "start":
            if name == "sheetData":
                parents.append(element)
            elif name == "row":
                previous_row = _row_number(element, previous_row, limits)
                row, column = {}, 0
            continue
        if name == "c":
            cells_seen += 1
            if cells_seen > limits.max_cells:
                raise TableError(problem("too_many_cells", max=limits.max_cells), previous_row)
            column = _column(element, previous_row, column)
            if column <= limits.max_columns:
                row[column] = _value(element, parts, previous_row, column)
            element.clear()
        elif name == "row":
            width = max(row) if row else 0
            yield previous_row, [row.get(c) for c in range(1, width + 1)]
            for parent in parents:
                parent.clear()


def _row_number(element: Element, previous: int, limits: Limits) -> int:
    given = element.get("r")
    if given is None:
        number = previous + 1
    elif given.isdigit() and 0 < int(given) <= MAX_ROW and int(given) > previous:
        number = int(given)
    else:
        raise TableError(problem("bad_row_number", value=given), previous + 1)
    if number > limits.max_rows + 1:
        raise TableError(problem("too_many_rows", max=limits.max_rows), number)
    return number


def _column(element: Element, row: int, previous: int) -> int:
    reference = element.get("r")
    if reference is None:
        return previous + 1
    match = _REFERENCE.fullmatch(reference)
    if not match or int(match.group(2)) != row:
        raise TableError(problem("bad_reference", value=reference), row)
    number = 0
    for letter in match.group(1):
        number = number * 26 + ord(letter) - ord("A") + 1
    if number > MAX_COLUMN:
        raise TableError(problem("bad_reference", value=reference), row)
    return number


def _child(element: Element, name: str) -> Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _value(element: Element, parts: _Parts, row: int, column: int) -> Any:
    kind = element.get("t", "n")
    v = _child(element, "v")
    text = v.text if v is not None else None
    formula = _child(element, "f")
    if formula is not None:
        return Formula(formula.text or "", text)
    if kind == "inlineStr":
        inline = _child(element, "is")
        return "".join(_texts(inline)) if inline is not None else None
    if text is None:
        return None
    try:
        value = _typed(kind, text, parts.strings)
        if kind == "n" and int(element.get("s", "0") or 0) in parts.dates:
            return EXCEL_EPOCH + dt.timedelta(days=float(value))
        return value
    except (ValueError, IndexError) as exc:
        code = "bad_shared_string" if kind == "s" else "bad_cell_value"
        raise TableError(problem(code, value=text, kind=kind), row, column) from exc


def _typed(kind: str, text: str, strings: list[str]) -> Any:
    if kind == "s":
        if not text.strip().isdigit():
            raise ValueError(text)
        return strings[int(text)]
    if kind == "str":
        return text
    if kind == "b":
        if text.strip() not in ("0", "1"):
            raise ValueError(text)
        return text.strip() == "1"
    if kind == "e":
        return ExcelError(text)
    if kind == "d":
        return dt.datetime.fromisoformat(text.strip())
    if kind == "n":
        stripped = text.strip()
        if _INTEGER.fullmatch(stripped):
            return int(stripped)
        if _DECIMAL.fullmatch(stripped):
            return float(stripped)
    raise ValueError(text)
