"""Every python example in docs/engine.md and every docstring example in saima.engine runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import saima.engine

DOC = Path(__file__).resolve().parents[2] / "docs" / "engine.md"


def python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


def test_engine_doc_has_examples() -> None:
    assert len(python_blocks()) >= 8


def test_every_engine_doc_example_checks_what_it_shows() -> None:
    """A block that only runs shows nothing a reader can rely on: each one asserts its claim."""
    silent = [block.splitlines()[0] for block in python_blocks() if "assert" not in block]
    assert silent == []


def test_engine_doc_examples_run() -> None:
    namespace: dict[str, object] = {}
    for block in python_blocks():
        exec(compile(block, str(DOC), "exec"), namespace)


# every module, in subpackages too (saima.engine.progress.lights); a package's own __init__
# re-exports its modules and needs no example of its own
WALKED = list(pkgutil.walk_packages(saima.engine.__path__, "saima.engine."))
MODULES = [m.name for m in WALKED]
PACKAGES = {m.name for m in WALKED if m.ispkg}
# Modules without a worked example of their own, and why; every other module has one.
WITHOUT_EXAMPLES = {
    "saima.engine.explain": "dispatches to closed or search; test_gaps checks every gap",
    "saima.engine.search": "an iterative search; test_gaps checks what it finds",
    "saima.engine.confirmation": "re-runs rank on a found gap; test_known_limits covers it",
    "saima.engine.feasible": "split from explain.py without an example yet; test_gaps covers it",
    "saima.engine.judging.digest": "hashes canonical JSON; tests/engine/judging/test_digest.py",
    "saima.engine.judging.result": "assembles a contest's rows; tests/engine/judging/test_result.py",
}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples_run(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
    assert result.attempted > 0 or name in WITHOUT_EXAMPLES.keys() | PACKAGES, (
        f"{name} has no worked example: add one, or say in WITHOUT_EXAMPLES why it has none"
    )
