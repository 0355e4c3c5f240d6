"""Defects found by the outside review of issues 7 and 8: each test reproduces one finding (all
fixed now; they stay as regression tests)."""

from __future__ import annotations

import contextlib

import pytest
from django.urls import reverse

from saima.core.verification import verification_run
from saima.races.errors import RaceError
from saima.races.models import Objection, ReportedValue, Result
from saima.races.objections import services as objection_services
from tests.races.conftest import world  # noqa: F401  (the fixture)


def _problems() -> list[str]:
    report = verification_run()
    return next(item.problems for item in report.findings if item.name == "races.results")


def test_a_unit_name_rewritten_in_the_frozen_inputs_is_named(world):  # noqa: F811
    # The kit's result.csv labels each row with these names; swapping two of them relabels
    # the published scores while `saima verify` says OK.
    result = world.published()
    inputs = Result.objects.get(pk=result.pk).inputs
    inputs["names"][0], inputs["names"][1] = inputs["names"][1], inputs["names"][0]
    Result.objects.filter(pk=result.pk).update(inputs=inputs)
    assert _problems() != []


def test_an_excluded_list_rewritten_in_the_database_is_named(world):  # noqa: F811
    # The board shows result.excluded (units left out, and why) to the public.
    result = world.published()
    excluded = [{"name": "上城区", "unit": "x", "group": "g", "state": "x", "status": "未报送"}]
    Result.objects.filter(pk=result.pk).update(excluded=excluded)
    assert _problems() != []


def test_the_report_form_refuses_full_width_digits_like_the_import(client, world):  # noqa: F811
    period = world.period()
    client.force_login(world.users["reporter"])
    url = reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    client.post(url, {"fai": "１２.８", "projects": "5", "snails": "0", "submit": "1"})
    report = world.report(period, "上城区")
    assert not ReportedValue.objects.filter(report=report, indicator="fai").exists()


def test_the_same_objection_submitted_twice_is_recorded_once(world):  # noqa: F811
    result = world.published()
    for _ in range(2):
        with contextlib.suppress(RaceError):  # refusing the duplicate is what is wanted
            objection_services.objection_submit(
                actor=world.users["reporter"],
                result=result,
                unit=world.counties["上城区"],
                reasons="重大项目数漏报 1 个",
            )
    assert Objection.objects.filter(result=result).count() == 1


def test_a_second_objection_while_one_waits_names_the_first(world):  # noqa: F811
    result = world.published()
    unit = world.counties["上城区"]
    reporter = world.users["reporter"]
    objection_services.objection_submit(actor=reporter, result=result, unit=unit, reasons="漏报")
    with pytest.raises(RaceError, match="已有一条待答复的异议"):
        objection_services.objection_submit(
            actor=reporter, result=result, unit=unit, reasons="另一条"
        )
