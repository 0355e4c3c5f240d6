"""Races, periods, reports, verification and reminders (催办)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from saima.core.audit import verify_chain
from saima.core.models import AuditEvent, Notice
from saima.org import services as org_services
from saima.races.errors import RaceError
from saima.races.models import Period, PeriodStatus, Reminder, Report, ReportedValue, ReportStatus
from saima.races.reporting import services as reporting
from saima.races.schemes import services as scheme_services
from saima.races.schemes.templates import template_toml
from tests.races.conftest import SCHEME

FULL = {"fai": 9.5, "projects": 3.0, "snails": 1.0}


def test_creating_a_race_refuses_a_broken_scheme_with_the_engines_reason(world):
    with pytest.raises(RaceError, match=r"方案有误：.*direction must be 'higher' or 'lower'"):
        scheme_services.race_create(
            actor=None,
            code="x",
            name="x",
            owner=world.city_a,
            scheme_toml=SCHEME.format(group="hz-counties").replace('"lower"', '"down"'),
        )


def test_creating_a_race_refuses_groups_without_a_peer_group(world):
    with pytest.raises(RaceError, match="分组「nowhere」没有对应的同类组"):
        scheme_services.race_create(
            actor=None,
            code="x",
            name="x",
            owner=world.city_a,
            scheme_toml=SCHEME.format(group="nowhere"),
        )


def test_creating_a_race_refuses_reserved_and_taken_codes(world):
    text = SCHEME.format(group="hz-counties")
    with pytest.raises(RaceError, match="保留字"):
        scheme_services.race_create(
            actor=None, code="new", name="x", owner=world.city_a, scheme_toml=text
        )
    with pytest.raises(RaceError, match="已被使用"):
        scheme_services.race_create(
            actor=None, code="hz-race", name="x", owner=world.city_a, scheme_toml=text
        )


def test_the_zhejiang_template_has_three_sections_eleven_indicators_and_the_published_quotas(world):
    from saima.races.schemes.selectors import parse_scheme

    scheme = parse_scheme(template_toml("zhejiang_investment", world.province))
    assert [s.name for s in scheme.sections] == ["投资规模扩大", "投资结构优化", "重大项目招引实施"]
    assert len(scheme.indicators) == 11
    assert [(g.code, g.quota) for g in scheme.groups] == [("city", 4), ("county", 11)]


def test_the_town_template_names_the_countys_town_group(world):
    from saima.races.schemes.selectors import parse_scheme

    scheme = parse_scheme(template_toml("county_towns", world.county_b1))
    assert [g.code for g in scheme.groups] == [f"towns-{world.county_b1.code}"]


def test_opening_a_period_gives_every_member_a_not_started_report_and_is_audited(world):
    period = world.period()
    statuses = set(Report.objects.filter(period=period).values_list("status", flat=True))
    assert Report.objects.filter(period=period).count() == 6
    assert statuses == {ReportStatus.NOT_STARTED}
    assert AuditEvent.objects.filter(action="races.period.open", object_id=str(period.pk)).exists()


def test_a_period_cannot_be_opened_twice(world):
    world.period()
    with pytest.raises(RaceError, match="该周期已经存在"):
        world.period()


def test_a_unit_in_two_groups_of_one_scheme_is_refused(world):
    org_services.peer_group_set(
        actor=None, code="hz-b", name="B", owner=world.city_a, members=[world.counties["上城区"]]
    )
    text = SCHEME.format(group="hz-counties").replace(
        "[[sections]]", '[[groups]]\ncode = "hz-b"\nquota = 1\n[[sections]]', 1
    )
    world.race = scheme_services.race_update(actor=None, race=world.race, scheme_toml=text)
    with pytest.raises(RaceError, match="同时属于分组"):
        world.period()


def test_a_draft_keeps_values_and_a_submission_needs_every_indicator(world):
    period = world.period()
    report = world.report(period, "上城区")
    reporting.report_save(
        actor=world.users["reporter"], report=report, values={"fai": 9.5}, submit=False
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    with pytest.raises(RaceError, match="尚缺：重大项目数、蜗牛项目数"):
        reporting.report_save(
            actor=world.users["reporter"], report=report, values={"fai": 9.5}, submit=True
        )
    reporting.report_save(actor=world.users["reporter"], report=report, values=FULL, submit=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at is not None
    assert dict(report.values.values_list("indicator", "value")) == FULL


def test_a_submitted_report_cannot_be_saved_again(world):
    period = world.period()
    report = world.report(period, "上城区")
    reporting.report_save(actor=world.users["reporter"], report=report, values=FULL, submit=True)
    with pytest.raises(RaceError, match="已报送的数据不能修改"):
        reporting.report_save(
            actor=world.users["reporter"], report=report, values=FULL, submit=False
        )


def test_returning_needs_a_reason_and_notifies_the_units_reporters(world):
    period = world.period()
    report = world.report(period, "上城区")
    reporting.report_save(actor=world.users["reporter"], report=report, values=FULL, submit=True)
    with pytest.raises(RaceError, match="退回时请写明理由"):
        reporting.report_return(actor=world.users["organiser"], report=report, comment=" ")
    reporting.report_return(
        actor=world.users["organiser"],
        report=report,
        comment="请核对增速",
        notes={"fai": "与快报不符"},
    )
    report.refresh_from_db()
    assert report.status == ReportStatus.RETURNED
    assert ReportedValue.objects.get(report=report, indicator="fai").note == "与快报不符"
    notice = Notice.objects.get(user=world.users["reporter"])
    assert "被退回" in notice.title and "请核对增速" in notice.body
    reporting.report_save(actor=world.users["reporter"], report=report, values=FULL, submit=True)


def test_verifying_is_recorded_in_the_audit_chain(world):
    period = world.period()
    report = world.report(period, "上城区")
    reporting.report_save(actor=world.users["reporter"], report=report, values=FULL, submit=True)
    reporting.report_verify(actor=world.users["organiser"], report=report, comment="无误")
    event = AuditEvent.objects.get(action="races.report.verify")
    assert (
        event.after["status"] == ReportStatus.VERIFIED
        and event.actor_id == world.users["organiser"].pk
    )
    assert verify_chain().ok


def test_a_draft_cannot_be_verified(world):
    period = world.period()
    with pytest.raises(RaceError, match="只能审核已报送的数据"):
        reporting.report_verify(
            actor=world.users["organiser"], report=world.report(period, "上城区")
        )


def test_a_correction_after_closing_needs_a_reason_and_is_audited(world):
    period = world.period()
    world.fill(period)
    reporting.period_close(actor=world.users["organiser"], period=period)
    report = world.report(period, "上城区")
    with pytest.raises(RaceError, match="须写明原因"):
        reporting.value_correct(
            actor=world.users["organiser"], report=report, values={"fai": 1.0}, reason=""
        )
    reporting.value_correct(
        actor=world.users["organiser"], report=report, values={"fai": 1.0}, reason="统计局更正"
    )
    assert ReportedValue.objects.get(report=report, indicator="fai").value == 1.0
    assert AuditEvent.objects.get(action="races.report.correct").reason == "统计局更正"


def test_manual_reminders_reach_only_units_that_have_not_handed_in(world, settings):
    settings.EMAIL_ENABLED = True
    world.users["reporter"].email = "sc@example.org"
    world.users["reporter"].save()
    period = world.period()
    done = world.report(period, "淳安县")
    reporting.report_save(
        actor=world.users["reporter_other"], report=done, values=FULL, submit=True
    )
    units = [world.counties["上城区"], world.counties["淳安县"]]
    count = reporting.reminders_send(actor=world.users["organiser"], period=period, units=units)
    assert count == 1
    reminder = Reminder.objects.get(period=period)
    assert (reminder.unit, reminder.kind, reminder.recipients, reminder.emails) == (
        world.counties["上城区"],
        Reminder.Kind.MANUAL,
        1,
        1,
    )
    assert (
        Notice.objects.filter(user=world.users["reporter"], title__startswith="催办").count() == 1
    )
    assert not Notice.objects.filter(user=world.users["reporter_other"]).exists()


def test_reminder_emails_are_sent_after_commit(world, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_ENABLED = True
    world.users["reporter"].email = "sc@example.org"
    world.users["reporter"].save()
    period = world.period()
    with django_capture_on_commit_callbacks(execute=True):
        reporting.reminders_send(
            actor=world.users["organiser"], period=period, units=[world.counties["上城区"]]
        )
    assert [m.to for m in mail.outbox] == [["sc@example.org"]]
    assert "催办" in mail.outbox[0].subject


def test_automatic_reminders_go_out_once_when_the_deadline_is_near(world):
    deadline = timezone.now() + dt.timedelta(days=5)
    period = reporting.period_open(
        actor=None, race=world.race, year=2026, number=2, deadline=deadline
    )
    assert reporting.reminders_send_due() == 0
    with time_machine.travel(deadline - dt.timedelta(hours=47)):
        assert reporting.reminders_send_due() == 6
        assert reporting.reminders_send_due() == 0
    period.refresh_from_db()
    assert period.auto_reminded_at is not None
    assert set(Reminder.objects.values_list("kind", flat=True)) == {Reminder.Kind.AUTO}


def test_no_automatic_reminders_after_the_deadline(world):
    deadline = timezone.now() + dt.timedelta(hours=1)
    reporting.period_open(actor=None, race=world.race, year=2026, number=2, deadline=deadline)
    with time_machine.travel(deadline + dt.timedelta(minutes=1)):
        assert reporting.reminders_send_due() == 0


def test_period_transitions_refuse_the_wrong_order(world):
    period = world.period()
    reporting.period_close(actor=world.users["organiser"], period=period)
    with pytest.raises(RaceError, match="不能执行此操作"):
        reporting.period_close(actor=world.users["organiser"], period=period)
    reporting.period_reopen(actor=world.users["organiser"], period=period)
    assert Period.objects.get(pk=period.pk).status == PeriodStatus.OPEN


def test_saving_unchanged_settings_records_no_event(world):
    from decimal import Decimal

    from saima.core.models import AuditEvent

    before = AuditEvent.objects.filter(action="races.race.update").count()
    scheme_services.race_update(
        actor=world.users["organiser"],
        race=world.race,
        reward_land_mu=Decimal(str(int(world.race.reward_land_mu))),
    )
    assert AuditEvent.objects.filter(action="races.race.update").count() == before
