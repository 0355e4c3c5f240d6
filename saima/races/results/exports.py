"""XLSX/CSV exports of the pages' tables (written safely by ``saima.core.exports``), and the
verification kit (核验包) of a result.

The kit holds ``data.csv`` (wide: unit, group, indicator codes — the format ``saima rank``
reads), ``scheme.toml`` exactly as frozen, ``result.csv`` (the published numbers) and
``SHA256.txt``; ``saima rank --scheme scheme.toml --data data.csv --explain --robustness N
--seed K`` prints the same ``sha256=`` as the last line of its standard error.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from typing import Any

from saima.core.checkpoints import checkpoint_issue
from saima.core.exports import XLSX, Table, table_csv, table_response, table_xlsx
from saima.core.tabular.writing import csv_text, result_cell
from saima.engine import load_scheme
from saima.engine.race import row_columns
from saima.races.models import Result

__all__ = ["XLSX", "Table", "kit_zip", "table_csv", "table_response", "table_xlsx"]


def _number(value: float | None) -> str:
    return "" if value is None else repr(float(value))


def kit_data_csv(result: Result) -> str:
    """The kit's input table, exactly as ``saima rank`` must read it back: cells are not
    neutralised (a changed unit code would change the digest). It holds unit and group codes
    from the organisation directory and numbers only; every other CSV is neutralised."""
    inputs = result.inputs
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["unit", "group", *inputs["indicators"]])
    for unit, group, values in zip(
        inputs["units"], inputs["groups"], inputs["values"], strict=True
    ):
        writer.writerow([unit, group, *[_number(v) for v in values]])
    return out.getvalue()


def kit_result_csv(result: Result) -> str:
    rows = result.outputs["rows"]
    names = dict(zip(result.inputs["units"], result.inputs["names"], strict=True))
    scheme = load_scheme(result.scheme_toml)
    sections = [section.code for section in scheme.sections]
    columns = row_columns(rows[0].keys(), sections, scheme.codes) if rows else []
    body = ([names[row["unit"]], *[result_cell(row[c]) for c in columns]] for row in rows)
    return csv_text(["name", *columns], body, lineterminator="\n")


def kit_command(result: Result) -> str:
    command = "saima rank --scheme scheme.toml --data data.csv"
    if result.explain:
        command += " --explain"
    if result.robustness_draws:
        command += f" --robustness {result.robustness_draws} --seed {result.seed}"
    return command


def kit_readme(result: Result, checkpoint: dict[str, Any] | None = None) -> str:
    text = (
        f"{result.period} · 第 {result.version} 版\n"
        f"SHA-256: {result.digest}\n"
        f"引擎版本 engine: {result.engine_version}\n\n"
        "复算 / To re-verify:\n"
        f"  {kit_command(result)}\n"
        "标准错误输出的最后一行应为 / the last line on stderr must read:\n"
        f"  sha256={result.digest}\n"
    )
    if checkpoint is not None:
        text += (
            "\n审计链检查点 / audit chain checkpoint (audit-checkpoint.json, signed Ed25519):\n"
            f"  #{checkpoint['seq']} {checkpoint['hash']}\n"
            "请保存此文件；日后在平台上运行以下命令，即可证明审计记录自此只增不改 /\n"
            "keep this file; later, on the platform, this proves the audit log only grew since:\n"
            "  saima verify --checkpoint audit-checkpoint.json\n"
        )
    return text


def kit_zip(result: Result) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.csv", kit_data_csv(result))
        archive.writestr("scheme.toml", result.scheme_toml)
        archive.writestr("result.csv", kit_result_csv(result))
        archive.writestr("SHA256.txt", f"{result.digest}\n")
        checkpoint = checkpoint_issue()
        archive.writestr("audit-checkpoint.json", json.dumps(checkpoint, indent=2) + "\n")
        archive.writestr("README.txt", kit_readme(result, checkpoint))
    return out.getvalue()
