"""Clarification (澄清正名): the case's edges, consent-bound public notices, queue and counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from saima.core.models import AuditEvent
from saima.core.workflow import ActionForbidden, ActionRefused
from saima.safeguards import selectors
from saima.safeguards.clarification import services
from saima.safeguards.clarification.actions import (
    ClarifyCase,
    CloseCase,
    OpenCase,
    RecordConsent,
    VerifyCase,
    WithdrawConsent,
)
from saima.safeguards.errors import SafeguardError
from saima.safeguards.models import CaseStatus, ClarificationCase, Finding

C = CaseStatus
TODAY = dt.date(2026, 11, 30)


def _open(world, person="张三", actor="officer", petitions=0):
    return services.case_open(
        actor=world.users[actor],
        person=world.people[person],
        allegation="反映其违规",
        petitions=petitions,
    )


def _verified(world, finding=Finding.FALSE_ACCUSATION, **extra):
    case = _open(world, **extra)
    return services.case_verify(
        actor=world.users["officer"], case=case, finding=finding, verification="查无实据"
    )


def _in_state(world, status):
    if status == C.OPENED:
        return _open(world)
    if status == C.VERIFIED:
        return _verified(world)
    if status == C.CLARIFIED:
        return services.case_clarify(
            actor=world.users["officer"], case=_verified(world), form="letter", statement="澄清"
        )
    case = _verified(world, Finding.SUBSTANTIATED)
    return services.case_close(actor=world.users["officer"], case=case, reason="属实")


def _steps(world, case, user="officer"):
    u = world.users[user]
    return {
        "verify": VerifyCase(u, case, finding=Finding.UNTRUE, verification="核实"),
        "clarify": ClarifyCase(u, case, form="face", statement="当面澄清"),
        "close": CloseCase(u, case, reason="属实"),
    }


ALLOWED = {(C.OPENED, "verify"), (C.VERIFIED, "clarify")}


@pytest.mark.parametrize("status", list(C))
@pytest.mark.parametrize("step", ["verify", "clarify", "close"])
def test_every_edge_is_allowed_or_refused_as_the_state_machine_says(world, status, step):
    case = _in_state(world, status)
    action = _steps(world, case)[step]
    events = AuditEvent.objects.count()
    if (status, step) in ALLOWED:
        assert action.allowed(), action.why_not()
        action.execute()
        assert AuditEvent.objects.count() == events + 1
    else:
        assert not action.allowed()
        with pytest.raises(ActionRefused):
            action.execute()
        assert ClarificationCase.objects.get(pk=case.pk).status == status
        assert AuditEvent.objects.count() == events


def test_a_substantiated_report_is_closed_never_clarified(world):
    case = _verified(world, Finding.SUBSTANTIATED)
    assert _steps(world, case)["clarify"].why_not() == "反映属实，不予澄清"
    closed = CloseCase(world.users["officer"], case, reason="属实").execute()
    assert closed.status == C.CLOSED


def test_a_public_notice_needs_the_persons_recorded_consent(world):
    case = _verified(world)
    notice = ClarifyCase(world.users["officer"], case, form="notice", statement="通报")
    assert "须本人书面同意" in notice.why_not()
    consent = services.consent_record(actor=world.users["officer"], case=case, given_on=TODAY)
    assert consent.recorded_by == world.users["officer"] and consent.given_on == TODAY
    ClarifyCase(world.users["officer"], case, form="notice", statement="通报").execute()
    assert list(selectors.public_notices()) == [case]


def test_withdrawing_consent_takes_the_notice_off_the_public_page(
    world, client, django_capture_on_commit_callbacks
):
    case = _verified(world)
    services.consent_record(actor=world.users["officer"], case=case, given_on=TODAY)
    services.case_clarify(
        actor=world.users["officer"], case=case, form="notice", statement="通报正文"
    )
    url = reverse("portal:clarification:notice", args=[case.pk])
    assert "通报正文" in client.get(url).content.decode()
    assert "通报正文" in client.get(reverse("portal:clarification:list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):  # the portal's kept pages end
        WithdrawConsent(world.users["cadre"], case).execute()  # the person themself
    assert client.get(url).status_code == 404
    assert "通报正文" not in client.get(reverse("portal:clarification:list")).content.decode()
    assert ClarificationCase.objects.get(pk=case.pk).notice_withdrawn_at is not None
    assert AuditEvent.objects.filter(action="safeguards.consent.withdraw").count() == 1


def test_a_letter_or_face_to_face_clarification_is_never_public(world, client):
    case = _verified(world)
    services.consent_record(actor=world.users["officer"], case=case, given_on=TODAY)
    services.case_clarify(actor=world.users["officer"], case=case, form="letter", statement="函")
    assert not selectors.public_notices().exists()
    assert client.get(reverse("portal:clarification:notice", args=[case.pk])).status_code == 404


def test_consent_is_recorded_by_the_office_and_withdrawn_by_office_or_person(world):
    case = _verified(world)
    with pytest.raises(ActionForbidden):
        RecordConsent(world.users["cadre"], case, given_on=TODAY).execute()
    with pytest.raises(ActionForbidden):
        RecordConsent(world.users["officer_b"], case, given_on=TODAY).execute()
    RecordConsent(world.users["officer"], case, given_on=TODAY).execute()
    assert RecordConsent(world.users["officer"], case, given_on=TODAY).why_not() == "已登记本人同意"
    with pytest.raises(ActionForbidden):
        WithdrawConsent(world.users["officer_b"], case).execute()
    WithdrawConsent(world.users["officer"], case).execute()
    assert WithdrawConsent(world.users["officer"], case).why_not() == "没有可撤回的同意"


def test_consent_cannot_be_dated_in_the_future(world):
    case = _verified(world)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(SafeguardError, match="不能晚于今天"):
        services.consent_record(actor=world.users["officer"], case=case, given_on=tomorrow)


def test_the_queue_puts_frontline_cadres_first_then_the_most_petitions(world):
    few = _open(world, "张三", petitions=3)
    many = _open(world, "王五", petitions=40)
    frontline = _open(world, "李四", petitions=1)
    done = _in_state(world, C.CLARIFIED)
    queue = list(selectors.case_queue(selectors.cases_visible(world.users["officer"])))
    assert queue == [frontline, many, few]
    assert done not in queue


def test_false_accusations_are_counted(world):
    _verified(world, Finding.FALSE_ACCUSATION)
    _verified(world, Finding.FALSE_ACCUSATION, person="李四")
    _verified(world, Finding.UNTRUE)
    _in_state(world, C.CLOSED)
    _open(world)
    stats = selectors.case_statistics(selectors.cases_visible(world.users["officer"]))
    assert stats["false_accusations"] == 2
    assert stats["untrue"] == 1
    assert stats["substantiated"] == 1
    assert stats["open"] == 4
    other = selectors.case_statistics(selectors.cases_visible(world.users["officer_b"]))
    assert other["total"] == 0


def test_the_accused_opens_a_case_in_writing_and_strangers_may_not(world):
    own = OpenCase(world.users["cadre"], world.people["张三"], allegation="申请澄清").execute()
    assert own.origin == "person"
    assert _open(world).origin == "office"
    for stranger in ("cadre", "officer_b", "organiser", "nobody"):
        person = "李四" if stranger == "cadre" else "张三"
        with pytest.raises(ActionForbidden):
            OpenCase(world.users[stranger], world.people[person], allegation="x").execute()


@pytest.mark.parametrize("officer", ["officer_local", "cadre", "officer_b"])
def test_conflicted_or_foreign_officers_may_not_handle_a_case(world, officer):
    case = _open(world)
    for action in _steps(world, case, officer).values():
        with pytest.raises(ActionForbidden):
            action.execute()


@pytest.mark.parametrize("petitions", [-1, 100_001])
def test_an_impossible_petition_count_is_refused(world, petitions):
    with pytest.raises(SafeguardError, match="信访件数"):
        _open(world, petitions=petitions)


def test_verifying_needs_a_known_finding_and_a_written_account(world):
    case = _open(world)
    with pytest.raises(SafeguardError, match="请选择核实结论"):
        services.case_verify(
            actor=world.users["officer"], case=case, finding="maybe", verification="x"
        )
    with pytest.raises(SafeguardError, match="请填写核实情况"):
        services.case_verify(
            actor=world.users["officer"], case=case, finding=Finding.UNTRUE, verification=" "
        )
    assert ClarificationCase.objects.get(pk=case.pk).status == C.OPENED


# ---------------------------------------------------------------- from false-accusation findings


@pytest.fixture
def findings(monkeypatch, world):
    """A stand-in for the conduct app's source: one finding about 张三, one about 赵六."""
    from saima.core import referrals

    found = [
        referrals.Referral(
            world.people["张三"].pk, "conduct.clue:12", TODAY, "线索 #12 经核查为诬告陷害"
        ),
        referrals.Referral(
            world.people["赵六"].pk, "conduct.clue:13", TODAY, "线索 #13 经核查为诬告陷害"
        ),
    ]

    def source(person_id):
        return [r for r in found if person_id is None or r.person_id == person_id]

    monkeypatch.setattr(referrals, "_SOURCES", [source])
    return found


