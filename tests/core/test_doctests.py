"""The worked examples in the core modules' docstrings are tests too."""

from __future__ import annotations

import doctest

import pytest

from saima.core import calendar, formats


@pytest.mark.parametrize("module", [calendar, formats], ids=lambda m: m.__name__)
def test_docstring_examples_hold(module):
    outcome = doctest.testmod(module)
    assert outcome.attempted > 0 and outcome.failed == 0
