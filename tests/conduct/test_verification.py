"""Verification by discipline officers of the scope only, never about themselves or their own
unit; every read of a clue is audited; the steps as action objects."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from saima.conduct import actions, clues
from saima.conduct.errors import ConductError
from saima.conduct.models import Clue, ClueSource, ClueStatus
from saima.conduct.selectors import clues_for, eligible_assignees
from saima.core.models import AuditEvent
from tests.conduct.conftest import jpeg, submit, upload


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_every_read_of_a_clue_is_audited_with_the_reader(world):
    clue, _code = submit(world)
    officer = world.users["officer_a"]
    client = _client(officer)
    for _ in range(2):
        assert client.get(reverse("conduct:clue", args=[clue.pk])).status_code == 200
    reads = AuditEvent.objects.filter(action="conduct.clue.read", object_id=str(clue.pk))
    assert reads.count() == 2 and {e.actor_id for e in reads} == {officer.pk}
    assert reads.first().scope == world.town.path
    client.get(reverse("conduct:index"))
    listed = AuditEvent.objects.get(action="conduct.clue.list")
    assert listed.after == {"clues": [clue.pk]}


def test_evidence_is_served_to_the_handler_only_and_each_view_is_audited(world):
    clue, _ = clues.clue_submit(data=world.input(), evidence=[upload(jpeg())])
    url = reverse("conduct:clue_evidence", args=[clue.pk, 1])
    response = _client(world.users["officer_a"]).get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert AuditEvent.objects.filter(action="conduct.clue.evidence").count() == 1
    assert _client(world.users["officer_b"]).get(url).status_code == 403
    assert AuditEvent.objects.filter(action="conduct.clue.evidence").count() == 1


def test_a_refused_reader_leaves_no_read_event_and_sees_nothing(world):
    clue, _ = submit(world)
    for name in ("officer_b", "reporter_town", "nobody", "organiser"):
        response = _client(world.users[name]).get(reverse("conduct:clue", args=[clue.pk]))
        assert response.status_code == 403, name
        assert clue.summary not in response.content.decode()
    assert not AuditEvent.objects.filter(action="conduct.clue.read").exists()


def test_an_officer_never_handles_a_clue_about_their_own_unit(world):
    about_county, _ = submit(world, unit=world.county)  # the officer's own unit
    about_town, _ = submit(world)  # a town under it: fine
    officer = world.users["officer_county"]
    assert list(clues_for(officer)) == [about_town]
    client = _client(officer)
    assert client.get(reverse("conduct:clue", args=[about_county.pk])).status_code == 403
    assert client.get(reverse("conduct:clue", args=[about_town.pk])).status_code == 200
    assert officer not in eligible_assignees(about_county)
    with pytest.raises(ConductError):
        clues.clue_assign(actor=world.users["officer_a"], clue=about_county, assignee=officer)


def test_an_officer_never_handles_a_clue_about_themselves(world):
    about_him, _ = submit(world, person=world.cadre)
    cadre_officer = world.users["officer_cadre"]
    assert about_him not in clues_for(cadre_officer)
    assert not actions.StartClue(cadre_officer, about_him).permitted()
    response = _client(cadre_officer).post(
        reverse("conduct:clue_action", args=[about_him.pk, "assign"]),
        {"assignee": cadre_officer.pk},
    )
    assert response.status_code == 403
    assert Clue.objects.get(pk=about_him.pk).status == ClueStatus.NEW


def test_officers_of_another_city_are_refused_every_step(world):
    clue, _ = submit(world)
    stranger = _client(world.users["officer_b"])
    for step in actions.CLUE_ACTIONS:
        url = reverse("conduct:clue_action", args=[clue.pk, step])
        assert (
            stranger.post(url, {"text": "x", "assignee": world.users["officer_b"].pk}).status_code
            == 403
        )
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.NEW


def test_the_whole_verification_through_the_pages(world):
    clue, _ = submit(world)
    officer = world.users["officer_a"]
    client = _client(officer)

    def step(name: str, **data: object) -> None:
        response = client.post(reverse("conduct:clue_action", args=[clue.pk, name]), data)
        assert response.status_code == 302

    step("assign", assignee=officer.pk)
    step("start")
    step("note", text="调取审批台账")
    step("ask", text="请问哪个项目？")
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.AWAITING_ANSWER
    step("resume")
    step("decide", decision=ClueStatus.SUBSTANTIATED, findings="审批超期 60 天，属实")
    clue.refresh_from_db()
    assert clue.status == ClueStatus.SUBSTANTIATED and clue.decided_by == officer
    actions_done = list(
        AuditEvent.objects.filter(object_id=str(clue.pk), object_type="conduct.clue")
        .exclude(action="conduct.clue.read")
        .values_list("action", flat=True)
    )
    assert actions_done == [
        "conduct.clue.submit",
        "conduct.clue.assign",
        "conduct.clue.start",
        "conduct.clue.note",
        "conduct.clue.ask",
        "conduct.clue.resume",
        "conduct.clue.decide",
    ]


def test_only_the_assignee_investigates(world):
    clue, _ = submit(world)
    officer, colleague = world.users["officer_a"], world.users["officer_county"]
    clue = clues.clue_assign(actor=officer, clue=clue, assignee=colleague)
    start = actions.StartClue(officer, clue)
    assert start.permitted() and "承办" in (start.why_not() or "")
    with pytest.raises(ConductError):
        clues.clue_start(actor=officer, clue=clue)
    assert clues.clue_start(actor=colleague, clue=clue).status == ClueStatus.INVESTIGATING


def test_a_decision_needs_findings_and_a_known_outcome(world):
    clue, _ = submit(world)
    officer = world.users["officer_a"]
    clues.clue_assign(actor=officer, clue=clue, assignee=officer)
    clues.clue_start(actor=officer, clue=clue)
    with pytest.raises(ConductError, match="事实和依据"):
        clues.clue_decide(actor=officer, clue=clue, decision=ClueStatus.SUBSTANTIATED, findings=" ")
    with pytest.raises(ConductError, match="核查结论"):
        clues.clue_decide(actor=officer, clue=clue, decision="new", findings="x")


def test_no_question_goes_to_a_clue_without_a_receipt(world):
    officer = world.users["officer_a"]
    clue = clues.clue_enter(
        actor=officer,
        data=world.input(anonymous=False, submitter_name="王五"),
        source=ClueSource.INSPECTION,
    )
    clues.clue_assign(actor=officer, clue=clue, assignee=officer)
    clues.clue_start(actor=officer, clue=clue)
    assert "回执码" in (actions.AskSubmitter(officer, clue).why_not() or "")


def test_officers_enter_clues_from_their_sources_and_scope_only(world):
    officer = world.users["officer_a"]
    with pytest.raises(ConductError, match="来源"):
        clues.clue_enter(actor=officer, data=world.input(), source=ClueSource.SOLICITATION)
    with pytest.raises(ConductError, match="范围"):
        clues.clue_enter(
            actor=officer, data=world.input(unit=world.county_b), source=ClueSource.REFERRAL
        )
    client = _client(officer)
    response = client.post(
        reverse("conduct:clue_new"),
        {
            "source": ClueSource.REFERRAL,
            "unit": world.town.pk,
            "summary": "上级转办",
            "account": "省纪委转来",
            "anonymous": "1",
        },
    )
    assert response.status_code == 302
    assert Clue.objects.get().entered_by == officer


def test_formula_text_is_stored_and_shown_as_text(world):
    clue, _ = submit(
        world, summary='=HYPERLINK("http://x","y")', account="<script>alert(1)</script>"
    )
    page = _client(world.users["officer_a"]).get(reverse("conduct:clue", args=[clue.pk]))
    html = page.content.decode()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html


def test_the_home_panel_counts_new_clues_and_the_officers_own(world):
    first, _ = submit(world)
    submit(world)
    officer = world.users["officer_a"]
    clues.clue_assign(actor=officer, clue=first, assignee=officer)
    page = _client(officer).get(reverse("home")).content.decode()
    assert "待分派 1 条，由您承办未办结 1 条" in page


@pytest.mark.parametrize("value", ["abc", "1e3", "-1", "９", "99999999999999999999999", ""])
def test_hostile_ids_in_posts_are_refused_never_a_server_error(world, value):
    clue, _ = submit(world)
    client = _client(world.users["officer_a"])
    response = client.post(
        reverse("conduct:clue_action", args=[clue.pk, "assign"]), {"assignee": value}
    )
    assert response.status_code == 302
    assert Clue.objects.get(pk=clue.pk).status == ClueStatus.NEW
