"""Workflow steps as action objects: the same object answers the view, the template and the
service, so a button is shown only when the step is possible, and a refused step says why."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from saima.core.workflow import ActionForbidden, ActionRefused
from saima.races.models import PeriodStatus, Reminder, ReportStatus
from saima.races.objections import services as objection_services
from saima.races.objections.actions import AnswerObjection
from saima.races.reporting import services as reporting
from saima.races.reporting.actions import ClosePeriod
from saima.races.results import services as result_services
from saima.races.results.actions import ComputeResult
from tests.races.conftest import VALUES


def _computed(world):
    """A closed and computed period: 余杭区 submitted but was never verified, 桐庐县 never reported."""
    period = world.period()
    world.fill(period, {k: v for k, v in VALUES.items() if k != "桐庐县"}, verify=False)
    organiser = world.users["organiser"]
    unverified = [world.counties["余杭区"], world.counties["桐庐县"]]
    others = [r.pk for r in period.reports.exclude(unit__in=unverified)]
    reporting.reports_verify_bulk(actor=organiser, period=period, report_ids=others)
    reporting.period_close(actor=organiser, period=period)
    result_services.result_compute(actor=organiser, period=period)
    period.refresh_from_db()
    return period


def _post(client, world, period, action, data=None):
    client.force_login(world.users["organiser"])
    return client.post(reverse("races:period_action", args=[period.pk, action]), data or {})


# ---------------------------------------------------------------- state rules the views skipped


def test_verifying_clean_reports_after_the_result_was_computed_is_refused(client, world):
    period = _computed(world)
    _post(client, world, period, "verify-clean")
    assert world.report(period, "余杭区").status == ReportStatus.SUBMITTED


def test_the_deadline_of_a_computed_period_cannot_be_moved(client, world):
    period = _computed(world)
    before = period.deadline
    later = timezone.localtime(before + dt.timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    _post(client, world, period, "deadline", {"deadline": later})
    period.refresh_from_db()
    assert period.deadline == before


def test_no_reminder_is_sent_for_a_computed_period(client, world):
    period = _computed(world)
    _post(client, world, period, "remind", {"units": [world.counties["桐庐县"].code]})
    assert not Reminder.objects.filter(period=period).exists()


# ---------------------------------------------------------------- one object, every caller


def test_a_step_says_why_it_is_not_possible_and_refuses_with_that_reason(world):
    period = world.period()
    compute = ComputeResult(world.users["organiser"], period)
    assert not compute.allowed()
    assert compute.why_not() == "请先截止填报，再计算结果"
    with pytest.raises(ActionRefused, match="请先截止填报"):
        compute.execute()


@pytest.mark.parametrize("role", ["organiser_other", "reporter", "viewer", "nobody"])
def test_a_step_is_forbidden_to_anyone_but_the_races_organisers(world, role):
    period = world.period()
    close = ClosePeriod(world.users[role], period)
    assert close.why_not() == "你没有执行此操作的权限"
    with pytest.raises(ActionForbidden):
        close.execute()
    period.refresh_from_db()
    assert period.status == PeriodStatus.OPEN


def test_the_open_period_page_offers_closing_and_says_why_it_cannot_compute_yet(client, world):
    period = world.period()
    client.force_login(world.users["organiser"])
    page = client.get(reverse("races:period", args=[period.pk])).content.decode()
    assert reverse("races:period_action", args=[period.pk, "close"]) in page
    assert reverse("races:period_action", args=[period.pk, "reopen"]) not in page
    assert reverse("races:period_action", args=[period.pk, "compute"]) not in page
    assert 'id="compute-why">请先截止填报，再计算结果<' in page
    assert reverse("races:period_action", args=[period.pk, "deadline"]) in page


def test_the_computed_period_page_offers_publishing_and_no_reporting_steps(client, world):
    period = _computed(world)
    client.force_login(world.users["organiser"])
    page = client.get(reverse("races:period", args=[period.pk])).content.decode()
    for gone in ("close", "reopen", "deadline", "verify-clean"):
        assert reverse("races:period_action", args=[period.pk, gone]) not in page, gone
    assert 'name="units"' not in page and "向选中单位发送催办" not in page
    assert reverse("races:period_action", args=[period.pk, "publish"]) in page
    assert reverse("races:period_action", args=[period.pk, "compute"]) in page
    assert reverse("races:report", args=[period.pk, world.counties["桐庐县"].code]) not in page


def test_an_unknown_step_is_not_found(client, world):
    period = world.period()
    assert _post(client, world, period, "explode").status_code == 404


def test_a_refused_publication_is_explained_and_changes_nothing(client, world):
    result = world.published()
    response = _post(client, world, result.period, "publish", {"result": result.pk})
    assert "该版本已经发布" in [str(m) for m in response.wsgi_request._messages]


def _messages(response):
    return [str(m) for m in response.wsgi_request._messages]


def test_computing_says_which_version_it_froze(client, world):
    period = world.period()
    world.fill(period)
    reporting.period_close(actor=world.users["organiser"], period=period)
    response = _post(client, world, period, "compute")
    assert _messages(response) == ["已计算并冻结第 1 版结果，请核对后发布。"]
    assert period.results.count() == 1


def test_computing_again_with_nothing_changed_says_the_existing_version_stands(client, world):
    period = _computed(world)
    response = _post(client, world, period, "compute")
    assert _messages(response) == [
        "数据、方案和算法都没有变化，未生成新版本：现有第 1 版结果仍然有效。"
    ]
    assert period.results.count() == 1


def test_the_compute_action_reports_whether_it_froze_a_new_version(world):
    period = _computed(world)
    again = ComputeResult(world.users["organiser"], period)
    assert again.execute().version == 1 and not again.created
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(period, "上城区"),
        values={"fai": 99.0},
        reason="统计局更正",
    )
    changed = ComputeResult(world.users["organiser"], period)
    assert changed.execute().version == 2 and changed.created


# ---------------------------------------------------------------- review and correction


def test_the_review_page_offers_verification_only_for_a_submitted_report(client, world):
    period = world.period()
    world.fill(period, verify=False)
    url = reverse("races:review", args=[period.pk, world.counties["上城区"].code])
    client.force_login(world.users["organiser"])
    assert 'value="verify"' in client.get(url).content.decode()
    reporting.report_verify(actor=world.users["organiser"], report=world.report(period, "上城区"))
    assert 'value="verify"' not in client.get(url).content.decode()


def test_a_correction_that_is_no_number_is_refused_with_a_message_not_an_error(client, world):
    period = _computed(world)
    url = reverse("races:review", args=[period.pk, world.counties["上城区"].code])
    client.force_login(world.users["organiser"])
    response = client.post(
        url, {"action": "correct", "reason": "核实", "value_fai": "abc"}, follow=True
    )
    assert response.status_code == 200
    assert "「abc」不是数字" in response.content.decode()  # on the field, parsed by the form
    assert world.report(period, "上城区").values.get(indicator="fai").value == 9.0


def test_the_correction_panel_is_offered_only_once_reporting_has_closed(client, world):
    period = world.period()
    world.fill(period)
    url = reverse("races:review", args=[period.pk, world.counties["上城区"].code])
    client.force_login(world.users["organiser"])
    assert 'value="correct"' not in client.get(url).content.decode()
    reporting.period_close(actor=world.users["organiser"], period=period)
    assert 'value="correct"' in client.get(url).content.decode()


# ---------------------------------------------------------------- objections


def test_an_answered_objection_offers_no_answer_and_refuses_another(client, world):
    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"],
        result=result,
        unit=world.counties["上城区"],
        reasons="数据有误",
    )
    AnswerObjection(
        world.users["organiser"], objection, upheld=False, answer="经核实无误"
    ).execute()
    url = reverse("races:objection", args=[objection.pk])
    client.force_login(world.users["organiser"])
    assert 'name="answer"' not in client.get(url).content.decode()
    response = client.post(url, {"decision": "upheld", "answer": "改判"})
    assert response.status_code == 403
    objection.refresh_from_db()
    assert objection.answer == "经核实无误"


def test_a_watcher_sees_the_period_page_without_a_single_step(client, world):
    """A viewer over the owning unit reads the board; every step says no, so no button shows."""
    period = world.period()
    world.fill(period, verify=False)
    client.force_login(world.users["viewer"])
    response = client.get(reverse("races:period", args=[period.pk]))
    page = response.content.decode()
    for step in ("close", "reopen", "deadline", "compute", "publish", "verify-clean"):
        assert reverse("races:period_action", args=[period.pk, step]) not in page, step
    assert 'name="units"' not in page and "向选中单位发送催办" not in page
    steps = response.context["steps"]
    assert not any(step.allowed() for step in steps.values() if step is not None)
