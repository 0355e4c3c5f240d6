"""Progress rules as data: defaults, errors that name the key, round trips, the place presets."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from saima.engine import SchemeError
from saima.engine.progress import (
    PRESETS,
    Light,
    ProgressRules,
    ProjectMonths,
    Reason,
    compute_lights,
    load_rules,
    preset,
    rate_quarter,
    rules_digest,
    rules_from_dict,
    rules_to_dict,
    rules_to_toml,
)


def test_absent_tables_take_the_published_defaults() -> None:
    rules = load_rules('name = "x"')
    assert (rules.version, rules.lights.yellow_from, rules.lights.red_above) == (1, 10.0, 30.0)
    assert rules.lights.start.at_least_yellow and rules.lights.start.red_after_months is None
    assert rules.ratings.red_flag_share == 0.1 and rules.ratings.snail_red_months == 2
    assert rules.incentives.fund_cap is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("version = 1", "name: a non-empty string is required"),
        ('name = "x"\nversion = 0', "version: must be a whole number >= 1, not 0"),
        ('name = "x"\n[lights]\nyellow_from = 40', "lights.red_above: must be at least"),
        ('name = "x"\n[lights]\ncadence = "week"', "lights.cadence: 'week' is not one of"),
        ('name = "x"\n[lights]\ncolour = 1', "lights: unknown key 'colour'"),
        ('name = "x"\n[lights.start]\nred_after_months = -1', "lights.start.red_after_months"),
        ('name = "x"\n[lights.start]\nat_least_yellow = 1', "lights.start.at_least_yellow"),
        ('name = "x"\n[ratings]\nred_flag_count = 3\nred_flag_share = 0.1', "not both"),
        ('name = "x"\n[ratings]\nred_flag_share = 1.5', "ratings.red_flag_share"),
        ('name = "x"\n[ratings]\nsnail_red_months = 4', "ratings.snail_red_months"),
        ('name = "x"\n[ratings.weights]\nschedule = -1', "ratings.weights"),
        ('name = "x"\n[cards]\nclear_months = 0', "cards.clear_months"),
        ('name = "x"\n[incentives]\nfund_per_snail = -1.5', "incentives.fund_per_snail: must be"),
        ('name = "x"\n[incentives]\nfund_cap = "abc"', "incentives.fund_cap: 'abc' is not"),
        ('name = "x"\n[incentives]\nland_cap = "-5"', "incentives.land_cap: must be >= 0"),
        ("name = ", "not valid TOML"),
    ],
)
def test_bad_rules_are_refused_naming_the_key(text: str, message: str) -> None:
    with pytest.raises(SchemeError, match=message.replace("(", r"\(").replace(".", r"\.")):
        load_rules(text)


def test_money_is_exact_decimal_from_text_or_integer() -> None:
    rules = rules_from_dict(
        {"name": "x", "incentives": {"fund_per_red_flag": "0.1", "land_per_snail": -3}}
    )
    assert rules.incentives.fund_per_red_flag == Decimal("0.1")
    assert rules.incentives.land_per_snail == Decimal("-3")


def test_unknown_top_level_keys_are_carried_through_a_round_trip() -> None:
    rules = load_rules('name = "x"\n[fund_payment]\nmonthly = true')
    assert rules.extra == {"fund_payment": {"monthly": True}}
    assert load_rules(rules_to_toml(rules)) == rules
    assert rules_to_dict(rules)["fund_payment"] == {"monthly": True}


def test_the_digest_changes_with_any_rule_and_not_with_key_order() -> None:
    base = load_rules('name = "x"\n[lights]\nyellow_from = 10\nred_above = 30')
    same = load_rules('name = "x"\n[lights]\nred_above = 30\nyellow_from = 10')
    assert rules_digest(base) == rules_digest(same)
    assert rules_digest(base) != rules_digest(load_rules('name = "x"\nversion = 2'))
    assert rules_digest(base) != rules_digest(
        load_rules('name = "x"\n[incentives]\nfund_cap = "1"')
    )


@pytest.mark.parametrize("code", sorted(PRESETS))
def test_every_preset_loads_and_round_trips(code: str) -> None:
    rules = preset(code)
    assert isinstance(rules, ProgressRules) and rules.description
    assert load_rules(rules_to_toml(rules)) == rules


def months(actual: list[list[float]], **kw: object) -> ProjectMonths:
    n = len(actual[0])
    return ProjectMonths.build(
        planned_monthly=[[10.0] * n] * len(actual),
        actual_cumulative=actual,
        physical_progress=[[50.0] * n] * len(actual),
        reported=[[True] * n] * len(actual),
        **kw,  # type: ignore[arg-type]
    )


def test_yinchuan_a_slipped_start_is_yellow_then_red_after_three_months() -> None:
    on_plan = [[10.0 * (i + 1) for i in range(6)]]
    m = months(on_plan, planned_start=[1.0], actual_start=[np.nan])
    lights = compute_lights(m, preset("yinchuan").lights)
    assert lights.light[0].tolist() == [0, 1, 1, 1, 2, 2]
    assert lights.reasons[0, 4] & Reason.START_OVERDUE_RED
    default = compute_lights(m, preset("default").lights)
    assert default.light[0].tolist() == [0, 1, 1, 1, 1, 1]


def test_yinchuan_thresholds_yellow_from_10_red_over_30_points() -> None:
    # planned share after month 1 (of 2): 50 %; actual 40, 20, 19 of 20 planned → lag 10, 30, 32.5
    m = ProjectMonths.build(
        planned_monthly=[[10.0, 10.0]] * 3,
        actual_cumulative=[[8.0, 20.0], [4.0, 20.0], [3.5, 20.0]],
        physical_progress=[[1.0, 1.0]] * 3,
        reported=[[True, True]] * 3,
    )
    lights = compute_lights(m, preset("yinchuan").lights)
    assert lights.light[:, 0].tolist() == [Light.YELLOW, Light.YELLOW, Light.RED]


def test_songyang_a_missed_month_is_yellow_a_missed_quarter_red_and_a_snail() -> None:
    behind = [[9.0, 19.0, 29.0]]
    m = months(behind)
    rules = preset("songyang")
    lights = compute_lights(m, rules.lights)
    assert lights.light[0].tolist() == [1, 1, 2]
    assert lights.reasons[0, 1] & Reason.QUARTER_CAPPED
    ratings = rate_quarter(m, lights, rules.ratings, quarter=0)
    assert ratings.snail.tolist() == [True]
    on_target = compute_lights(months([[10.0, 20.0, 30.0]]), rules.lights)
    assert on_target.light[0].tolist() == [0, 0, 0]


def test_mianyang_names_every_project_30_percent_above_target_and_exempts_force_majeure() -> None:
    rules = preset("mianyang")
    m = months(
        [[13.0, 26.0, 39.0], [12.0, 24.0, 36.0], [10.0, 20.0, 30.0], [10.0, 20.0, 30.0]],
        planned_start=[np.nan, np.nan, 0.0, 0.0],
        actual_start=[np.nan, np.nan, np.nan, np.nan],
        exempt=[[False] * 3] * 3 + [[True] * 3],
    )
    ratings = rate_quarter(m, compute_lights(m, rules.lights), rules.ratings, quarter=0)
    assert ratings.red_flag.tolist() == [True, False, False, False]
    assert ratings.snail.tolist() == [False, False, True, False]


def test_ouhai_keeps_a_recovered_month_yellow_where_the_default_shows_green() -> None:
    m = months([[5.0, 20.0, 30.0]])
    ouhai = compute_lights(m, preset("ouhai").lights)
    assert ouhai.light[0].tolist() == [1, 1, 0]
    assert ouhai.reasons[0, 1] & Reason.RECOVERED_KEPT
    assert compute_lights(m, preset("default").lights).light[0].tolist() == [1, 0, 0]
