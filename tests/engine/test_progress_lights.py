"""Monthly lights: bands, grey, milestones, escalation, recovery, exemptions, SPI, bad input."""

from __future__ import annotations

import numpy as np
import pytest

from saima.engine import DataError
from saima.engine.progress import (
    Light,
    LightRules,
    MilestoneRule,
    ProjectMonths,
    Reason,
    compute_lights,
    explain_light,
)


def one_project(actual: list[float], **kw: object) -> ProjectMonths:
    """A plan of 100 spread evenly over len(actual) months (so actual figures are shares in %),
    physical progress 50 %, every month reported."""
    n = len(actual)
    fields: dict[str, object] = {
        "planned_monthly": [[100.0 / n] * n],
        "actual_cumulative": [actual],
        "physical_progress": [[50.0] * n],
        "reported": [[True] * n],
    }
    fields.update(kw)
    return ProjectMonths.build(**fields)  # type: ignore[arg-type]


def behind_by(lags: list[float], **kw: object) -> ProjectMonths:
    """One project whose lag in month m is lags[m] points."""
    n = len(lags)
    planned = [100.0 * (m + 1) / n for m in range(n)]
    return one_project([max(p - lag, 0.0) for p, lag in zip(planned, lags, strict=True)], **kw)


def lights_behind(lags: list[float], rules: LightRules | None = None, **kw: object) -> list[int]:
    return compute_lights(behind_by(lags, **kw), rules or LightRules()).light[0].tolist()


@pytest.mark.parametrize(
    ("actual", "lag", "light"),
    [
        (41.0, 9.0, Light.GREEN),
        (40.0, 10.0, Light.YELLOW),
        (20.0, 30.0, Light.YELLOW),
        (19.0, 31.0, Light.RED),
        (50.0, 0.0, Light.GREEN),
        (60.0, -10.0, Light.GREEN),
    ],
)
def test_the_lag_bands_are_yellow_from_10_to_30_points_and_red_above(
    actual: float, lag: float, light: Light
) -> None:
    lights = compute_lights(one_project([actual, 100.0]), LightRules())
    assert lights.lag[0, 0] == pytest.approx(lag)
    assert lights.light[0, 0] == light


def test_a_month_without_a_report_is_grey_and_says_so() -> None:
    m = behind_by([0, 0], reported=[[False, True]])
    lights = compute_lights(m, LightRules())
    assert lights.light[0].tolist() == [Light.GREY, Light.GREEN]
    assert explain_light(int(lights.reasons[0, 0])) == ("not_reported",)
    assert np.isnan(lights.lag[0, 0]) and np.isnan(lights.spi[0, 0])


def test_an_overdue_completion_makes_the_light_at_least_yellow_unless_the_rule_says_not() -> None:
    kw = {"planned_completion": [1.0], "actual_completion": [np.nan]}
    assert lights_behind([0, 0, 0], **kw) == [0, 1, 1]
    relaxed = LightRules(completion=MilestoneRule(at_least_yellow=False))
    m = behind_by([0, 0, 0], **kw)
    lights = compute_lights(m, relaxed)
    assert lights.light[0].tolist() == [0, 0, 0]
    assert lights.reasons[0, 1] & Reason.COMPLETION_OVERDUE
    assert lights.completion_overdue[0].tolist() == [0, 1, 2]


def test_a_milestone_reached_on_time_is_never_overdue() -> None:
    kw = {"planned_start": [1.0], "actual_start": [1.0]}
    assert lights_behind([0, 0, 0], **kw) == [0, 0, 0]


def test_consecutive_misses_escalate_to_red_and_a_green_month_resets_the_count() -> None:
    rules = LightRules(misses_to_red=3)
    lights = compute_lights(behind_by([15, 15, 15, 0, 15, 15, 15]), rules)
    assert lights.light[0].tolist() == [1, 1, 2, 0, 1, 1, 2]
    assert explain_light(int(lights.reasons[0, 2])) == ("escalated", "lag_yellow")


