"""Quarterly ratings: red-flag composite, eligibility, ties, snails and their reasons."""

from __future__ import annotations

import numpy as np
import pytest

from saima.engine import DataError
from saima.engine.progress import (
    Ineligible,
    LightRules,
    ProjectMonths,
    QuarterRatings,
    RatingRules,
    SnailReason,
    compute_lights,
    explain_rating,
    rate_quarter,
)


def quarter(actual_shares: list[float], rules: RatingRules, **kw: object) -> QuarterRatings:
    """Projects with a plan of 10 a month over 3 months (30 = 100 %), the given actual share at
    every month (constant ratio to plan), physical progress at the same ratio of plan (the
    project's budget is twice the year's plan, so SPI equals that ratio)."""
    n = len(actual_shares)
    ratio = np.array(actual_shares)[:, None] / 100.0
    plan_cum = np.array([[10.0, 20.0, 30.0]])
    fields: dict[str, object] = {
        "planned_monthly": [[10.0] * 3] * n,
        "actual_cumulative": ratio * plan_cum,
        "physical_progress": ratio * plan_cum / 60.0 * 100.0,
        "reported": [[True] * 3] * n,
        "budget": [60.0] * n,
    }
    fields.update(kw)
    months = ProjectMonths.build(**fields)  # type: ignore[arg-type]
    return rate_quarter(months, compute_lights(months, LightRules()), rules, quarter=0)


def test_the_composite_weighs_schedule_investment_and_milestones_each_capped() -> None:
    r = quarter([100.0, 120.0, 200.0], RatingRules(red_flag_count=1))
    assert r.composite.tolist() == pytest.approx([100.0, 116.0, 140.0])
    assert r.investment_ratio.tolist() == pytest.approx([1.0, 1.2, 2.0])
    assert r.red_flag.tolist() == [False, False, True]
    assert r.rank.tolist() == [3, 2, 1]


def test_every_project_tied_with_the_last_named_is_named_too() -> None:
    r = quarter([120.0, 120.0, 100.0], RatingRules(red_flag_count=1))
    assert r.red_flag.tolist() == [True, True, False]
    assert r.rank.tolist() == [1, 1, 3]


def test_the_share_names_the_floor_of_share_times_projects() -> None:
    r = quarter([100.0, 110.0, 120.0, 130.0], RatingRules(red_flag_share=0.5))
    assert r.red_flag.tolist() == [False, False, True, True]
    none = quarter([100.0, 110.0, 120.0], RatingRules(red_flag_share=0.3))
    assert not none.red_flag.any() and none.cut is None


def test_a_red_or_unreported_month_makes_a_project_ineligible_for_a_red_flag() -> None:
    seen = [[True] * 3, [True, False, True], [True] * 3]
    r = quarter([150.0, 150.0, 100.0], RatingRules(red_flag_count=3), reported=seen)
    assert r.red_flag.tolist() == [True, False, True]
    assert r.ineligible[1] & Ineligible.NOT_REPORTED
    behind = quarter([150.0, 50.0], RatingRules(red_flag_count=2))  # 50 %: lag 50 points, red
    assert behind.red_flag.tolist() == [True, False]
    assert behind.ineligible[1] & Ineligible.HAS_RED


def test_snails_are_red_in_two_of_three_months() -> None:
    # 60 %: lags 13.3, 26.7, 40 → one red month; 50 %: 16.7, 33.3, 50 → two red months
    r = quarter([60.0, 50.0], RatingRules())
    assert r.red_months.tolist() == [1, 2]
    assert r.snail.tolist() == [False, True]
    assert explain_rating(r, 1)[0] == "snail:red_months"


def test_an_overdue_start_or_completion_at_quarter_end_makes_a_snail() -> None:
    r = quarter(
        [100.0, 100.0, 100.0],
        RatingRules(),
        planned_start=[2.0, np.nan, 0.0],
        actual_start=[np.nan, np.nan, 0.0],
        planned_completion=[np.nan, 1.0, np.nan],
        actual_completion=[np.nan, np.nan, np.nan],
    )
    assert r.snail.tolist() == [True, True, False]
    assert r.snail_reasons.tolist() == [
        SnailReason.START_OVERDUE,
        SnailReason.COMPLETION_OVERDUE,
        0,
    ]
    assert not r.red_flag[:2].any()
    assert r.milestone_ratio.tolist() == [0.0, 0.0, 1.0]


def test_an_exempt_quarter_end_makes_no_snail_by_overdue_or_miss() -> None:
    rules = RatingRules(snail_on_quarter_miss=True)
    exempt = [[False, False, True], [False, False, False]]
    r = quarter(
        [95.0, 95.0],
        rules,
        planned_start=[0.0, 0.0],
        actual_start=[np.nan, np.nan],
        exempt=exempt,
    )
    assert r.snail.tolist() == [False, True]
    assert r.snail_reasons[1] == SnailReason.START_OVERDUE | SnailReason.QUARTER_MISSED


def test_no_report_at_quarter_end_counts_as_a_missed_quarter_when_that_rule_is_on() -> None:
    seen = [[True, True, False]]
    on = quarter([100.0], RatingRules(snail_on_quarter_miss=True), reported=seen)
    off = quarter([100.0], RatingRules(), reported=seen)
    assert (on.snail.tolist(), off.snail.tolist()) == ([True], [False])


def test_the_minimum_investment_ratio_keeps_slower_projects_off_the_red_flag_list() -> None:
    r = quarter([129.0, 131.0], RatingRules(red_flag_share=1.0, min_investment_ratio=1.3))
    assert r.red_flag.tolist() == [False, True]
    assert explain_rating(r, 0) == ("not_eligible:below_min_ratio",)
    assert explain_rating(r, 1) == ("red_flag:rank_1",)


def test_a_quarter_past_the_data_is_refused() -> None:
    months = ProjectMonths.build(
        planned_monthly=[[1.0] * 4],
        actual_cumulative=[[1.0] * 4],
        physical_progress=[[1.0] * 4],
        reported=[[True] * 4],
    )
    lights = compute_lights(months, LightRules())
    with pytest.raises(DataError, match="quarter 2 needs months 4..6, the data has 4"):
        rate_quarter(months, lights, RatingRules(), quarter=1)


def test_lights_of_other_projects_are_refused() -> None:
    one = ProjectMonths.build(
        planned_monthly=[[1.0] * 3],
        actual_cumulative=[[1.0] * 3],
        physical_progress=[[1.0] * 3],
        reported=[[True] * 3],
    )
    two = ProjectMonths.build(
        planned_monthly=[[1.0] * 3] * 2,
        actual_cumulative=[[1.0] * 3] * 2,
        physical_progress=[[1.0] * 3] * 2,
        reported=[[True] * 3] * 2,
    )
    with pytest.raises(DataError, match="Column 'lights': lights of shape"):
        rate_quarter(two, compute_lights(one, LightRules()), RatingRules(), quarter=0)
