"""Anomaly flags that explain themselves, and objections (异议) within their window."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
import time_machine
from django.utils import timezone

from saima.core.calendar import add_working_days
from saima.core.models import Notice
from saima.races.errors import RaceError
from saima.races.models import ObjectionStatus
from saima.races.objections import services as objection_services
from saima.races.reporting import anomalies
from saima.races.reporting import services as reporting
from saima.races.results import services as result_services
from saima.races.results.selectors import objection_deadline
from saima.races.schemes.selectors import parse_scheme
from tests.races.conftest import VALUES


def _flags(world, period):
    return anomalies.period_flags(period, parse_scheme(world.race.scheme_toml))


def _kinds(flags, world, name):
    return sorted((f.kind, f.indicator) for f in flags.get(world.counties[name].pk, []))


def test_robust_z_follows_the_documented_example():
    z = anomalies.robust_z(np.array([5.0, 6.0, 7.0, 8.0, 60.0]))
    assert z.round(1).tolist() == [-1.3, -0.7, 0.0, 0.7, 35.7]


def test_robust_z_is_undefined_for_small_or_flat_groups():
    assert np.isnan(anomalies.robust_z(np.array([1.0, 2.0, 90.0]))).all()
    assert np.isnan(anomalies.robust_z(np.array([3.0, 3.0, 3.0, 3.0, 9.0]))).all()


def test_a_clean_period_raises_no_flags(world):
    world.published(2026, 1)
    later = {
        name: tuple(x * (1.05 + 0.01 * i) for x in v) for i, (name, v) in enumerate(VALUES.items())
    }
    period = world.period(2026, 2)
    world.fill(period, later, verify=False)
    assert not any(
        _flags(world, period).values()
    )  # zero snail projects twice in a row is no anomaly


def test_growth_far_outside_the_group_is_flagged_with_its_numbers(world):
    world.published(2026, 1)
    later = {
        name: (v[0] * (1.05 + i * 0.01), v[1] + 1, v[2] + 0.5)
        for i, (name, v) in enumerate(VALUES.items())
    }
    later["上城区"] = (9.0 * 8, 6.0, 0.5)
    period = world.period(2026, 2)
    world.fill(period, later, verify=False)
    flags = _flags(world, period)
    growth = [f for f in flags[world.counties["上城区"].pk] if f.kind == "growth"]
    assert [f.indicator for f in growth] == ["fai"]
    assert growth[0].message.startswith("固定资产投资增速较上期变化 700%，同组中位数")
    assert "超过 ±3.5" in growth[0].message


def test_an_outlier_within_the_group_is_flagged(world):
    values = dict(VALUES)
    values["桐庐县"] = (400.0, 1.0, 3.0)
    period = world.period()
    world.fill(period, values, verify=False)
    flags = _flags(world, period)
    assert ("outlier", "fai") in _kinds(flags, world, "桐庐县")
    message = next(f.message for f in flags[world.counties["桐庐县"].pk] if f.kind == "outlier")
    assert message.startswith("固定资产投资增速为 400，同组中位数 9.5")


def _two_periods(world, first, second):
    world.published(2026, 1, first)
    period = world.period(2026, 2)
    world.fill(period, second, verify=False)
    return _flags(world, period)


def _moved(values):
    return {
        name: (v[0] + 1 + i, v[1] + 1 + i, v[2] + 1 + i)
        for i, (name, v) in enumerate(values.items())
    }


def test_a_copied_report_is_flagged_as_a_whole(world):
    later = _moved(VALUES)
    later["淳安县"] = VALUES["淳安县"]
    flags = _two_periods(world, VALUES, later)
    assert [
        (f.kind, f.indicator) for f in flags[world.counties["淳安县"].pk] if f.kind == "same"
    ] == [("same", "")]
    assert any("全部指标与上期完全相同" in f.message for f in flags[world.counties["淳安县"].pk])


def test_a_decimal_value_identical_to_last_period_is_flagged(world):
    first = dict(VALUES, 上城区=(9.37, 5.0, 0.0))
    later = _moved(first)
    later["上城区"] = (9.37, 8.0, 2.0)
    flags = _two_periods(world, first, later)
    same = [f for f in flags[world.counties["上城区"].pk] if f.kind == "same"]
    assert [(f.indicator, f.message) for f in same] == [
        ("fai", "固定资产投资增速与上期数值完全相同（9.37），请确认不是沿用旧数据")
    ]


def test_a_whole_number_repeating_is_no_anomaly(world):
    later = _moved(VALUES)
    later["上城区"] = (11.0, 5.0, 3.0)  # 5 major projects again: common, not suspicious
    flags = _two_periods(world, VALUES, later)
    assert not [f for f in flags.get(world.counties["上城区"].pk, []) if f.kind == "same"]


@pytest.mark.parametrize(
    "before_deadline, kinds",
    [(dt.timedelta(minutes=20), ["late"]), (dt.timedelta(hours=2), [])],
    ids=["in-the-last-hour", "two-hours-early"],
)
def test_only_a_submission_in_the_last_hour_is_flagged_as_late(world, before_deadline, kinds):
    period = world.period(days=1)
    with time_machine.travel(period.deadline - before_deadline):
        reporting.report_save(
            actor=world.users["reporter"],
            report=world.report(period, "上城区"),
            values={"fai": 9.0, "projects": 5.0, "snails": 0.0},
            submit=True,
        )
    flags = _flags(world, period).get(world.counties["上城区"].pk, [])
    assert [f.kind for f in flags] == kinds
    assert all(f.message.startswith("在截止前最后一小时内报送") for f in flags)


# ---------------------------------------------------------------- objections


def test_the_window_counts_working_days(db):
    friday = timezone.make_aware(dt.datetime(2026, 11, 27, 10, 0))
    end = add_working_days(friday, 5)
    assert timezone.localtime(end).date() == dt.date(2026, 12, 4)


def test_an_objection_within_the_window_is_recorded(world):
    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"],
        result=result,
        unit=world.counties["上城区"],
        reasons="重大项目数漏报 1 个",
    )
    assert objection.status == ObjectionStatus.PENDING


def test_an_objection_after_the_window_is_refused(world):
    result = world.published()
    late = objection_deadline(result) + dt.timedelta(seconds=1)
    with pytest.raises(RaceError, match="异议期已于"):
        objection_services.objection_submit(
            actor=world.users["reporter"],
            result=result,
            unit=world.counties["上城区"],
            reasons="迟到的异议",
            now=late,
        )


def test_the_window_is_configurable_per_race(world):
    world.race.objection_window_days = 1
    world.race.save()
    result = world.published()
    friday = timezone.make_aware(dt.datetime(2026, 11, 27, 10, 0))
    result.published_at = friday
    assert timezone.localtime(objection_deadline(result)).date() == dt.date(2026, 11, 30)


def test_an_objection_needs_reasons(world):
    result = world.published()
    with pytest.raises(RaceError, match="请写明异议理由"):
        objection_services.objection_submit(
            actor=world.users["reporter"],
            result=result,
            unit=world.counties["上城区"],
            reasons="  ",
        )


def test_a_rejected_objection_stays_on_record_with_its_answer(world):
    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"],
        result=result,
        unit=world.counties["上城区"],
        reasons="排名不公",
    )
    with pytest.raises(RaceError, match="请填写书面答复"):
        objection_services.objection_answer(
            actor=world.users["organiser"], objection=objection, upheld=False, answer=""
        )
    objection_services.objection_answer(
        actor=world.users["organiser"],
        objection=objection,
        upheld=False,
        answer="经核实，数据无误，异议不成立。",
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.REJECTED and objection.answer.startswith("经核实")
    assert Notice.objects.filter(user=world.users["reporter"], title__contains="不成立").exists()
    with pytest.raises(RaceError, match="该异议已经答复"):
        objection_services.objection_answer(
            actor=world.users["organiser"], objection=objection, upheld=True, answer="改判"
        )


def test_an_upheld_objection_links_the_corrected_version(world):

    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"], result=result, unit=world.counties["上城区"], reasons="漏报"
    )
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(result.period, "上城区"),
        values={"projects": 9.0},
        reason="异议成立",
    )
    corrected = result_services.result_compute(
        actor=world.users["organiser"], period=result.period, reason="上城区异议成立"
    )
    result_services.result_publish(actor=world.users["organiser"], result=corrected)
    objection_services.objection_answer(
        actor=world.users["organiser"],
        objection=objection,
        upheld=True,
        answer="异议成立，已发布更正版本。",
        correction=corrected,
    )
    objection.refresh_from_db()
    assert objection.status == ObjectionStatus.UPHELD and objection.correction == corrected
    assert corrected.supersedes == result


def test_objections_against_a_superseded_version_are_refused(world):

    result = world.published()
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(result.period, "桐庐县"),
        values={"fai": 4.5},
        reason="复核更正",
    )
    corrected = result_services.result_compute(
        actor=world.users["organiser"], period=result.period, reason="复核"
    )
    result_services.result_publish(actor=world.users["organiser"], result=corrected)
    result.refresh_from_db()
    with pytest.raises(RaceError, match="只能对已发布的现行结果提出异议"):
        objection_services.objection_submit(
            actor=world.users["reporter"], result=result, unit=world.counties["上城区"], reasons="x"
        )
