"""`saima rank`: the contract, and one test per hostile input (exit 2, located message, no file)."""

from __future__ import annotations

import csv
import json
import time
from pathlib import Path

import numpy as np
import pytest

from saima.engine import Dataset, rank, result_digest
from saima.rank_cli import main
from tests.hostile.corpus import CORPUS, build

from .conftest import SCHEME, make_data, make_scheme

DEFAULTS = dict(
    normalise="minmax", scope="group", weighting="fixed", aggregate="arithmetic", missing="reject"
)
HEADER = ["unit", "group", "fai", "industry", "delay"]


def write_scheme(tmp_path: Path, text: str | None = None, **method: str) -> Path:
    path = tmp_path / "scheme.toml"
    path.write_text(text or SCHEME.format(**{**DEFAULTS, **method}), encoding="utf-8")
    return path


def wide_rows() -> list[list[str]]:
    d = make_data()
    return [HEADER] + [
        [u, g, *map(repr, v)] for u, g, v in zip(d.units, d.groups, d.values.tolist(), strict=True)
    ]


def write_csv(tmp_path: Path, rows: list[list[str]], name: str = "data.csv") -> Path:
    path = tmp_path / name
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return path


def run(tmp_path: Path, rows: list[list[str]], *extra: str, **method: str) -> tuple[int, Path]:
    out = tmp_path / "out.csv"
    code = main(
        [
            "--scheme",
            str(write_scheme(tmp_path, **method)),
            "--data",
            str(write_csv(tmp_path, rows)),
            "--out",
            str(out),
            *extra,
        ]
    )
    return code, out


def test_wide_csv_ranks_and_writes_the_contract_columns(tmp_path: Path) -> None:
    code, out = run(tmp_path, wide_rows())
    assert code == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert list(rows[0])[:5] == ["unit", "group", "score", "rank", "selected"]
    assert "section:scale" in rows[0] and "contrib:delay" in rows[0]
    expected = rank(make_scheme(), make_data())
    assert [float(r["score"]) for r in rows] == expected.score.tolist()
    assert {r["selected"] for r in rows} == {"true", "false"}


