"""The races permission matrix: role × action × own/other unit."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from saima.races.permissions import (
    may_answer_objection,
    may_create_race,
    may_edit_report,
    may_manage_race,
    may_object,
    may_verify_report,
    may_view_report,
    may_view_result,
)
from saima.races.reporting import services as reporting
from saima.races.results import services as result_services

ROLES = [
    "superuser",
    "organiser",
    "organiser_other",
    "reporter",
    "reporter_other",
    "judge",
    "discipline",
    "viewer",
    "nobody",
    "anonymous",
]

# role → expected (manage race, view own report, edit own report, verify own report, view other's, edit other's)
# "own" = 上城区 (rep_sc's unit); "other" = 桐庐县 (no reporter of its own)
MATRIX = {
    "superuser": (True, True, True, True, True, True),
    "organiser": (True, True, True, True, True, True),
    "organiser_other": (False, False, False, False, False, False),
    "reporter": (False, True, True, False, False, False),
    "reporter_other": (False, False, False, False, False, False),
    "judge": (False, False, False, False, False, False),
    "discipline": (False, True, False, False, True, False),
    "viewer": (False, True, False, False, True, False),
    "nobody": (False, False, False, False, False, False),
    "anonymous": (False, False, False, False, False, False),
}


def _user(world, role):
    return AnonymousUser() if role == "anonymous" else world.users[role]


@pytest.mark.parametrize("role", ROLES)
def test_report_permissions_follow_the_matrix(world, role):
    period = world.period()
    user = _user(world, role)
    own, other = world.report(period, "上城区"), world.report(period, "桐庐县")
    got = (
        may_manage_race(user, world.race),
        may_view_report(user, own),
        may_edit_report(user, own),
        may_verify_report(user, own),
        may_view_report(user, other),
        may_edit_report(user, other),
    )
    assert got == MATRIX[role]


@pytest.mark.parametrize("role", ["reporter", "organiser"])
def test_nobody_edits_a_report_once_reporting_closed(world, role):
    period = world.period()
    reporting.period_close(actor=world.users["organiser"], period=period)
    assert not may_edit_report(world.users[role], world.report(period, "上城区"))


def test_a_reporter_cannot_edit_a_submitted_report(world):
    period = world.period()
    report = world.report(period, "上城区")
    reporting.report_save(
        actor=world.users["reporter"],
        report=report,
        values={"fai": 1.0, "projects": 1.0, "snails": 0.0},
        submit=True,
    )
    report.refresh_from_db()
    assert not may_edit_report(world.users["reporter"], report)


@pytest.mark.parametrize(
    "role, expected",
    [
        ("superuser", True),
        ("organiser", True),
        ("organiser_other", True),
        ("reporter", False),
        ("viewer", False),
        ("anonymous", False),
    ],
)
def test_only_organisers_may_create_races(world, role, expected):
    assert may_create_race(_user(world, role)) is expected


def test_an_unpublished_result_is_seen_by_the_race_organisers_only(world):
    period = world.period()
    world.fill(period)
    reporting.period_close(actor=world.users["organiser"], period=period)
    result = result_services.result_compute(actor=world.users["organiser"], period=period)
    seen = {role: may_view_result(_user(world, role), result) for role in ROLES}
    assert seen == {role: role in {"superuser", "organiser"} for role in ROLES}
    result_services.result_publish(actor=world.users["organiser"], result=result)
    result.refresh_from_db()
    assert all(may_view_result(_user(world, role), result) for role in ROLES)


@pytest.mark.parametrize(
    "role, own, other",
    [
        ("reporter", True, False),
        ("organiser", True, True),
        ("reporter_other", False, False),
        ("viewer", False, False),
        ("anonymous", False, False),
    ],
)
def test_objections_are_raised_by_those_who_report_for_the_unit(world, role, own, other):
    result = world.published()
    user = _user(world, role)
    assert may_object(user, result, world.counties["上城区"].pk) is own
    assert may_object(user, result, world.counties["桐庐县"].pk) is other


def test_objections_are_answered_by_the_race_organisers(world):
    from saima.races.objections.services import objection_submit

    result = world.published()
    objection = objection_submit(
        actor=world.users["reporter"],
        result=result,
        unit=world.counties["上城区"],
        reasons="数据有误",
    )
    assert may_answer_objection(world.users["organiser"], objection)
    assert not may_answer_objection(world.users["reporter"], objection)
    assert not may_answer_objection(world.users["organiser_other"], objection)