def test_an_officer_opens_a_case_from_a_false_accusation_finding_once(world, findings, client):
    client.force_login(world.users["officer"])
    page = client.get(reverse("safeguards:cases")).content.decode()
    assert "线索 #12 经核查为诬告陷害" in page and "线索 #13" not in page  # 赵六 is in city B
    url = reverse("safeguards:case_new", args=[world.people["张三"].pk]) + "?ref=conduct.clue:12"
    form = client.get(url).content.decode()
    assert 'value="conduct.clue:12"' in form
    data = {
        "allegation": "线索 #12 经核查为诬告陷害",
        "petitions": 1,
        "source_ref": "conduct.clue:12",
    }
    assert client.post(url, data).status_code == 302
    case = ClarificationCase.objects.get()
    assert case.source_ref == "conduct.clue:12"
    assert client.post(url, data).status_code == 200  # refused: already opened
    assert ClarificationCase.objects.count() == 1
    found = selectors.false_accusation_findings(world.users["officer"])
    assert [(f.referral.ref, f.case) for f in found] == [("conduct.clue:12", case)]


def test_a_finding_reference_must_name_a_finding_about_that_person(world, findings):
    for ref in ("conduct.clue:13", "conduct.clue:999"):
        with pytest.raises(SafeguardError, match="不是关于该干部的诬告查实线索"):
            services.case_open(
                actor=world.users["officer"],
                person=world.people["张三"],
                allegation="x",
                source_ref=ref,
            )
    letter = services.case_open(
        actor=world.users["officer"],
        person=world.people["张三"],
        allegation="x",
        source_ref="来信 7 号",
    )
    assert letter.source_ref == "来信 7 号"


def test_findings_are_counted_in_the_statistics_of_the_scope(world, findings, client):
    client.force_login(world.users["officer"])
    response = client.get(reverse("safeguards:index"))
    assert response.context["stats"]["referred"] == 1
    client.force_login(world.users["officer_b"])
    assert client.get(reverse("safeguards:index")).context["stats"]["referred"] == 1
    client.force_login(world.users["officer_local"])
    assert client.get(reverse("safeguards:index")).context["stats"]["referred"] == 1
