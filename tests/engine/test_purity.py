"""saima.engine imports only the standard library, NumPy, tomli_w and itself: neither Django nor
any other part of saima, however the import is spelt (absolute or relative, in any subpackage)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

import saima.engine

ENGINE = Path(saima.engine.__file__).parent
ALLOWED_THIRD_PARTY = {"numpy", "tomli_w"}


def imported_modules(source: str, package: str) -> set[str]:
    """The absolute names of the modules ``source`` imports, its relative imports resolved
    against ``package`` (the dotted package of the module, e.g. ``saima.engine``)."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1]
            prefix = ".".join(base) if node.level else ""
            found.add(".".join(part for part in (prefix, node.module or "") if part))
    return found


def forbidden(name: str) -> bool:
    root = name.split(".")[0]
    if root == "saima":
        return not (name == "saima.engine" or name.startswith("saima.engine."))
    return root not in sys.stdlib_module_names and root not in ALLOWED_THIRD_PARTY


def engine_offenders() -> dict[str, set[str]]:
    offenders = {}
    for path in sorted(ENGINE.rglob("*.py")):
        relative = path.relative_to(ENGINE.parent.parent)
        package = ".".join(relative.parent.parts)
        bad = {n for n in imported_modules(path.read_text("utf-8"), package) if forbidden(n)}
        if bad:
            offenders[str(relative)] = bad
    return offenders


@pytest.mark.parametrize(
    ("source", "package", "bad"),
    [
        ("import django\nimport numpy", "saima.engine", {"django"}),
        ("from django.db import models", "saima.engine", {"django.db"}),
        ("from saima.org import models\nimport saima.engine.scheme", "saima.engine", {"saima.org"}),
        ("from .. import org", "saima.engine", {"saima"}),
        ("from ..core.audit import record_event", "saima.engine", {"saima.core.audit"}),
        ("from ...races import models", "saima.engine.sub", {"saima.races"}),
        ("from . import scheme\nfrom .model import Dataset", "saima.engine", set()),
        ("from .. import weights", "saima.engine.sub", set()),
        ("import pandas", "saima.engine", {"pandas"}),
    ],
)
def test_the_checker_resolves_every_spelling_of_an_import(source, package, bad) -> None:
    assert {n for n in imported_modules(source, package) if forbidden(n)} == bad


def test_engine_modules_import_only_stdlib_numpy_tomli_w_and_the_engine() -> None:
    assert len(list(ENGINE.rglob("*.py"))) > 5, "the engine's modules were not found"
    assert engine_offenders() == {}


def test_the_engine_imports_without_django_settings() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import saima.engine, sys; assert 'django' not in sys.modules"],
        cwd=ENGINE.parents[1],
        env={"PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
