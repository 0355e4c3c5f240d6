"""Gaps are exact (closed form) or within the stated tolerance (numeric search): applying the
reported gap selects the unit, applying 99% of it does not."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from saima.engine import Dataset, Scheme, rank
from saima.engine.closed import exact_gaps
from saima.engine.explain import has_closed_form
from saima.engine.search import RELATIVE_TOLERANCE

from .conftest import make_scheme

UNITS = 8
GROUPS = ("city",) * 4 + ("county",) * 4
values = arrays(np.float64, (UNITS, 3), elements=st.floats(1.0, 100.0, allow_nan=False, width=32))


def variant(name: str) -> Scheme:
    """The demo scheme under one of the methods the property test covers."""
    base = make_scheme()
    if name == "sections":
        weighted = tuple(
            replace(s, weight=w) for s, w in zip(base.sections, (0.7, 0.3), strict=True)
        )
        return replace(base, sections=weighted)
    if name == "lower":
        return replace(
            base, indicators=tuple(replace(i, direction="lower") for i in base.indicators)
        )
    if name == "equal-all":
        return make_scheme(weighting="equal", scope="all")
    if name == "winsorise":
        return replace(base, method=replace(base.method, winsorise=0.2))
    if name.startswith("winsorise-"):  # winsorise-<share>-<variant>: p and another method
        _, share, rest = name.split("-", 2)
        other = variant(rest)
        return replace(other, method=replace(other.method, winsorise=float(share)))
    if name == "reweight":
        return make_scheme(missing="reweight")
    if name in ("entropy-lower", "critic-lower"):
        lowered = variant(name.split("-")[0])
        return replace(
            lowered, indicators=tuple(replace(i, direction="lower") for i in lowered.indicators)
        )
    if name in ("entropy-sections", "critic-sections"):
        sectioned = variant("sections")
        return replace(sectioned, method=replace(sectioned.method, weighting=name.split("-")[0]))
    options = {
        "minmax": {},
        "entropy": {"weighting": "entropy"},
        "critic": {"weighting": "critic"},
        "entropy-topsis": {"weighting": "entropy", "aggregate": "topsis", "normalise": "vector"},
        "critic-zscore": {"weighting": "critic", "normalise": "zscore", "scope": "all"},
        "entropy-all": {"weighting": "entropy", "scope": "all"},
        "entropy-reweight": {"weighting": "entropy", "missing": "reweight"},
        "topsis": {"aggregate": "topsis", "normalise": "vector"},
        "geometric": {"aggregate": "geometric", "normalise": "vector"},
        "zscore": {"normalise": "zscore", "scope": "all"},
        "rank": {"normalise": "rank"},
    }
    return make_scheme(**options[name])


CLOSED = ["minmax", "sections", "lower", "equal-all", "reweight"]
NUMERIC = ["winsorise", "entropy", "critic", "topsis", "geometric", "zscore", "rank"]
# data-driven weights updated in O(k) per candidate (`saima.engine.replaced`)
DATA_DRIVEN = [
    "entropy-lower",
    "critic-lower",
    "entropy-sections",
    "critic-sections",
    "entropy-topsis",
    "critic-zscore",
    "entropy-all",
    "entropy-reweight",
]

# winsorised columns in O(log m) per candidate (`columns._winsorised_column`) or rebuilt from
# the candidate's bounds; the share is the method's winsorise
WINSORISED = [
    "winsorise-0.05-minmax",
    "winsorise-0.2-lower",
    "winsorise-0.2-sections",
    "winsorise-0.2-reweight",
    "winsorise-0.1-topsis",
    "winsorise-0.2-entropy",
    "winsorise-0.1-critic-lower",
]


def moved(data: Dataset, row: int, col: int, value: float) -> Dataset:
    v = data.values.copy()
    v[row, col] = value
    return Dataset(data.units, data.groups, v)


def kind_of_number(gap: float, x0: float, kind: str) -> str:
    """The kinds a stated number allows: NaN is out of reach (or missing), 0 for an unselected
    unit is "any" change, anything else is a change."""
    if np.isnan(x0):
        return "missing"
    if np.isnan(gap):
        return "out_of_reach"
    if gap == 0:
        return kind if kind in ("any_increase", "any_decrease") else "any_*"
    return "change"


def check_gaps(scheme: Scheme, data: Dataset) -> int:
    """Assert the gap property for every unselected unit and indicator; count the checks."""
    result = rank(scheme, data, explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    exact = has_closed_form(scheme)
    checked = 0
    for j, code in enumerate(scheme.codes):
        column = data.values[:, j]
        span = float(np.nanmax(column) - np.nanmin(column))
        sign = 1.0 if scheme.indicators[j].direction == "higher" else -1.0
        for row in np.flatnonzero(~result.selected):
            gap, x0 = float(result.gaps[code][row]), float(column[row])
            kind = str(result.gap_kinds[code][row])
            assert kind == kind_of_number(gap, x0, kind), (code, row, gap, kind)
            if np.isnan(gap) or np.isnan(x0):
                continue
            tolerance = RELATIVE_TOLERANCE * max(span, abs(x0), 1.0)
            epsilon = 1e-9 * max(span, abs(x0), 1.0) if exact else 0.0
            if kind.startswith("any_"):  # any move in the better direction: a tiny one
                epsilon = 1e-7 * max(span, abs(x0), 1.0)
            enough = x0 + gap + sign * epsilon
            assert rank(scheme, moved(data, row, j, enough)).selected[row], (code, row, gap)
            if abs(gap) * 0.01 > 10 * tolerance:
                less = x0 + 0.99 * gap
                assert not rank(scheme, moved(data, row, j, less)).selected[row], (code, row)
            checked += 1
    return checked


@pytest.mark.parametrize("name", CLOSED)
def test_closed_form_applies(name: str) -> None:
    assert has_closed_form(variant(name))


@pytest.mark.parametrize("name", NUMERIC + DATA_DRIVEN + WINSORISED)
def test_numeric_methods_do_not_use_the_closed_form(name: str) -> None:
    assert not has_closed_form(variant(name))


@settings(max_examples=40, deadline=None)
@given(values, st.sampled_from(CLOSED + NUMERIC))
def test_reported_gap_selects_and_99_percent_of_it_does_not(v, name) -> None:
    check_variant(v, name)


@settings(max_examples=40, deadline=None)
@given(values, st.sampled_from(DATA_DRIVEN))
def test_gap_property_with_data_driven_weights(v, name) -> None:
    check_variant(v, name)


@settings(max_examples=40, deadline=None)
@given(values, st.sampled_from(WINSORISED))
def test_gap_property_with_winsorising(v, name) -> None:
    check_variant(v, name)


def check_variant(v: np.ndarray, name: str) -> None:
    scheme = variant(name)
    if name.endswith("reweight"):
        v = v.copy()
        v[1, 2] = np.nan
    data = Dataset(tuple(f"u{i}" for i in range(UNITS)), GROUPS, v)
    check_gaps(scheme, data)


@pytest.mark.parametrize("name", CLOSED + NUMERIC + DATA_DRIVEN + WINSORISED)
def test_gap_property_on_a_larger_random_race(name: str) -> None:
    rng = np.random.default_rng(len(name))
    n = 40
    v = rng.lognormal(2.0, 0.6, size=(n, 3))
    groups = ("city",) * 20 + ("county",) * 20
    data = Dataset(tuple(f"u{i}" for i in range(n)), groups, v)
    assert check_gaps(variant(name), data) > 0


def test_closed_form_when_the_unit_is_the_minimum_and_bounds_move() -> None:
    # docs/engine.md: A needs +12.5, not +10, because C becomes the minimum.
    z = np.array([10.0, 20.0, 15.0])
    c = np.array([0.0, 25.0, 12.5])
    b = np.full(3, 75.0)
    assert exact_gaps(z, c, b, np.array([0]), np.array([0, 1, 2]), 1).tolist() == [12.5]


def test_closed_form_when_the_unit_passes_the_maximum() -> None:
    # n_i = 1 above the others' maximum; the leader's n shrinks as the scale stretches.
    z = np.array([0.0, 10.0, 5.0])
    c = np.array([0.0, 60.0, 10.0])
    b = np.full(3, 50.0)
    # above 10 the unit scores 60, the leader 60 + 50 · 10/x > 60: a tie only at infinity.
    assert np.isnan(exact_gaps(z, c, b, np.array([2]), np.array([0, 1, 2]), 1)[0])
    c = np.array([0.0, 40.0, 10.0])
    # unit scores 60 above 10; leader 40 + 50 · 10/x = 60 at x = 25.
    assert exact_gaps(z, c, b, np.array([2]), np.array([0, 1, 2]), 1).tolist() == [20.0]


@pytest.mark.parametrize("name", ["entropy", "topsis"])
def test_gaps_hold_in_a_group_larger_than_the_search_short_list(name: str) -> None:
    """The search scores the quota + 48 leading rivals, then re-checks against the whole group."""
    rng = np.random.default_rng(11)
    n = 90  # one group of 70 with quota 2: 70 > 2 + 1 + 48
    v = rng.lognormal(2.0, 0.6, size=(n, 3))
    groups = ("city",) * 70 + ("county",) * 20
    data = Dataset(tuple(f"u{i}" for i in range(n)), groups, v)
    scheme = variant(name)
    scheme = replace(scheme, groups=(replace(scheme.groups[0], quota=2), scheme.groups[1]))
    assert check_gaps(scheme, data) > 100
