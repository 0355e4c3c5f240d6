"""`saima rank`: rank a CSV/XLSX table under a TOML scheme, from the command line.

    saima rank --scheme S.toml --data D.csv [--out OUT.csv|.json|.xlsx]
               [--explain] [--robustness N] [--seed K]

Bad input exits with status 2 and one line per problem, naming file, row, column and reason;
no output file is written, not even partly. The last line on stderr is `sha256=<hex>`.
Not Django: the library `saima.engine` plus openpyxl and the standard library.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import os
import sys
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

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


def read_rows(path: Path) -> list[list[object]]:
    """All rows of a CSV (UTF-8, optional BOM) or the first sheet of an XLSX file."""
    try:
        if path.suffix.lower() == ".xlsx":
            return _xlsx_rows(path)
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return [list(row) for row in csv.reader(handle)]
    except OSError as exc:
        raise InputError([f"{path}: cannot read: {exc.strerror}"]) from exc
    except (UnicodeDecodeError, csv.Error) as exc:
        raise InputError([f"{path}: not a readable UTF-8 CSV file ({exc})"]) from exc


def _xlsx_rows(path: Path) -> list[list[object]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a broken file
        raise InputError([f"{path}: not a readable XLSX file ({exc})"]) from exc
    sheet = book.worksheets[0]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    book.close()
    return [row for row in rows if any(cell not in (None, "") for cell in row)]


def read_table(path: Path, scheme: Scheme) -> Table:
    """Read a wide (`unit,group,<codes…>`) or long (`unit,group,indicator,value`) table."""
    rows = read_rows(path)
    if not rows:
        raise InputError([f"{path}: the file is empty"])
    header = [str(c or "").strip() for c in rows[0]]
    body = [[_cell_text(c) for c in row] for row in rows[1:]]
    if tuple(header) == LONG_HEADER:
        return _long_table(path, scheme, body)
    return _wide_table(path, scheme, header, body)


def _cell_text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return repr(cell)
    return str(cell).strip()


def parse_value(text: str) -> tuple[float, str | None]:
    """(value, problem): empty is missing (NaN); non-numbers, NaN and inf are problems."""
    if text == "":
        return math.nan, None
    if not _plain_number(text):
        return math.nan, f"value {text!r} is not a finite number"
    try:
        value = float(text.replace(",", ""))
    except ValueError:
        return math.nan, f"value {text!r} is not a number"
    if not math.isfinite(value):
        return math.nan, f"value {text!r} is not a finite number"
    return value, None


def _plain_number(text: str) -> bool:
    lowered = text.lower().lstrip("+-")
    return not (lowered.startswith("nan") or lowered.startswith("inf"))


def _wide_table(path: Path, scheme: Scheme, header: list[str], body: list[list[str]]) -> Table:
    problems = _wide_header_problems(path, scheme, header)
    if problems:
        raise InputError(problems)
    position = {name: i for i, name in enumerate(header)}
    values = np.full((len(body), len(scheme.indicators)), np.nan)
    for r, row in enumerate(body):
        row = row + [""] * (len(header) - len(row))
        if len(row) > len(header):
            problems.append(
                f"{path}: row {r + 1}: has {len(row)} cells, the header has {len(header)}"
            )
        for j, code in enumerate(scheme.codes):
            value, problem = parse_value(row[position[code]])
            values[r, j] = value
            if problem:
                problems.append(f"{path}: row {r + 1}, column {code!r}: {problem}")
    if problems:
        raise InputError(problems)
    units = tuple(row[position["unit"]] if row else "" for row in body)
    groups = tuple(row[position["group"]] if len(row) > position["group"] else "" for row in body)
    return Table(Dataset(units, groups, values), list(range(1, len(body) + 1)))


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


def _long_table(path: Path, scheme: Scheme, body: list[list[str]]) -> Table:
    codes = list(scheme.codes)
    units: list[str] = []
    groups: list[str] = []
    first_row: list[int] = []
    index: dict[str, int] = {}
    cells: dict[tuple[int, int], float] = {}
    cell_row: dict[tuple[int, str], int] = {}
    problems: list[str] = []
    for r, row in enumerate(body, start=1):
        unit, group, code, text = (row + [""] * 4)[:4]
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
        value, problem = parse_value(text)
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


def _csv_cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def render_csv(result: RankResult) -> str:
    """The CSV text of a result (scores unrounded, booleans as true/false, NaN empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    columns = result.columns()
    writer.writerow(columns)
    for row in result.to_rows():
        writer.writerow([_csv_cell(row[c]) for c in columns])
    return buffer.getvalue()


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
    sheet.append(columns)
    for row in result.to_rows():
        sheet.append([row[c] for c in columns])
    book.save(path)


def _report(result: RankResult, digest: str) -> None:
    for group, weights in result.weights.items():
        shown = " ".join(f"{code}={w:.6g}" for code, w in weights.items())
        print(f"weights[{group}] {shown}", file=sys.stderr)
    print(f"sha256={digest}", file=sys.stderr)
