"""`saima rank`: rank a CSV/XLSX table under a TOML scheme, from the command line.

    saima rank --scheme S.toml --data D.csv [--out OUT.csv|.json|.xlsx]
               [--explain] [--robustness N] [--seed K]

Bad input exits with status 2 and one line per problem, naming file, row, column and reason;
no output file is written, not even partly. The last line on stderr is `sha256=<hex>`.
Not Django: the library `saima.engine`, the Django-free readers and writers of
`saima.core.tabular` (the web import's number rules, the same safe CSV/XLSX cells), openpyxl.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from saima.core.tabular.limits import Limits
from saima.core.tabular.numbers import parse_number
from saima.core.tabular.problems import CellError, TableError
from saima.core.tabular.reading import Sheet
from saima.core.tabular.reading import read_table as tabular_read
from saima.core.tabular.writing import append_row, csv_text, result_cell
from saima.engine import (
    ENGINE_VERSION,
    DataError,
    Dataset,
    RankResult,
    Scheme,
    SchemeError,
    data_errors,
    load_scheme,
    rank,
    result_digest,
)

EXIT_BAD_INPUT = 2
LONG_HEADER = ("unit", "group", "indicator", "value")
# local files: larger than the web's limits, still bounded
CLI_LIMITS = Limits(
    max_bytes=512 * 1024 * 1024,
    max_unpacked=2048 * 1024 * 1024,
    max_rows=2_000_000,
    max_columns=5_000,
    max_cells=100_000_000,
)


class InputError(Exception):
    """Bad input: one message per problem, each naming the file."""

    def __init__(self, messages: Sequence[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


@dataclass
class Table:
    """A read table: the dataset plus where each dataset row / cell came from in the file."""

    data: Dataset
    first_row: list[int]
    cell_row: dict[tuple[int, str], int] = field(default_factory=dict)

    def file_row(self, error: DataError) -> int | None:
        """The file's data row (1-based, header excluded) for an error on the dataset."""
        if error.row is None:
            return None
        return self.cell_row.get((error.row - 1, error.column or ""), self.first_row[error.row - 1])


