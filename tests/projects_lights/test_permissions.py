"""Who sees and does what (permission matrix: role × view × own/other unit).

杭州市 (city A) runs the list. Its organiser manages; its viewer and discipline officer watch;
上城区's reporter sees its own projects' cards and supervision (P3 is in 上城区, P5 in 淳安县)
and writes progress notes on them; 丽水市's organiser and reporter, a user without a role and
the public see only what is published.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from saima.org.models import Role
from saima.projects.models import Exemption, SupervisionItem
from saima.projects.ratings import services as ratings
from tests.factories import build_small_province, user_with_role
from tests.projects_lights.samples import build_lights_samples

USERS = (
    "anonymous",
    "nobody",
    "organiser",
    "viewer",
    "discipline",
    "reporter",
    "organiser_b",
    "reporter_b",
)
WATCHERS = {"organiser", "viewer", "discipline"}
EVERYONE = set(USERS)


@pytest.fixture
def s(db):
    base = build_small_province()
    base["users"]["organiser_b"] = user_with_role(Role.ORGANISER, base["city_b"], "org_ls")
    base["users"]["reporter_b"] = user_with_role(Role.REPORTER, base["county_b1"], "rep_jy")
    samples = build_lights_samples(base)
    q2 = ratings.rating_publish(actor=base["users"]["organiser"], rating=samples.proposed)
    samples.users = base["users"]  # type: ignore[attr-defined]
    samples.q2 = q2  # type: ignore[attr-defined]
    samples.p3_item = SupervisionItem.objects.get(project=samples.world.projects["P3"])  # type: ignore[attr-defined]
    return samples


def client_for(s, who: str) -> Client:
    client = Client()
    if who != "anonymous":
        client.force_login(s.users[who])
    return client


PAGES = {
    "progress": (lambda s: reverse("projects:progress", args=[s.plist.code]), EVERYONE),
    "progress-unpublished": (lambda s: reverse("projects:progress", args=[s.quiet.code]), WATCHERS),
    "locality": (
        lambda s: reverse("projects:locality", args=[s.plist.code, s.locality.code]),
        EVERYONE,
    ),
    "rules": (lambda s: reverse("projects:rules", args=[s.plist.code]), WATCHERS),
    "commendations": (lambda s: reverse("projects:commendations", args=[s.plist.code]), EVERYONE),
    "rating-published": (lambda s: reverse("projects:rating", args=[s.published.pk]), EVERYONE),
    "cards": (lambda s: reverse("projects:cards", args=[s.plist.code]), WATCHERS),
    "card-own-unit": (
        lambda s: reverse("projects:card", args=[s.yellow_card.pk]),
        WATCHERS | {"reporter"},
    ),
    "card-other-unit": (lambda s: reverse("projects:card", args=[s.snail_card.pk]), WATCHERS),
    "supervision": (lambda s: reverse("projects:supervision", args=[s.plist.code]), WATCHERS),
    "item-own-unit": (
        lambda s: reverse("projects:supervision_item", args=[s.p3_item.pk]),
        WATCHERS | {"reporter"},
    ),
    "item-other-unit": (lambda s: reverse("projects:supervision_item", args=[s.item.pk]), WATCHERS),
    "letter-own-unit": (
        lambda s: reverse("projects:supervision_letter", args=[s.p3_item.pk]),
        WATCHERS | {"reporter"},
    ),
    "incentives": (lambda s: reverse("projects:incentives", args=[s.plist.code]), WATCHERS),
}


# public pages whose visitors (not signed in) are sent to the same page on the portal
ON_THE_PORTAL = {"progress", "locality", "rating-published"}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_admits_exactly_its_readers(s, page):
    url_of, readers = PAGES[page]
    url = url_of(s)
    for who in USERS:
        status = client_for(s, who).get(url).status_code
        expected = 200 if who in readers else 404
        if who == "anonymous" and page in ON_THE_PORTAL:
            expected = 302
        assert status == expected, (page, who, status)


def test_visitors_read_the_public_pages_on_the_portal_in_their_language(s):
    visitor = client_for(s, "anonymous")
    pages = {
        reverse("projects:progress", args=[s.plist.code]): f"/en/portal/projects/{s.plist.code}/",
        reverse("projects:locality", args=[s.plist.code, s.locality.code]): (
            f"/en/portal/projects/{s.plist.code}/localities/{s.locality.code}/"
        ),
        reverse("projects:rating", args=[s.published.pk]): (
            f"/en/portal/projects/{s.plist.code}/quarters/{s.published.quarter}/"
        ),
    }
    for app_url, portal_url in pages.items():
        response = visitor.get(app_url, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 302 and response["Location"] == portal_url, app_url
        assert visitor.get(portal_url).status_code == 200, portal_url


def test_the_unpublished_and_the_exports_are_not_sent_to_the_portal(s):
    visitor = client_for(s, "anonymous")
    assert visitor.get(reverse("projects:progress", args=[s.quiet.code])).status_code == 404
    url = reverse("projects:locality", args=[s.plist.code, s.locality.code])
    response = visitor.get(url + "?format=csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")


def test_the_public_sees_published_months_only_and_no_spi(s):
    url = reverse("projects:locality", args=[s.plist.code, s.locality.code])
    public = client_for(s, "nobody").get(url).content.decode()
    internal = client_for(s, "reporter").get(url).content.decode()
    assert "7月" not in public and "7月" in internal  # month 7 computed, not published
    assert "SPI" not in public and "SPI" in internal


def test_the_public_progress_hub_hides_the_unpublished_month_and_the_steps(s):
    url = reverse("projects:progress", args=[s.plist.code])
    public = client_for(s, "organiser_b").get(url).content.decode()
    own = client_for(s, "organiser").get(url).content.decode()
    assert "已计算，未发布" not in public and "已计算，未发布" in own
    assert "progress/compute/" not in public and "progress/compute/" in own


STEPS = {
    "compute": (
        lambda s: reverse("projects:progress_action", args=[s.plist.code, "compute"]),
        {"month": 8},
    ),
    "incentives": (
        lambda s: reverse("projects:progress_action", args=[s.plist.code, "incentives"]),
        {},
    ),
    "decide": (lambda s: reverse("projects:card_action", args=[s.yellow_card.pk, "decide"]), {}),
    "close": (
        lambda s: reverse("projects:supervision_action", args=[s.p3_item.pk, "close"]),
        {"note": "已整改"},
    ),
}
# who is refused how: watchers and the own unit see the object but hold no right (403),
# strangers do not see it (404), anonymous visitors are sent to log in (302)
REFUSED = {"viewer": 403, "discipline": 403, "nobody": 404, "organiser_b": 404, "reporter_b": 404}


@pytest.mark.parametrize("step", sorted(STEPS))
def test_each_step_is_the_list_managers_only(s, step):
    url_of, payload = STEPS[step]
    url = url_of(s)
    for who in USERS:
        if who == "organiser":
            continue
        status = client_for(s, who).post(url, payload).status_code
        expected = 302 if who == "anonymous" else REFUSED.get(who, 403)
        if who == "reporter":
            expected = 403 if step in {"decide", "close"} else 404
        assert status == expected, (step, who, status)
    assert client_for(s, "organiser").post(url, payload).status_code == 302


def test_the_projects_unit_writes_progress_notes_on_its_own_items_only(s):
    reporter = client_for(s, "reporter")
    own = reverse("projects:supervision_action", args=[s.p3_item.pk, "note"])
    other = reverse("projects:supervision_action", args=[s.item.pk, "note"])
    assert reporter.post(own, {"text": "本月已完成投资 300 万元"}).status_code == 302
    assert s.p3_item.notes.get().text == "本月已完成投资 300 万元"
    assert reporter.post(other, {"text": "x"}).status_code == 404
    assert not s.item.notes.exists()


def test_an_other_units_project_code_is_refused_in_an_exemption(s):
    organiser = client_for(s, "organiser")
    url = reverse("projects:progress_action", args=[s.plist.code, "exempt"])
    response = organiser.post(
        url, {"project": s.world.other_project.code, "month": 3, "reason": "x"}
    )
    assert response.status_code == 404
    assert not Exemption.objects.exists()


def test_the_pages_read_in_english(s):
    client = client_for(s, "organiser")
    hub = client.get(reverse("projects:progress", args=[s.plist.code]), HTTP_ACCEPT_LANGUAGE="en")
    grid = client.get(
        reverse("projects:locality", args=[s.plist.code, s.locality.code]),
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "Lights by locality" in hub.content.decode()
    assert "Computed, not published" in hub.content.decode()
    assert "Projects × months" in grid.content.decode()
    assert "月亮灯" not in grid.content.decode().split("<main", 1)[-1]
