"""docs/progress.md's python examples and every docstring example in saima.engine.progress run;
the subpackage is as pure as the rest of the engine."""

from __future__ import annotations

import ast
import doctest
import importlib
import pkgutil
import re
import sys
from pathlib import Path

import pytest

import saima.engine.progress

DOC = Path(__file__).resolve().parents[2] / "docs" / "progress.md"
PACKAGE = Path(saima.engine.progress.__file__).parent


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_progress_doc_has_an_example_for_each_part() -> None:
    assert len(python_blocks()) >= 8


def test_progress_doc_examples_run() -> None:
    namespace: dict[str, object] = {}
    for block in python_blocks():
        exec(compile(block, str(DOC), "exec"), namespace)


MODULES = [
    m.name for m in pkgutil.iter_modules(saima.engine.progress.__path__, "saima.engine.progress.")
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def imported(path: Path) -> set[str]:
    """Absolute imports, and relative ones resolved against saima.engine.progress."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = ["saima", "engine", "progress"][: 4 - node.level] if node.level else []
            names.add(".".join([*base, *([node.module] if node.module else [])]))
    return names


def test_the_subpackage_imports_only_stdlib_numpy_tomli_w_and_the_engine() -> None:
    offenders = {}
    for path in PACKAGE.glob("*.py"):
        bad = {
            name
            for name in imported(path)
            if name.split(".")[0] not in sys.stdlib_module_names | {"numpy", "tomli_w"}
            and not name.startswith("saima.engine")
        }
        if bad:
            offenders[path.name] = bad
    assert offenders == {}


def test_the_purity_check_resolves_relative_imports(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text("from ..errors import X\nfrom ...core import audit\nimport django\n")
    assert imported(bad) == {"saima.engine.errors", "saima.core", "django"}
