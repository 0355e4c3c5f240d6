"""The layers hold (engine < core < org < mechanism apps < bulletins/portal/api), as
``make lint`` checks with import-linter; here too, so ``make test`` alone catches a wrong arrow."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_import_contracts_in_pyproject_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_core_names_no_app_above_it():
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in (ROOT / "saima" / "core").rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if line.lstrip().startswith(("from saima.", "import saima."))
        and not line.lstrip().split()[1].startswith(("saima.core", "saima.engine"))
    ]
    assert offenders == [], os.linesep.join(offenders)
