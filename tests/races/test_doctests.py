"""The worked examples in the races modules' docstrings are tests too."""

from __future__ import annotations

import doctest

import pytest

from saima.races.reporting import anomalies
from saima.races.results import selectors


@pytest.mark.parametrize("module", [anomalies, selectors])
def test_docstring_examples_hold(module):
    outcome = doctest.testmod(module)
    assert outcome.attempted > 0 and outcome.failed == 0
