"""Every catalogue is complete: no untranslated or fuzzy (guessed) English entry."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

SAIMA = Path(__file__).resolve().parents[2] / "saima"
CATALOGUES = sorted(SAIMA.rglob("locale/en/LC_MESSAGES/django.po"))


def test_there_are_catalogues_for_the_shell_and_the_apps():
    names = {p.relative_to(SAIMA).parts[0] for p in CATALOGUES}
    assert {"locale", "races"} <= names


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=lambda p: str(p.relative_to(SAIMA)))
def test_every_entry_is_translated_and_none_is_fuzzy(catalogue, tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "gettext's msgfmt is missing: `make messages` installs it"
    result = subprocess.run(
        [msgfmt, "--check", "--statistics", "-o", str(tmp_path / "x.mo"), str(catalogue)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "fuzzy" not in result.stderr and "untranslated" not in result.stderr, result.stderr
