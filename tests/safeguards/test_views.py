"""The pages used as users use them: forms posted, errors shown, steps taken once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saima.core.models import AuditEvent
from saima.safeguards.models import ApplicationStatus, ClarificationCase, ToleranceApplication
from saima.safeguards.tolerance import services


def test_a_cadre_applies_and_an_officer_reviews_and_decides_through_the_pages(world, client):
    client.force_login(world.users["cadre"])
    response = client.post(
        reverse("safeguards:application_new", args=[world.people["张三"].pk]),
        {"item": world.item.pk, "facts": "先行先试出现失误", "remedy": "已挽回"},
    )
    application = ToleranceApplication.objects.get()
    assert response.status_code == 302 and application.origin == "person"
    client.force_login(world.users["officer"])
    url = reverse("safeguards:application_action", args=[application.pk, "accept"])
    client.post(url)
    for condition in services.checklist_of(application):
        holds = "0" if condition.is_red_line else "1"
        client.post(
            reverse("safeguards:application_action", args=[application.pk, "assess"]),
            {"condition": condition.pk, "holds": holds, "reason": "经核查"},
        )
    page = client.get(reverse("safeguards:application", args=[application.pk])).content.decode()
    assert "作出决定" in page
    client.post(
        reverse("safeguards:application_action", args=[application.pk, "decide"]),
        {"outcome": "tolerated", "reason": "符合容错条件"},
    )
    assert ToleranceApplication.objects.get().status == ApplicationStatus.TOLERATED


def test_a_refused_step_is_explained_on_the_page_and_changes_nothing(world, client):
    application = world.reviewed(red_line=0)
    client.force_login(world.users["officer"])
    before = AuditEvent.objects.count()
    response = client.post(
        reverse("safeguards:application_action", args=[application.pk, "decide"]),
        {"outcome": "tolerated", "reason": "容错"},
        follow=True,
    )
    assert "只能不予容错" in response.content.decode()
    assert AuditEvent.objects.count() == before
    assert ToleranceApplication.objects.get(pk=application.pk).status == "under_review"


def test_an_oversize_statement_is_refused_with_the_field_named(world, client):
    client.force_login(world.users["officer"])
    url = reverse("safeguards:case_new", args=[world.people["张三"].pk])
    response = client.post(url, {"allegation": "长" * 6000, "petitions": 1})
    assert response.status_code == 200
    assert "5000" in response.content.decode()
    assert not ClarificationCase.objects.exists()


def test_text_is_escaped_on_every_page(world, client):
    application = world.apply(facts="<script>alert(1)</script>")
    client.force_login(world.users["officer"])
    page = client.get(reverse("safeguards:application", args=[application.pk])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_case_page_offers_only_the_steps_its_state_allows(world, client):
    client.force_login(world.users["officer"])
    url = reverse("safeguards:case_new", args=[world.people["李四"].pk])
    client.post(url, {"allegation": "反映其作风粗暴", "petitions": 3})
    case = ClarificationCase.objects.get()
    page = client.get(reverse("safeguards:case", args=[case.pk])).content.decode()
    assert (
        "登记核实结论" in page and f'action="/safeguards/cases/{case.pk}/do/clarify/"' not in page
    )
    client.post(
        reverse("safeguards:case_action", args=[case.pk, "verify"]),
        {"finding": "false_accusation", "verification": "诬告"},
    )
    page = client.get(reverse("safeguards:case", args=[case.pk])).content.decode()
    assert "本人尚未书面同意公开通报" in page
    response = client.post(
        reverse("safeguards:case_action", args=[case.pk, "clarify"]),
        {"form": "notice", "statement": "通报"},
        follow=True,
    )
    assert "须本人书面同意" in response.content.decode()
    assert ClarificationCase.objects.get().status == "verified"


@pytest.mark.parametrize("language, text", [("en", "Fault tolerance"), ("zh-hans", "容错与澄清")])
def test_the_overview_reads_in_both_languages(world, client, language, text):
    client.force_login(world.users["officer"])
    client.cookies["django_language"] = language
    assert text in client.get(reverse("safeguards:index")).content.decode()


def test_the_officer_home_panel_shows_the_work_waiting(world, client):
    world.apply()
    client.force_login(world.users["officer"])
    page = client.get(reverse("home")).content.decode()
    assert "容错申请待受理" in page and reverse("safeguards:index") in page
