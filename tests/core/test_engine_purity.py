"""saima.engine imports neither Django nor any other part of saima."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ENGINE = Path(__file__).resolve().parents[2] / "saima" / "engine"


def forbidden_imports(source: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")
            if top[0] == "django" or (top[0] == "saima" and top[1:2] != ["engine"]):
                found.append(name)
    return found


def test_the_checker_catches_django_and_sibling_imports():
    assert forbidden_imports("import django\nfrom saima.org import models\nimport numpy") == [
        "django",
        "saima.org",
    ]
    assert forbidden_imports("from saima.engine import rank\nimport saima.engine.scheme") == []


def test_no_engine_module_imports_django_or_other_saima_packages():
    modules = sorted(ENGINE.rglob("*.py"))
    assert modules, "saima/engine has no modules"
    offenders = {str(p.relative_to(ENGINE)): forbidden_imports(p.read_text()) for p in modules}
    assert {k: v for k, v in offenders.items() if v} == {}


def test_the_engine_imports_without_django_settings():
    env = {"PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [sys.executable, "-c", "import saima.engine, sys; assert 'django' not in sys.modules"],
        cwd=ENGINE.parents[1],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