def test_an_unreported_month_counts_as_a_miss_unless_the_rule_says_not() -> None:
    lags = [15.0, 15.0, 15.0]
    seen = [[True, False, True]]
    escalating = LightRules(misses_to_red=3)
    assert lights_behind(lags, escalating, reported=seen) == [1, Light.GREY, 2]
    lenient = LightRules(misses_to_red=3, unreported_is_miss=False)
    assert lights_behind(lags, lenient, reported=seen) == [1, Light.GREY, 1]


def test_an_exempt_month_is_green_keeps_its_reasons_and_breaks_the_run() -> None:
    rules = LightRules(misses_to_red=2)
    exempt = [[False, True, False, False]]
    lights = compute_lights(behind_by([15, 15, 15, 15], exempt=exempt), rules)
    assert lights.light[0].tolist() == [1, 0, 1, 2]
    assert explain_light(int(lights.reasons[0, 1])) == ("exempt", "lag_yellow")


def test_a_kept_recovery_lasts_the_rule_months_and_does_not_feed_itself() -> None:
    rules = LightRules(keep_recovered_months=2)
    assert lights_behind([15, 0, 0, 0, 0], rules) == [1, 1, 1, 0, 0]


def test_quarter_cadence_holds_red_back_to_quarter_ends() -> None:
    rules = LightRules(cadence="quarter")
    lights = compute_lights(one_project([0.0] * 6), rules)  # lag 16.7, 33.3, 50, ... 100
    assert lights.light[0].tolist() == [1, 1, 2, 1, 1, 2]
    assert lights.reasons[0, 1] & Reason.QUARTER_CAPPED
    assert not lights.reasons[0, 0] & Reason.QUARTER_CAPPED  # 16.7 points: yellow anyway
    assert not lights.reasons[0, 2] & Reason.QUARTER_CAPPED


def test_spi_compares_physical_progress_with_planned_percent_complete() -> None:
    m = ProjectMonths.build(
        planned_monthly=[[100.0, 100.0], [0.0, 0.0]],
        actual_cumulative=[[100.0, 200.0], [0.0, 0.0]],
        physical_progress=[[10.0, 30.0], [50.0, 50.0]],
        reported=[[True, True]] * 2,
        budget=[1000.0, 0.0],
    )
    lights = compute_lights(m, LightRules())
    assert lights.spi[0].tolist() == pytest.approx([1.0, 1.5])
    assert np.isnan(lights.spi[1]).all()  # no budget: no planned value
    assert lights.lag[1].tolist() == [0.0, 0.0]  # nothing planned this year: never behind


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"physical_progress": [[50.0, 101.0]]},
            "Row 1, column 'physical_progress[2]': must be <= 100",
        ),
        (
            {"actual_cumulative": [[np.nan, 1.0]]},
            "Row 1, column 'actual_cumulative[1]': is not a finite",
        ),
        ({"planned_monthly": [[-1.0, 1.0]]}, "Row 1, column 'planned_monthly[1]': must be >= 0"),
        ({"reported": [[True]]}, "Column 'reported': shape"),
        ({"planned_start": [1.0, 2.0]}, "Column 'planned_start': needs one value per project"),
        ({"budget": [np.nan]}, "Row 1, column 'budget': is not finite"),
        ({"planned_start": [1.5]}, "Row 1, column 'planned_start': must be a whole month index"),
    ],
)
def test_bad_figures_are_refused_naming_row_and_column(
    change: dict[str, object], message: str
) -> None:
    with pytest.raises(DataError) as caught:
        one_project([1.0, 2.0], **change)
    assert str(caught.value).startswith(message)


def test_values_of_unreported_months_are_ignored_even_when_garbage() -> None:
    m = one_project([np.nan, 100.0], reported=[[False, True]], physical_progress=[[500.0, 50.0]])
    assert compute_lights(m, LightRules()).light[0].tolist() == [Light.GREY, Light.GREEN]


def test_an_exempt_month_without_a_report_stays_grey_and_names_both() -> None:
    m = behind_by([50, 50], reported=[[False, True]], exempt=[[True, True]])
    lights = compute_lights(m, LightRules())
    assert lights.light[0].tolist() == [Light.GREY, Light.GREEN]
    assert explain_light(int(lights.reasons[0, 0])) == ("not_reported", "exempt")