def main(argv: list[str]) -> int:
    """Run `saima rank` with the arguments after `rank`; return the exit status."""
    try:
        args = _parser().parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    try:
        return _run(args)
    except InputError as exc:
        for message in exc.messages:
            print(f"saima rank: {message}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="saima rank", description="Rank units under a race scheme.")
    p.add_argument("--scheme", required=True, type=Path, help="scheme TOML file")
    p.add_argument("--data", required=True, type=Path, help="CSV or XLSX, wide or long")
    p.add_argument("--out", type=Path, help="output .csv, .json or .xlsx (default: CSV on stdout)")
    p.add_argument("--explain", action="store_true", help="add gap:<indicator> columns")
    p.add_argument("--robustness", type=int, default=0, metavar="N", help="weight draws")
    p.add_argument("--seed", type=int, default=0, metavar="K", help="random seed")
    return p


def _run(args: argparse.Namespace) -> int:
    if args.out is not None and args.out.suffix.lower() not in (".csv", ".json", ".xlsx"):
        raise InputError([f"{args.out}: output must end in .csv, .json or .xlsx"])
    if args.robustness < 0:
        raise InputError([f"--robustness: {args.robustness} is not a number of draws >= 0"])
    if args.out is not None:
        _check_out_directory(args.out)
    scheme = read_scheme(args.scheme)
    table = read_table(args.data, scheme)
    errors = data_errors(scheme, table.data)
    if errors:
        raise InputError([_located(args.data, e, table.file_row(e)) for e in errors])
    result = rank(
        scheme, table.data, explain=args.explain, robustness=args.robustness, seed=args.seed
    )
    digest = result_digest(scheme, table.data, result)
    _write(args.out, result, scheme, digest)
    _report(result, digest)
    return 0


def _check_out_directory(out: Path) -> None:
    """Refuse an output path whose directory is missing or not writable, before computing."""
    directory = out.parent if str(out.parent) else Path(".")
    if not directory.is_dir():
        raise InputError([f"{out}: the directory {directory} does not exist"])
    if not os.access(directory, os.W_OK):
        raise InputError([f"{out}: the directory {directory} is not writable"])


def read_scheme(path: Path) -> Scheme:
    """Load a scheme file; InputError naming the file on any problem."""
    try:
        return load_scheme(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InputError([f"{path}: cannot read: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise InputError([f"{path}: not UTF-8 text"]) from exc
    except SchemeError as exc:
        raise InputError([f"{path}: {exc}"]) from exc


def _located(path: Path, error: DataError, row: int | None) -> str:
    where = [str(path)]
    if row is not None:
        where.append(f"row {row}")
    if error.column is not None:
        where.append(f"column {error.column!r}")
    return f"{': '.join([', '.join(where), error.reason])}"


def read_rows(path: Path) -> Sheet:
    """The first sheet of an XLSX file or the rows of a CSV file (UTF-8, optional BOM, or GBK),
    read by the same bounded reader as the web import."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise InputError([f"{path}: cannot read: {exc.strerror}"]) from exc
    try:
        return tabular_read(path.name, content, CLI_LIMITS)
    except TableError as exc:
        where = [str(path)]
        if exc.row is not None:
            where.append(f"line {exc.row}")
        raise InputError([f"{', '.join(where)}: {exc.problem.english()}"]) from exc


def read_table(path: Path, scheme: Scheme) -> Table:
    """Read a wide (`unit,group,<codes…>`) or long (`unit,group,indicator,value`) table."""
    sheet = read_rows(path)
    header = [_cell_text(c) for c in sheet.header]
    body = [(number - sheet.header_row, row) for number, row in sheet.rows]
    problems = [
        f"{path}: row {number - sheet.header_row}: has cells right of the header's last column"
        for number in sheet.overflow
    ]
    if problems:
        raise InputError(problems)
    if tuple(header) == LONG_HEADER:
        return _long_table(path, scheme, body)
    return _wide_table(path, scheme, header, body)


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return repr(cell)
    return str(cell).strip()


def parse_value(raw: object) -> tuple[float, str | None]:
    """(value, problem): blank is missing (NaN); anything but a plain finite number is a
    problem (the web import's one parser: ``12,8``, full-width digits and formulas refused)."""
    try:
        value = parse_number(raw)
    except CellError as exc:
        return math.nan, exc.problem.english()
    return (math.nan if value is None else value), None


def _wide_table(
    path: Path, scheme: Scheme, header: list[str], body: list[tuple[int, list[object]]]
) -> Table:
    problems = _wide_header_problems(path, scheme, header)
    if problems:
        raise InputError(problems)
    position = {name: i for i, name in enumerate(header)}
    values = np.full((len(body), len(scheme.indicators)), np.nan)
    for r, (number, row) in enumerate(body):
        for j, code in enumerate(scheme.codes):
            value, problem = parse_value(row[position[code]])
            values[r, j] = value
            if problem:
                problems.append(f"{path}: row {number}, column {code!r}: {problem}")
    if problems:
        raise InputError(problems)
    units = tuple(_cell_text(row[position["unit"]]) for _, row in body)
    groups = tuple(_cell_text(row[position["group"]]) for _, row in body)
    return Table(Dataset(units, groups, values), [number for number, _ in body])


def _wide_header_problems(path: Path, scheme: Scheme, header: list[str]) -> list[str]:
    problems = []
    for name in ("unit", "group"):
        if name not in header:
            problems.append(f"{path}: header: column {name!r} is missing")
    codes = set(scheme.codes)
    for name in header:
        if name not in codes and name not in ("unit", "group"):
            problems.append(f"{path}: header, column {name!r}: unknown indicator column")
    for code in scheme.codes:
        if code not in header:
            problems.append(f"{path}: header, column {code!r}: missing indicator column")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            problems.append(f"{path}: header, column {name!r}: appears twice")
        seen.add(name)
    return problems


def _long_table(path: Path, scheme: Scheme, body: list[tuple[int, list[object]]]) -> Table:
    codes = list(scheme.codes)
    units: list[str] = []
    groups: list[str] = []
    first_row: list[int] = []
    index: dict[str, int] = {}
    cells: dict[tuple[int, int], float] = {}
    cell_row: dict[tuple[int, str], int] = {}
    problems: list[str] = []
    for r, row in body:
        unit, group, code = (_cell_text(c) for c in row[:3])
        raw = row[3]
        if unit not in index:
            index[unit] = len(units)
            units.append(unit)
            groups.append(group)
            first_row.append(r)
        u = index[unit]
        if group != groups[u]:
            problems.append(
                f"{path}: row {r}, column 'group': unit {unit!r} is also in group {groups[u]!r}"
            )
        if code not in codes:
            problems.append(f"{path}: row {r}, column 'indicator': unknown indicator {code!r}")
            continue
        j = codes.index(code)
        if (u, j) in cells:
            problems.append(
                f"{path}: row {r}, column 'indicator': {code!r} given twice for unit {unit!r}"
            )
        value, problem = parse_value(raw)
        if problem:
            problems.append(f"{path}: row {r}, column 'value': {problem}")
        cells[(u, j)] = value
        cell_row[(u, code)] = r
    if problems:
        raise InputError(problems)
    values = np.full((len(units), len(codes)), np.nan)
    for (u, j), value in cells.items():
        values[u, j] = value
    return Table(Dataset(tuple(units), tuple(groups), values), first_row, cell_row)


def render_csv(result: RankResult) -> str:
    """The CSV text of a result (scores unrounded, booleans as true/false, NaN empty)."""
    columns = result.columns()
    rows = ([result_cell(row[c]) for c in columns] for row in result.to_rows())
    return csv_text(columns, rows, lineterminator="\n")


def render_json(result: RankResult, scheme: Scheme, digest: str) -> str:
    """JSON with the rows, the weights used, the engine version and the sha256."""
    doc: dict[str, object] = {
        "engine_version": ENGINE_VERSION,
        "scheme": scheme.name,
        "sha256": digest,
        "weights": result.weights,
        "columns": result.columns(),
        "rows": result.to_rows(),
    }
    if result.robustness is not None:
        doc["robustness"] = {"draws": result.robustness.draws, "seed": result.robustness.seed}
    return json.dumps(doc, ensure_ascii=False, indent=1)


def _write(out: Path | None, result: RankResult, scheme: Scheme, digest: str) -> None:
    if out is None:
        sys.stdout.write(render_csv(result))
        return
    suffix = out.suffix.lower()
    directory = out.parent if str(out.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".saima-rank-", suffix=suffix, dir=directory)
    os.close(fd)
    try:
        if suffix == ".xlsx":
            _write_xlsx(Path(tmp), result)
        else:
            text = render_csv(result) if suffix == ".csv" else render_json(result, scheme, digest)
            Path(tmp).write_text(text, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _write_xlsx(path: Path, result: RankResult) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    columns = result.columns()
    append_row(sheet, columns)
    for row in result.to_rows():
        append_row(sheet, [row[c] for c in columns])
    book.save(path)


def _report(result: RankResult, digest: str) -> None:
    for group, weights in result.weights.items():
        shown = " ".join(f"{code}={w:.6g}" for code, w in weights.items())
        print(f"weights[{group}] {shown}", file=sys.stderr)
    print(f"sha256={digest}", file=sys.stderr)
