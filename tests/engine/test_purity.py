"""saima.engine imports neither Django nor any other part of saima."""

from __future__ import annotations

import ast
from pathlib import Path

import saima.engine

ENGINE = Path(saima.engine.__file__).parent
ALLOWED_THIRD_PARTY = {"numpy", "tomli_w"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            roots |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module)
    return roots


def test_engine_modules_import_only_stdlib_numpy_and_tomli_w() -> None:
    import sys

    offenders = {}
    for path in ENGINE.glob("*.py"):
        bad = {
            name
            for name in imported_roots(path)
            if name.split(".")[0] not in sys.stdlib_module_names
            and name.split(".")[0] not in ALLOWED_THIRD_PARTY
        }
        if bad:
            offenders[path.name] = bad
    assert offenders == {}


def test_purity_check_catches_a_django_import(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from django.db import models\nimport saima.core\n")
    assert imported_roots(bad) == {"django.db", "saima.core"}
