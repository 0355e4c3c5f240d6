"""Award rounds: the snail award from substantiated clues only, the red-flag award and the
rotating flag with its holders, zero harvest recorded, rectification closed only after
verification; the person's record and the false-accusation referrals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from saima.conduct import awards, clues
from saima.conduct.errors import ConductError
from saima.conduct.models import (
    AwardKind,
    AwardRound,
    Clue,
    ClueStatus,
    Rectification,
    RectificationStatus,
)
from saima.conduct.selectors import flag_history
from saima.core.records import record_of
from saima.core.referrals import false_accusations
from tests.conduct.conftest import submit

Q3 = dt.datetime(2026, 8, 10, 10, 0, tzinfo=dt.UTC)
AFTER_Q3 = dt.datetime(2026, 10, 8, 10, 0, tzinfo=dt.UTC)


def _decided(world, decision: str, **extra) -> Clue:
    officer = world.users["officer_a"]
    clue, _ = submit(world, **extra)
    clue = clues.clue_assign(actor=officer, clue=clue, assignee=officer)
    clue = clues.clue_start(actor=officer, clue=clue)
    return clues.clue_decide(actor=officer, clue=clue, decision=decision, findings="经核查")


@pytest.fixture
def q3(world):
    """In 2026Q3: a substantiated clue about the cadre, one not substantiated, one false."""
    with time_machine.travel(Q3, tick=False):
        found = _decided(world, ClueStatus.SUBSTANTIATED, person=world.cadre)
        _decided(world, ClueStatus.UNSUBSTANTIATED)
        false = _decided(world, ClueStatus.FALSE_ACCUSATION, person=world.cadre)
        award_round = awards.round_open(
            actor=world.users["officer_a"], owner=world.city_a, year=2026, quarter=3
        )
    return award_round, found, false


def test_a_snail_award_rests_on_a_substantiated_clue_of_the_quarter(world, q3):
    award_round, found, false = q3
    officer = world.users["officer_a"]
    assert awards.snail_clues(award_round) == [found]
    with pytest.raises(ConductError, match="查实"):
        awards.award_add(
            actor=officer,
            award_round=award_round,
            kind=AwardKind.SNAIL,
            unit=false.unit,
            clue=false,
            reason="x",
        )
    award = awards.award_add(
        actor=officer,
        award_round=award_round,
        kind=AwardKind.SNAIL,
        unit=world.city_b,
        clue=found,
        reason="审批拖延",
        points=Decimal("-2"),
        bonus=Decimal("-1500"),
    )
    assert (award.unit, award.person) == (world.town, world.cadre)  # from the clue, not the form
    assert awards.snail_clues(award_round) == []  # once per round


def test_a_red_flag_goes_to_a_unit_of_the_scope_and_the_flag_moves_on(world, q3):
    award_round, _found, _false = q3
    officer = world.users["officer_a"]
    with pytest.raises(ConductError, match="不在本次评定范围"):
        awards.award_add(
            actor=officer,
            award_round=award_round,
            kind=AwardKind.RED_FLAG,
            unit=world.county_b,
            reason="x",
        )
    awards.flag_pass(actor=officer, award_round=award_round, unit=world.county, reason="提前完工")
    awards.flag_pass(actor=officer, award_round=award_round, unit=world.other_county, reason="改")
    with time_machine.travel(AFTER_Q3, tick=False):
        awards.round_publish(actor=officer, award_round=award_round)
        later = awards.round_open(actor=officer, owner=world.city_a, year=2026, quarter=4)
    awards.flag_pass(actor=officer, award_round=later, unit=world.county, reason="再夺红旗")
    with time_machine.travel(dt.datetime(2027, 1, 5, tzinfo=dt.UTC), tick=False):
        awards.round_publish(actor=officer, award_round=later)
    holders = [(h.round.quarter, h.unit) for h in flag_history(world.city_a)]
    assert holders == [(4, world.county), (3, world.other_county)]


def test_a_round_with_nothing_awarded_is_recorded_as_zero_harvest(world):
    officer = world.users["officer_a"]
    empty = awards.round_open(actor=officer, owner=world.city_a, year=2026, quarter=1)
    with (
        time_machine.travel(dt.datetime(2026, 2, 1, tzinfo=dt.UTC), tick=False),
        pytest.raises(ConductError, match="尚未结束"),
    ):
        awards.round_publish(actor=officer, award_round=empty)
    awards.round_publish(actor=officer, award_round=empty, note="本季度未收到线索")
    empty.refresh_from_db()
    assert empty.zero_harvest and empty.clues_received == 0
    page = Client().get(reverse("portal:conduct:round", args=[empty.pk])).content.decode()
    assert "零收获" in page and "本季度未收到线索" in page  # the office's published note


def test_clues_without_a_finding_are_zero_harvest_too(world, q3):
    award_round, _found, _false = q3
    with time_machine.travel(AFTER_Q3, tick=False):
        awards.round_publish(actor=world.users["officer_a"], award_round=award_round)
    award_round.refresh_from_db()
    assert award_round.zero_harvest
    assert (award_round.clues_received, award_round.clues_substantiated) == (3, 1)


def test_a_published_round_cannot_change(world, q3):
    award_round, found, _false = q3
    officer = world.users["officer_a"]
    with time_machine.travel(AFTER_Q3, tick=False):
        awards.round_publish(actor=officer, award_round=award_round)
    with pytest.raises(ConductError, match="已发布"):
        awards.award_add(
            actor=officer,
            award_round=award_round,
            kind=AwardKind.SNAIL,
            unit=found.unit,
            clue=found,
            reason="x",
        )


def test_rectification_is_closed_only_after_verification(world, q3):
    award_round, found, _false = q3
    officer = world.users["officer_a"]
    awards.award_add(
        actor=officer,
        award_round=award_round,
        kind=AwardKind.SNAIL,
        unit=found.unit,
        clue=found,
        reason="审批拖延",
    )
    with time_machine.travel(AFTER_Q3, tick=False):
        awards.round_publish(actor=officer, award_round=award_round)
    item = Rectification.objects.get()
    assert item.status == RectificationStatus.OPEN and item.unit == world.town
    with pytest.raises(ConductError):
        awards.rectification_verify(actor=officer, item=item, accept=True, opinion="同意")
    reporter = Client()
    reporter.force_login(world.users["reporter_town"])
    url = reverse("conduct:rectification", args=[item.pk])
    assert reporter.post(url, {"report": "建立限时办结制度"}).status_code == 302
    assert reporter.post(url, {"accept": "1", "opinion": "自己销号"}).status_code == 403
    item.refresh_from_db()
    assert item.status == RectificationStatus.REPORTED
    verifier = Client()
    verifier.force_login(officer)
    assert verifier.post(url, {"accept": "0", "opinion": "仍有超期件"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    awards.rectification_report(actor=world.users["reporter_town"], item=item, report="已全部办结")
    assert verifier.post(url, {"accept": "1", "opinion": "抽查无超期，同意销号"}).status_code == 302
    item.refresh_from_db()
    assert item.status == RectificationStatus.CLOSED and item.closed_by == officer


def test_the_person_record_shows_awards_and_findings(world, q3):
    award_round, found, _false = q3
    officer = world.users["officer_a"]
    awards.award_add(
        actor=officer,
        award_round=award_round,
        kind=AwardKind.SNAIL,
        unit=found.unit,
        clue=found,
        reason="审批拖延",
        points=Decimal("-2"),
        bonus=Decimal("-1500"),
    )
    with time_machine.travel(AFTER_Q3, tick=False):
        awards.round_publish(actor=officer, award_round=award_round)
    section = next(s for s in record_of(world.cadre) if s.key == "conduct.awards")
    refs = {e.ref: e for e in section.entries}
    award = award_round.awards.get()
    assert refs[f"conduct.award:{award.pk}"].negative
    assert "-2" in refs[f"conduct.award:{award.pk}"].outcome
    assert refs[f"conduct.clue:{found.pk}"].negative
    assert len(refs) == 2  # the unsubstantiated and false clues are not on his record


def test_false_accusations_are_offered_to_safeguards(world, q3):
    _round, _found, false = q3
    found = false_accusations(person_id=world.cadre.pk)
    assert [r.ref for r in found] == [f"conduct.clue:{false.pk}"]
    assert found[0].date == dt.date(2026, 8, 10) and "诬告陷害" in found[0].summary
    assert false_accusations(person_id=world.cadre.pk + 999) == []


def test_round_pages_are_for_the_scope_officers(world, q3):
    award_round, found, _false = q3
    url = reverse("conduct:round", args=[award_round.pk])
    inside, outside = Client(), Client()
    inside.force_login(world.users["officer_a"])
    outside.force_login(world.users["officer_b"])
    assert inside.get(url).status_code == 200
    assert outside.get(url).status_code == 403
    act = reverse("conduct:round_action", args=[award_round.pk, "snail"])
    assert outside.post(act, {"clue": found.pk, "reason": "x"}).status_code == 403
    assert (
        inside.post(act, {"clue": found.pk, "reason": "审批拖延", "points": "-2"}).status_code
        == 302
    )
    assert AwardRound.objects.get().awards.count() == 1


def test_verifying_before_the_unit_reports_is_refused_with_a_message(world, q3):
    award_round, found, _false = q3
    officer = world.users["officer_a"]
    awards.award_add(
        actor=officer,
        award_round=award_round,
        kind=AwardKind.SNAIL,
        unit=found.unit,
        clue=found,
        reason="审批拖延",
    )
    with time_machine.travel(AFTER_Q3, tick=False):
        awards.round_publish(actor=officer, award_round=award_round)
    item = Rectification.objects.get()
    client = Client()
    client.force_login(officer)
    url = reverse("conduct:rectification", args=[item.pk])
    response = client.post(url, {"accept": "1", "opinion": "同意"}, follow=True)
    assert response.status_code == 200 and "单位报送整改情况后才能验收" in response.content.decode()
    empty = client.post(url, {"opinion": ""}, follow=True)
    assert "请选择验收结论" in empty.content.decode()
    item.refresh_from_db()
    assert item.status == RectificationStatus.OPEN
    stranger = Client()
    stranger.force_login(world.users["officer_b"])
    assert stranger.post(url, {"opinion": ""}).status_code == 403


def test_saima_verify_names_altered_evidence_and_an_award_without_its_finding(world, q3):
    from saima.conduct.models import ClueEvidence
    from saima.conduct.verification import conduct_problems
    from tests.conduct.conftest import jpeg, upload

    award_round, found, _false = q3
    clue, _ = clues.clue_submit(data=world.input(), evidence=[upload(jpeg())])
    awards.award_add(
        actor=world.users["officer_a"],
        award_round=award_round,
        kind=AwardKind.SNAIL,
        unit=found.unit,
        clue=found,
        reason="拖延",
    )
    assert conduct_problems() == []
    ClueEvidence.objects.filter(clue=clue).update(content=b"tampered")
    Clue.objects.filter(pk=found.pk).update(status=ClueStatus.UNSUBSTANTIATED)
    problems = conduct_problems()
    assert len(problems) == 2
    assert f"线索 #{clue.pk}" in problems[0] and "蜗牛奖" in problems[1]


@pytest.mark.parametrize("field", ["clue", "unit", "person", "award"])
def test_hostile_ids_in_round_posts_are_refused_never_a_server_error(world, q3, field):
    award_round, _found, _false = q3
    client = Client()
    client.force_login(world.users["officer_a"])
    action = {"clue": "snail", "unit": "red_flag", "person": "red_flag", "award": "remove"}[field]
    data = {"reason": "x", "unit": world.town.pk, field: "1 OR 1=1"}
    response = client.post(reverse("conduct:round_action", args=[award_round.pk, action]), data)
    assert response.status_code == 404
    assert not award_round.awards.exists()
