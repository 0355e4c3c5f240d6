"""Hypothesis invariants of the progress engine: monotone lights, permutation, exemptions."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from saima.engine.progress import (
    Light,
    LightRules,
    MilestoneRule,
    ProjectMonths,
    RatingRules,
    compute_lights,
    rate_quarter,
)

P, M = 6, 6
amounts = st.floats(0.0, 100.0, allow_nan=False, width=32)
plan = arrays(np.float64, (P, M), elements=amounts)
actual = arrays(np.float64, (P, M), elements=st.floats(0.0, 600.0, allow_nan=False, width=32))
shortfall = arrays(np.float64, (P, M), elements=st.floats(0.0, 300.0, allow_nan=False, width=32))
masks = arrays(np.bool_, (P, M))
months_or_none = arrays(
    np.float64, (P,), elements=st.one_of(st.just(np.nan), st.integers(-2, M).map(float))
)


@st.composite
def light_rules(draw: st.DrawFn) -> LightRules:
    yellow = draw(st.floats(0.0, 40.0))
    return LightRules(
        yellow_from=yellow,
        red_above=yellow + draw(st.floats(0.0, 40.0)),
        cadence=draw(st.sampled_from(["month", "quarter"])),
        misses_to_red=draw(st.one_of(st.none(), st.integers(1, 4))),
        keep_recovered_months=draw(st.integers(0, 3)),
        unreported_is_miss=draw(st.booleans()),
        start=MilestoneRule(draw(st.booleans()), draw(st.one_of(st.none(), st.integers(0, 3)))),
        completion=MilestoneRule(draw(st.booleans()), None),
    )


def build(actual_cum: np.ndarray, **kw: Any) -> ProjectMonths:
    fields: dict[str, Any] = {
        "physical_progress": np.full((P, M), 50.0),
        "reported": np.ones((P, M), dtype=bool),
        "actual_cumulative": actual_cum,
    }
    fields.update(kw)
    return ProjectMonths.build(**fields)


@settings(max_examples=80, deadline=None)
@given(plan, actual, shortfall, masks, masks, months_or_none, months_or_none, light_rules())
def test_a_project_further_behind_never_gets_a_better_light(
    planned, actual_cum, less, reported, exempt, start, started, rules
) -> None:
    common = {
        "planned_monthly": planned,
        "reported": reported,
        "exempt": exempt,
        "planned_start": start,
        "actual_start": started,
    }
    ahead = compute_lights(build(actual_cum, **common), rules)
    behind = compute_lights(build(np.maximum(actual_cum - less, 0.0), **common), rules)
    judged = ahead.light != Light.GREY
    assert (behind.light[judged] >= ahead.light[judged]).all()
    assert ((behind.light == Light.GREY) == ~reported).all()


@settings(max_examples=60, deadline=None)
@given(
    plan, actual, masks, months_or_none, months_or_none, light_rules(), st.permutations(range(P))
)
def test_permuting_projects_permutes_lights_and_ratings(
    planned, actual_cum, reported, start, started, rules, order
) -> None:
    idx = np.array(order)
    ratings = RatingRules(red_flag_count=2, snail_on_quarter_miss=True)

    def run(rows: np.ndarray) -> tuple[Any, Any]:
        months = build(
            actual_cum[rows],
            planned_monthly=planned[rows],
            reported=reported[rows],
            planned_start=start[rows],
            actual_start=started[rows],
        )
        lights = compute_lights(months, rules)
        return lights, rate_quarter(months, lights, ratings, quarter=1)

    lights, rated = run(np.arange(P))
    p_lights, p_rated = run(idx)
    assert (p_lights.light == lights.light[idx]).all()
    assert (p_lights.reasons == lights.reasons[idx]).all()
    np.testing.assert_array_equal(p_lights.lag, lights.lag[idx])
    for name in ("composite", "red_flag", "snail", "snail_reasons", "rank", "ineligible"):
        np.testing.assert_array_equal(getattr(p_rated, name), getattr(rated, name)[idx])


@settings(max_examples=60, deadline=None)
@given(plan, actual, masks, masks, months_or_none, light_rules())
def test_exempt_months_are_never_red(planned, actual_cum, reported, exempt, start, rules) -> None:
    months = build(
        actual_cum, planned_monthly=planned, reported=reported, exempt=exempt, planned_start=start
    )
    lights = compute_lights(months, rules)
    assert not (lights.light[exempt] == Light.RED).any()
    assert set(np.unique(lights.light).tolist()) <= {0, 1, 2, 3}


@settings(max_examples=60, deadline=None)
@given(
    plan,
    actual,
    months_or_none,
    months_or_none,
    arrays(np.int64, (P,), elements=st.integers(0, 4)),
    light_rules(),
)
def test_a_later_start_never_gets_a_better_light(
    planned, actual_cum, start, started, delay, rules
) -> None:
    common = {"planned_monthly": planned, "planned_start": start}
    on_time = compute_lights(build(actual_cum, actual_start=started, **common), rules)
    later = compute_lights(build(actual_cum, actual_start=started + delay, **common), rules)
    never = compute_lights(build(actual_cum, actual_start=np.full(P, np.nan), **common), rules)
    assert (later.light >= on_time.light).all()
    assert (never.light >= later.light).all()
