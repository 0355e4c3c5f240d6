"""Engine test fixtures: plain data, no database (works with or without pytest-django)."""

from __future__ import annotations

import numpy as np
import pytest

from saima.engine import Dataset, Scheme, load_scheme

SCHEME = """
name = "投资赛马 demo"
[method]
normalise = "{normalise}"
scope = "{scope}"
weighting = "{weighting}"
aggregate = "{aggregate}"
missing = "{missing}"
[robustness]
concentration = 50
[[groups]]
code = "city"
quota = 2
[[groups]]
code = "county"
quota = 1
[[sections]]
code = "scale"
name = "投资规模扩大"
[[sections]]
code = "structure"
name = "投资结构优化"
[[indicators]]
code = "fai"
name = "固定资产投资增速"
section = "scale"
direction = "higher"
weight = 0.5
[[indicators]]
code = "industry"
name = "工业投资增速"
section = "structure"
direction = "higher"
weight = 0.3
[[indicators]]
code = "delay"
name = "项目延误天数"
section = "structure"
direction = "lower"
weight = 0.2
"""


def make_scheme(**method: str) -> Scheme:
    """The demo scheme with method keys overridden."""
    defaults = {
        "normalise": "minmax",
        "scope": "group",
        "weighting": "fixed",
        "aggregate": "arithmetic",
        "missing": "reject",
    }
    defaults.update(method)
    return load_scheme(SCHEME.format(**defaults))


def make_data() -> Dataset:
    """Four cities and three counties with positive values."""
    units = ("杭州", "宁波", "温州", "嘉兴", "安吉", "德清", "长兴")
    groups = ("city",) * 4 + ("county",) * 3
    values = np.array(
        [
            [8.0, 12.0, 30.0],
            [9.5, 10.0, 20.0],
            [6.0, 15.0, 45.0],
            [7.0, 9.0, 10.0],
            [5.0, 4.0, 12.0],
            [6.5, 7.0, 25.0],
            [4.0, 11.0, 8.0],
        ]
    )
    return Dataset(units, groups, values)


@pytest.fixture
def scheme() -> Scheme:
    return make_scheme()


@pytest.fixture
def data() -> Dataset:
    return make_data()
