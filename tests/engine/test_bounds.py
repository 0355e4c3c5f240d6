"""Indicator bounds (取值范围): `min`, `max`, `integer` in the scheme, the shared value check,
and a gap search that never proposes an impossible value."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from saima.engine import (
    Dataset,
    Scheme,
    SchemeError,
    Violation,
    data_errors,
    load_scheme,
    rank,
    scheme_to_dict,
    scheme_to_toml,
    value_violations,
)
from saima.engine.digest import canonical_json

from .conftest import SCHEME, make_data, make_scheme

BOUNDED = """
name = "bounds"
[[groups]]
code = "g"
quota = 1
[[sections]]
code = "s"
[[indicators]]
code = "share"
section = "s"
direction = "higher"
weight = 1
min = 0
max = 100
[[indicators]]
code = "count"
section = "s"
direction = "higher"
weight = 1
min = 0
integer = true
[[indicators]]
code = "growth"
section = "s"
direction = "higher"
weight = 1
"""


def bounded() -> Scheme:
    return load_scheme(BOUNDED)


def with_bounds(scheme: Scheme, code: str, **bounds: object) -> Scheme:
    indicators = tuple(
        replace(i, **bounds) if i.code == code else i  # type: ignore[arg-type]
        for i in scheme.indicators
    )
    return replace(scheme, indicators=indicators)


def test_bounds_are_read_and_written_back() -> None:
    scheme = bounded()
    share, count, growth = scheme.indicators
    assert (share.min, share.max, share.integer) == (0.0, 100.0, False)
    assert (count.min, count.max, count.integer) == (0.0, None, True)
    assert (growth.min, growth.max, growth.integer) == (None, None, False)
    text = scheme_to_toml(scheme)
    assert "integer = true" in text and "max = 100.0" in text and "min = 0\n" in text
    assert load_scheme(text) == scheme


def test_a_scheme_without_bounds_keeps_its_dict_and_so_its_digest() -> None:
    scheme = make_scheme()
    doc = scheme_to_dict(scheme)
    assert all(not {"min", "max", "integer"} & set(i) for i in doc["indicators"])
    bounded_scheme = with_bounds(scheme, "fai", min=0.0)
    assert canonical_json(scheme_to_dict(bounded_scheme)) != canonical_json(doc)


@pytest.mark.parametrize(
    ("keys", "message"),
    [
        ("min = 5\nmax = 1", "indicator 'fai': min 5 is above max 1"),
        ('min = "0"', "indicator 'fai': min: must be a number"),
        ("max = inf", "indicator 'fai': max: must be finite"),
        ('integer = "yes"', "indicator 'fai': integer must be true or false"),
        ("integer = true\nmin = 0.5", "indicator 'fai': min must be a whole number"),
        ("integer = true\nmax = 9.5", "indicator 'fai': max must be a whole number"),
    ],
)
def test_bad_bounds_are_refused_naming_the_indicator_and_key(keys: str, message: str) -> None:
    text = SCHEME.format(
        normalise="minmax",
        scope="group",
        weighting="fixed",
        aggregate="arithmetic",
        missing="reject",
    ).replace("weight = 0.5\n", f"weight = 0.5\n{keys}\n", 1)
    with pytest.raises(SchemeError) as caught:
        load_scheme(text)
    assert message in str(caught.value)


def test_value_violations_give_reason_codes_and_numbers() -> None:
    scheme = bounded()
    assert value_violations(scheme, "count", -2.0) == (Violation("below_min", -2.0, 0.0),)
    assert value_violations(scheme, "count", 2.5) == (Violation("not_integer", 2.5),)
    assert value_violations(scheme, "count", -0.5) == (
        Violation("below_min", -0.5, 0.0),
        Violation("not_integer", -0.5),
    )
    assert value_violations(scheme, "share", 100.5) == (Violation("above_max", 100.5, 100.0),)
    assert value_violations(scheme, "share", float("inf")) == (
        Violation("not_finite", float("inf")),
    )
    assert value_violations(scheme, "share", 100.0) == ()
    assert value_violations(scheme, "growth", -1e9) == ()
    assert value_violations(scheme, "share", float("nan")) == ()
    with pytest.raises(KeyError):
        value_violations(scheme, "nope", 1.0)


def test_rank_refuses_values_outside_their_bounds_by_row_and_column() -> None:
    data = Dataset(("a", "b"), ("g", "g"), np.array([[50.0, -2.0, 1.0], [120.0, 3.0, 2.0]]))
    errors = [str(e) for e in data_errors(bounded(), data)]
    assert errors == [
        "Row 1, column 'count': value -2 is below the minimum 0.",
        "Row 2, column 'share': value 120 is above the maximum 100.",
    ]


def leader_race(count_sign: float = 1.0) -> Dataset:
    """One group, quota 1: b leads; a needs its share from 73.9 to 184.4 (unbounded) or its
    count from 4 to 14.28 (15 when whole)."""
    return Dataset(
        ("a", "b", "c"),
        ("g",) * 3,
        np.array([[73.9, 4.0, 8.0], [80.0, 9.0, 9.0], [60.0, 2.0, 1.0]]) * [1, count_sign, 1],
    )


def test_a_gap_beyond_the_maximum_is_out_of_reach() -> None:
    data = leader_race()
    unbounded = with_bounds(bounded(), "share", max=None)
    free = rank(unbounded, data, explain=True)
    assert free.gaps is not None and free.gaps["share"][0] > 100 - 73.9  # 73.9 → 184.4
    result = rank(bounded(), data, explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    assert np.isnan(result.gaps["share"][0])
    assert result.gap_kinds["share"][0] == "out_of_reach"


def test_a_gap_ending_exactly_on_the_maximum_is_kept() -> None:
    scheme = with_bounds(bounded(), "share", max=None)
    data = leader_race()
    needed = float(rank(scheme, data, explain=True).gaps["share"][0])  # type: ignore[index]
    at_bound = with_bounds(bounded(), "share", max=73.9 + needed)
    result = rank(at_bound, data, explain=True)
    assert result.gap_kinds is not None and result.gap_kinds["share"][0] == "change"
    assert result.gaps is not None
    assert 73.9 + float(result.gaps["share"][0]) <= 73.9 + needed


def test_an_integer_indicator_gets_the_smallest_whole_value_that_enters() -> None:
    scheme = with_bounds(bounded(), "count", integer=False)
    data = leader_race()
    real = float(rank(scheme, data, explain=True).gaps["count"][0])  # type: ignore[index]
    assert not real.is_integer()
    result = rank(bounded(), data, explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    whole = float(result.gaps["count"][0])
    assert whole == np.ceil(1.0 + real) - 1.0 and result.gap_kinds["count"][0] == "change"
    moved = data.values.copy()
    moved[0, 1] += whole
    assert rank(bounded(), Dataset(data.units, data.groups, moved)).selected[0]
    moved[0, 1] -= 1
    assert not rank(bounded(), Dataset(data.units, data.groups, moved)).selected[0]


def test_a_lower_integer_indicator_rounds_down() -> None:
    scheme = with_bounds(bounded(), "count", direction="lower", min=None)
    result = rank(scheme, leader_race(count_sign=-1.0), explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    assert float(result.gaps["count"][0]) == -11.0  # -4 → -15, the mirror of 4 → 15
    assert result.gap_kinds["count"][0] == "change"


@pytest.mark.parametrize("direction", ["higher", "lower"])
def test_a_constant_column_needs_any_change_not_a_tiny_number(direction: str) -> None:
    scheme = make_scheme()
    scheme = with_bounds(scheme, "delay", direction=direction)
    values = make_data().values.copy()
    values[:, 2] = 7.0  # every unit reports the same delay
    data = replace(make_data(), values=values)
    result = rank(scheme, data, explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    kinds = result.gap_kinds["delay"][~result.selected]
    anything = kinds == ("any_increase" if direction == "higher" else "any_decrease")
    assert anything.sum() >= 1 and set(kinds[~anything].tolist()) <= {"out_of_reach"}
    assert (result.gaps["delay"][~result.selected][anything] == 0.0).all()


def test_any_change_on_an_integer_indicator_is_one_whole_step() -> None:
    scheme = with_bounds(make_scheme(), "delay", integer=True, min=0.0)
    values = make_data().values.copy()
    values[:, 2] = 7.0
    result = rank(scheme, replace(make_data(), values=values), explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    changed = result.gap_kinds["delay"] == "change"
    assert changed.sum() >= 1 and set(result.gaps["delay"][changed].tolist()) == {-1.0}
    assert "any_decrease" not in result.gap_kinds["delay"]


def test_any_decrease_at_the_minimum_is_out_of_reach() -> None:
    scheme = with_bounds(make_scheme(), "delay", min=7.0)
    values = make_data().values.copy()
    values[:, 2] = 7.0
    result = rank(scheme, replace(make_data(), values=values), explain=True)
    assert result.gap_kinds is not None
    assert set(result.gap_kinds["delay"][~result.selected].tolist()) == {"out_of_reach"}
    assert np.isnan(result.gaps["delay"][~result.selected]).all()  # type: ignore[index]


def test_a_gap_below_display_precision_keeps_its_exact_value() -> None:
    scheme = load_scheme(BOUNDED.replace("min = 0\nmax = 100\n", "", 1))
    data = Dataset(
        ("a", "b", "c"), ("g",) * 3, np.array([[12.8, 5.0, 5.0], [12.803, 5.0, 5.0], [1.0, 1, 1]])
    )
    result = rank(scheme, data, explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    assert result.gap_kinds["share"][0] == "change"
    assert result.gaps["share"][0] == pytest.approx(0.003, rel=1e-6)
    assert result.to_rows()[0]["gap:share"] == pytest.approx(0.003, rel=1e-6)


def test_kinds_of_selected_and_missing_cells() -> None:
    scheme = replace(bounded(), method=replace(bounded().method, missing="reweight"))
    data = leader_race()
    values = data.values.copy()
    values[2, 2] = np.nan
    result = rank(scheme, replace(data, values=values), explain=True)
    assert result.gap_kinds is not None
    assert result.gap_kinds["share"][1] == "selected"
    assert result.gap_kinds["growth"][2] == "missing"


def test_a_tiny_change_that_is_not_any_change_is_stated_exactly() -> None:
    scheme = load_scheme(BOUNDED.replace("min = 0\nmax = 100\n", "", 1))
    data = Dataset(
        ("a", "b", "c"),
        ("g",) * 3,
        np.array([[12.8, 5.0, 5.0], [12.80000001, 5.0, 5.0], [1.0, 1, 1]]),
    )
    result = rank(scheme, data, explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    assert result.gap_kinds["share"][0] == "change"
    assert result.gaps["share"][0] == pytest.approx(1e-8, rel=1e-3)


def test_a_gap_passing_the_maximum_by_float_noise_stops_at_the_maximum() -> None:
    data = leader_race()
    free = rank(with_bounds(bounded(), "share", max=None), data, explain=True)
    target = 73.9 + float(free.gaps["share"][0])  # type: ignore[index]
    bound = target - 1e-12 * target  # the scores then differ by less than the ranking sees
    result = rank(with_bounds(bounded(), "share", max=bound), data, explain=True)
    assert result.gaps is not None and result.gap_kinds is not None
    assert result.gap_kinds["share"][0] == "change"
    assert 73.9 + float(result.gaps["share"][0]) == bound


def test_an_integer_gap_past_the_maximum_is_out_of_reach() -> None:
    result = rank(with_bounds(bounded(), "count", max=14.0), leader_race(), explain=True)
    assert result.gap_kinds is not None and result.gap_kinds["count"][0] == "out_of_reach"
    assert np.isnan(result.gaps["count"][0])  # type: ignore[index]