def test_stdout_csv_and_sha256_last_on_stderr_match_the_library(tmp_path: Path, capsys) -> None:
    scheme_path = write_scheme(tmp_path)
    code = main(
        [
            "--scheme",
            str(scheme_path),
            "--data",
            str(write_csv(tmp_path, wide_rows())),
            "--explain",
            "--robustness",
            "50",
            "--seed",
            "7",
        ]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert captured.out.startswith("unit,group,score,rank,selected")
    assert (
        "gap:fai" in captured.out.splitlines()[0] and "p_selected" in captured.out.splitlines()[0]
    )
    last = captured.err.strip().splitlines()[-1]
    expected = rank(make_scheme(), make_data(), explain=True, robustness=50, seed=7)
    assert last == f"sha256={result_digest(make_scheme(), make_data(), expected)}"
    assert "weights[city]" in captured.err


def test_long_format_gives_the_same_result_as_wide(tmp_path: Path, capsys) -> None:
    d = make_data()
    long = [["unit", "group", "indicator", "value"]]
    for u, g, v in zip(d.units, d.groups, d.values.tolist(), strict=True):
        long += [[u, g, code, repr(x)] for code, x in zip(HEADER[2:], v, strict=True)]
    scheme = str(write_scheme(tmp_path))
    main(["--scheme", scheme, "--data", str(write_csv(tmp_path, wide_rows(), "w.csv"))])
    wide_out = capsys.readouterr()
    main(["--scheme", scheme, "--data", str(write_csv(tmp_path, long, "l.csv"))])
    long_out = capsys.readouterr()
    assert wide_out.out == long_out.out
    assert wide_out.err.splitlines()[-1] == long_out.err.splitlines()[-1]


def test_json_output_carries_sha256_and_weights(tmp_path: Path) -> None:
    out = tmp_path / "out.json"
    code = main(
        [
            "--scheme",
            str(write_scheme(tmp_path)),
            "--data",
            str(write_csv(tmp_path, wide_rows())),
            "--out",
            str(out),
        ]
    )
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert code == 0
    assert doc["sha256"] == result_digest(
        make_scheme(), make_data(), rank(make_scheme(), make_data())
    )
    assert doc["weights"]["city"]["fai"] == pytest.approx(0.5)


def write_xlsx(tmp_path: Path, formula_at: str | None = None) -> Path:
    """The wide rows as an XLSX file (numbers as numbers), one cell a formula if asked."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    header, *body = wide_rows()
    sheet.append(header)
    for row in body:
        sheet.append(row[:2] + [float(x) for x in row[2:]])
    if formula_at:
        sheet[formula_at] = "=C2*2"
    data = tmp_path / "data.xlsx"
    book.save(data)
    return data


def test_xlsx_in_and_out(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    data = write_xlsx(tmp_path)
    out = tmp_path / "out.xlsx"
    code = main(["--scheme", str(write_scheme(tmp_path)), "--data", str(data), "--out", str(out)])
    assert code == 0
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("unit", "group", "score")
    expected = rank(make_scheme(), make_data()).score
    np.testing.assert_allclose([r[2] for r in rows[1:]], expected, rtol=1e-14)


def change(rows: list[list[str]], r: int, c: int, value: str) -> list[list[str]]:
    rows = [list(x) for x in rows]
    rows[r][c] = value
    return rows


def assert_refused(
    tmp_path: Path, capsys, rows: list[list[str]], *needles: str, **method: str
) -> None:
    code, out = run(tmp_path, rows, **method)
    err = capsys.readouterr().err
    assert code == 2
    assert not out.exists()
    assert list(tmp_path.glob(".saima-rank-*")) == []
    for needle in needles:
        assert needle in err, err


def test_unknown_indicator_column_is_refused(tmp_path, capsys) -> None:
    rows = [r + ["1"] for r in wide_rows()]
    rows[0][-1] = "mystery"
    assert_refused(
        tmp_path, capsys, rows, "data.csv", "column 'mystery'", "unknown indicator column"
    )


def test_missing_indicator_column_is_refused(tmp_path, capsys) -> None:
    rows = [r[:-1] for r in wide_rows()]
    assert_refused(tmp_path, capsys, rows, "data.csv", "column 'delay'", "missing indicator column")


def test_non_numeric_value_is_refused(tmp_path, capsys) -> None:
    assert_refused(
        tmp_path,
        capsys,
        change(wide_rows(), 3, 2, "abc"),
        "data.csv",
        "row 3",
        "column 'fai'",
        "not a number",
    )


@pytest.mark.parametrize("text", ["nan", "NaN", "inf", "-Infinity"])
def test_nan_or_inf_value_is_refused(tmp_path, capsys, text: str) -> None:
    assert_refused(
        tmp_path,
        capsys,
        change(wide_rows(), 2, 3, text),
        "row 2",
        "column 'industry'",
        "not a finite number",
    )


def test_empty_value_is_refused_when_missing_is_rejected(tmp_path, capsys) -> None:
    assert_refused(
        tmp_path, capsys, change(wide_rows(), 5, 4, ""), "row 5", "column 'delay'", "missing"
    )


def test_duplicate_unit_is_refused(tmp_path, capsys) -> None:
    assert_refused(
        tmp_path,
        capsys,
        change(wide_rows(), 4, 0, "杭州"),
        "row 4",
        "column 'unit'",
        "more than once",
    )


def test_unit_without_group_is_refused(tmp_path, capsys) -> None:
    assert_refused(
        tmp_path, capsys, change(wide_rows(), 6, 1, ""), "row 6", "column 'group'", "no group"
    )


def test_group_without_quota_is_refused(tmp_path, capsys) -> None:
    assert_refused(
        tmp_path,
        capsys,
        change(wide_rows(), 6, 1, "town"),
        "row 6",
        "column 'group'",
        "'town'",
        "no quota",
    )


def test_group_without_quota_in_scheme_is_refused(tmp_path, capsys) -> None:
    text = SCHEME.format(**DEFAULTS).replace("quota = 1\n", "", 1)
    out = tmp_path / "out.csv"
    code = main(
        [
            "--scheme",
            str(write_scheme(tmp_path, text)),
            "--data",
            str(write_csv(tmp_path, wide_rows())),
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "scheme.toml" in err and "group 'county': quota is required" in err


def test_empty_group_is_refused(tmp_path, capsys) -> None:
    rows = wide_rows()[:5]
    assert_refused(
        tmp_path, capsys, rows, "data.csv", "column 'group'", "group 'county' has no units"
    )


def test_non_positive_value_for_geometric_aggregation_is_refused(tmp_path, capsys) -> None:
    rows = change(wide_rows(), 2, 4, "0")
    assert_refused(tmp_path, capsys, rows, "row 2", "column 'delay'", "> 0", aggregate="geometric")


def test_inconsistent_ahp_is_refused(tmp_path, capsys) -> None:
    text = (
        SCHEME.format(**{**DEFAULTS, "weighting": "ahp"})
        + '\n[ahp]\nmatrix = [[1, 9, "1/9"], ["1/9", 1, 9], [9, "1/9", 1]]\n'
    )
    out = tmp_path / "out.csv"
    code = main(
        [
            "--scheme",
            str(write_scheme(tmp_path, text)),
            "--data",
            str(write_csv(tmp_path, wide_rows())),
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "scheme.toml" in err and "consistency ratio" in err and "exceeds 0.1" in err


def test_every_error_is_reported_at_once(tmp_path, capsys) -> None:
    rows = change(change(wide_rows(), 2, 2, "x"), 5, 3, "y")
    assert_refused(tmp_path, capsys, rows, "row 2, column 'fai'", "row 5, column 'industry'")


def test_existing_output_file_is_left_untouched_on_bad_input(tmp_path, capsys) -> None:
    out = tmp_path / "out.csv"
    out.write_text("previous result\n")
    code = main(
        [
            "--scheme",
            str(write_scheme(tmp_path)),
            "--data",
            str(write_csv(tmp_path, change(wide_rows(), 1, 2, "?"))),
            "--out",
            str(out),
        ]
    )
    assert code == 2
    assert out.read_text() == "previous result\n"


def test_unreadable_data_file_is_refused(tmp_path, capsys) -> None:
    code = main(["--scheme", str(write_scheme(tmp_path)), "--data", str(tmp_path / "absent.csv")])
    assert code == 2 and "absent.csv" in capsys.readouterr().err


def test_bad_arguments_exit_2(capsys) -> None:
    assert main(["--scheme"]) == 2


def test_dataset_with_same_values_digests_identically_however_built() -> None:
    d = make_data()
    again = Dataset(tuple(d.units), tuple(d.groups), np.array(d.values.tolist()))
    s = make_scheme()
    assert result_digest(s, d, rank(s, d)) == result_digest(s, again, rank(s, again))


def test_out_into_a_missing_directory_exits_2_with_one_line_before_computing(
    tmp_path, capsys, monkeypatch
) -> None:
    import saima.rank_cli as rank_cli

    monkeypatch.setattr(rank_cli, "rank", lambda *a, **k: pytest.fail("computed anyway"))
    out = tmp_path / "missing" / "out.csv"
    code = main(
        [
            "--scheme",
            str(write_scheme(tmp_path)),
            "--data",
            str(write_csv(tmp_path, wide_rows())),
            "--out",
            str(out),
        ]
    )
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [f"saima rank: {out}: the directory {out.parent} does not exist"]


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("12,8", "commas do not group thousands"),
        ("１２", "full-width or non-ASCII"),
        ("1,23,456", "commas do not group thousands"),
    ],
)
def test_ambiguous_numbers_are_refused_as_in_the_web_import(tmp_path, capsys, text, needle) -> None:
    assert_refused(
        tmp_path, capsys, change(wide_rows(), 2, 2, text), "row 2", "column 'fai'", needle
    )


def test_a_formula_cell_in_xlsx_is_refused_even_without_a_cached_value(tmp_path, capsys) -> None:
    data = write_xlsx(tmp_path, formula_at="C3")
    out = tmp_path / "out.csv"
    code = main(["--scheme", str(write_scheme(tmp_path)), "--data", str(data), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "row 2, column 'fai'" in err and "formula '=C2*2'" in err


def test_text_cells_that_look_like_formulas_are_written_inert(tmp_path, capsys) -> None:
    rows = change(wide_rows(), 1, 0, "=HYPERLINK(1)")
    code, out = run(tmp_path, rows)
    assert code == 0
    assert "'=HYPERLINK(1)" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_every_hostile_file_exits_2_fast_naming_the_file(tmp_path, capsys, name) -> None:
    data = tmp_path / name
    data.write_bytes(build(name))
    started = time.perf_counter()
    code = main(["--scheme", str(write_scheme(tmp_path)), "--data", str(data)])
    assert time.perf_counter() - started < 5
    err = capsys.readouterr().err
    assert code == 2 and str(data) in err and "Traceback" not in err


def test_values_outside_the_indicators_bounds_are_refused(tmp_path, capsys) -> None:
    bounded = SCHEME.format(**DEFAULTS).replace(
        'direction = "lower"\nweight = 0.2\n', 'direction = "lower"\nweight = 0.2\nmin = 0\n'
    )
    rows = wide_rows()
    rows[3][4] = "-2"
    out = tmp_path / "out.csv"
    data = write_csv(tmp_path, rows)
    code = main(
        ["--scheme", str(write_scheme(tmp_path, bounded)), "--data", str(data), "--out", str(out)]
    )
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "row 3, column 'delay': value -2 is below the minimum 0" in err, err


def test_explained_output_carries_gap_kinds(tmp_path: Path) -> None:
    code, out = run(tmp_path, wide_rows(), "--explain")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert code == 0
    assert {r["gap_kind:fai"] for r in rows} <= {"selected", "change", "out_of_reach"}
    assert "selected" in {r["gap_kind:fai"] for r in rows}
