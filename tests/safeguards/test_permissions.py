"""The permission matrix over every safeguards view: each kind of visitor, other units' ids in
every URL, and refused POSTs that change nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pytest
from django.urls import reverse

from saima.core.models import AuditEvent
from saima.safeguards.clarification import services as clarification
from saima.safeguards.models import ClarificationCase, Condition, ToleranceApplication

ACTORS = (
    "anonymous",
    "nobody",
    "reporter",
    "viewer",
    "organiser",
    "organiser_b",
    "officer",
    "officer2",
    "officer_b",
    "officer_local",
    "cadre",
    "superuser",
)
WORKERS = {
    "organiser",
    "organiser_b",
    "officer",
    "officer2",
    "officer_b",
    "officer_local",
    "cadre",
    "superuser",
}
OVER_ZHANG = {"officer", "officer2", "officer_local", "superuser"}  # discipline over 上城区


@dataclass(frozen=True)
class View:
    name: str
    args: Any = ()  # a function of the objects
    query: str = ""
    admitted: frozenset[str] = field(default_factory=frozenset)
    refused_with: int = 404  # what a signed-in stranger gets

    def url(self, objects: dict[str, Any]) -> str:
        args = self.args(objects) if callable(self.args) else self.args
        return reverse(self.name, args=args) + self.query


def _objects(world) -> dict[str, Any]:
    zhang = world.people["张三"]
    application = world.apply(actor="officer2")
    case = clarification.case_open(actor=world.users["officer2"], person=zhang, allegation="反映")
    public = clarification.case_verify(
        actor=world.users["officer"], case=case, finding="false_accusation", verification="诬告"
    )
    clarification.consent_record(
        actor=world.users["officer"], case=public, given_on=public.opened_at.date()
    )
    public = clarification.case_clarify(
        actor=world.users["officer"], case=public, form="notice", statement="通报"
    )
    private = clarification.case_open(
        actor=world.users["officer2"], person=zhang, allegation="另一反映"
    )
    return {
        "zhang": zhang,
        "application": application,
        "case": private,
        "public": public,
        "item": world.item,
    }


VIEWS = [
    View("safeguards:index", admitted=frozenset(WORKERS), refused_with=403),
    View("safeguards:people", admitted=frozenset(WORKERS), refused_with=403),
    View("safeguards:items", admitted=frozenset(WORKERS), refused_with=403),
    View("safeguards:checklist", admitted=frozenset(WORKERS), refused_with=403),
    View("safeguards:cases", admitted=frozenset(WORKERS), refused_with=403),
    View(
        "safeguards:person",
        lambda o: [o["zhang"].pk],
        admitted=frozenset(OVER_ZHANG | {"organiser", "cadre"}),
    ),
    View(
        "safeguards:person_export",
        lambda o: [o["zhang"].pk],
        admitted=frozenset(OVER_ZHANG | {"organiser", "cadre"}),
    ),
    View(
        "safeguards:item",
        lambda o: [o["item"].pk],
        admitted=frozenset(OVER_ZHANG | {"organiser", "cadre"}),
    ),
    View(
        "safeguards:application_new",
        lambda o: [o["zhang"].pk],
        admitted=frozenset(OVER_ZHANG | {"cadre"}),
        refused_with=403,
    ),
    View(
        "safeguards:case_new",
        lambda o: [o["zhang"].pk],
        admitted=frozenset(OVER_ZHANG | {"cadre"}),
        refused_with=403,
    ),
    View(
        "safeguards:application",
        lambda o: [o["application"].pk],
        admitted=frozenset(OVER_ZHANG | {"cadre"}),
    ),
    View("safeguards:case", lambda o: [o["case"].pk], admitted=frozenset(OVER_ZHANG | {"cadre"})),
    # the public notices are the portal's pages now (the app's old addresses redirect there)
    View("portal:clarification:list", admitted=frozenset(ACTORS)),
    View("portal:clarification:notice", lambda o: [o["public"].pk], admitted=frozenset(ACTORS)),
    View("portal:clarification:notice", lambda o: [o["case"].pk], admitted=frozenset()),
]


def _url(view: View, objects) -> str:
    return view.url(objects).replace("{zhang}", str(objects["zhang"].pk))


@pytest.mark.parametrize("view", VIEWS, ids=lambda v: v.name + v.query)
def test_each_view_admits_exactly_whom_it_should(world, client, view):
    objects = _objects(world)
    url = _url(view, objects)
    for actor in ACTORS:
        client.logout()
        if actor != "anonymous":
            client.force_login(world.users[actor])
        status = client.get(url).status_code
        if actor in view.admitted:
            assert status == 200, f"{actor} got {status} for {url}"
        elif actor == "anonymous" and view.admitted != frozenset():
            assert status == 302, f"anonymous got {status} for {url}"
        elif not view.admitted:
            assert status == 404, f"{actor} got {status} for {url}"
        else:
            assert status == view.refused_with, f"{actor} got {status} for {url}"


def _state():
    return (
        AuditEvent.objects.count(),
        list(ToleranceApplication.objects.values_list("status", flat=True).order_by("pk")),
        list(ClarificationCase.objects.values_list("status", flat=True).order_by("pk")),
        list(Condition.objects.values_list("text", "active").order_by("pk")),
    )


POSTS = [
    ("safeguards:application_action", lambda o: [o["application"].pk, "accept"], {}),
    (
        "safeguards:case_action",
        lambda o: [o["case"].pk, "verify"],
        {"finding": "untrue", "verification": "x"},
    ),
    ("safeguards:case_action", lambda o: [o["public"].pk, "withdraw"], {}),
    ("safeguards:item", lambda o: [o["item"].pk], {"kind": "criterion", "text": "新条目"}),
    ("safeguards:checklist", lambda o: [], {"kind": "criterion", "text": "新条目"}),
    ("safeguards:items", lambda o: [], {"owner": "", "name": "事项"}),
]


@pytest.mark.parametrize("stranger", ["officer_b", "organiser_b", "nobody", "reporter", "viewer"])
def test_a_stranger_posting_to_any_view_changes_nothing(world, client, stranger):
    objects = _objects(world)
    client.force_login(world.users[stranger])
    before = _state()
    for name, args, data in POSTS:
        response = client.post(reverse(name, args=args(objects)), data)
        assert response.status_code in (200, 302, 403, 404), (name, response.status_code)
    assert _state() == before


def test_the_person_may_not_review_their_own_application_or_case(world, client):
    objects = _objects(world)
    client.force_login(world.users["cadre"])
    before = _state()
    for url in (
        reverse("safeguards:application_action", args=[objects["application"].pk, "accept"]),
        reverse("safeguards:case_action", args=[objects["case"].pk, "verify"]),
    ):
        assert (
            client.post(url, {"finding": "untrue", "verification": "我没有问题"}).status_code == 403
        )
    assert _state() == before


def test_a_city_officer_may_not_edit_the_default_checklist_but_a_superuser_may(world, client):
    client.force_login(world.users["officer"])
    data = {"kind": "criterion", "text": "新条目"}
    assert client.post(reverse("safeguards:checklist"), data).status_code == 403
    client.force_login(world.users["superuser"])
    assert client.post(reverse("safeguards:checklist"), data).status_code == 302
    assert Condition.objects.filter(item=None, text="新条目").exists()


@pytest.mark.parametrize(
    "url",
    [
        "/safeguards/people/99999999999999999999999/tolerance/",
        "/safeguards/people/999999/clarification/",
        "/safeguards/applications/999999/",
        "/safeguards/cases/999999/",
        "/safeguards/people/999999/",
        "/safeguards/notices/999999/",
    ],
)
def test_malformed_or_unknown_ids_are_a_404_never_a_500(world, client, url):
    client.force_login(world.users["officer"])
    assert client.get(url).status_code == 404


def test_an_unknown_step_is_a_404_and_get_is_refused(world, client):
    objects = _objects(world)
    client.force_login(world.users["officer"])
    application = objects["application"].pk
    assert (
        client.post(
            reverse("safeguards:application_action", args=[application, "delete"])
        ).status_code
        == 404
    )
    assert (
        client.get(
            reverse("safeguards:application_action", args=[application, "accept"])
        ).status_code
        == 405
    )
    toggle = {"toggle": "1 OR 1=1"}
    assert (
        client.post(reverse("safeguards:item", args=[objects["item"].pk]), toggle).status_code
        == 404
    )
