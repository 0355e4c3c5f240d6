"""Every python example in the engine's documents (docs/engine.md, docs/progress.md,
docs/judging.md) and every docstring example in saima.engine, subpackages included, runs."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import saima.engine

DOCS = Path(__file__).resolve().parents[2] / "docs"
# each document, and how many examples it has at least (one per formula or part)
DOCUMENTS = {"engine.md": 8, "progress.md": 8, "judging.md": 10}


def python_blocks(doc: str) -> list[str]:
    text = (DOCS / doc).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_the_doc_has_its_examples(doc: str) -> None:
    assert len(python_blocks(doc)) >= DOCUMENTS[doc]


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_every_doc_example_checks_what_it_shows(doc: str) -> None:
    """A block that only runs shows nothing a reader can rely on: each one asserts its claim."""
    silent = [block.splitlines()[0] for block in python_blocks(doc) if "assert" not in block]
    assert silent == []


@pytest.mark.parametrize("doc", DOCUMENTS)
def test_the_doc_examples_run(doc: str) -> None:
    namespace: dict[str, object] = {}
    for block in python_blocks(doc):
        exec(compile(block, str(DOCS / doc), "exec"), namespace)


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
