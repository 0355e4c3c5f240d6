"""Who sees what (issue 10 §9), view by view: judges see only their own scores until reveal,
organisers and hosts everything of their contest, contestants their own result after reveal,
the public only released contests; watchers read but never act."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from saima.arena import services
from saima.arena.models import JudgeLink, Score
from saima.org.models import Role
from tests.arena.world import refresh
from tests.factories import user_with_role


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


# (view name, contest attribute, extra args) → for each visitor: the expected status
PAGES = [
    ("arena:contest", "running"),
    ("arena:contest_edit", "draft"),
    ("arena:judges", "running"),
    ("arena:results", "revealed"),
    ("arena:results", "released"),
    ("arena:results", "running"),
]
VISITORS = ["anonymous", "nobody", "organiser", "organiser_b", "viewer", "discipline", "presenter"]
# what each visitor gets, page by page (200 page, 403 forbidden, 404 not shown, 302 to login)
EXPECTED = {
    ("arena:contest", "running"): [404, 404, 200, 404, 200, 200, 404],
    ("arena:contest_edit", "draft"): [302, 404, 200, 404, 403, 403, 404],
    ("arena:judges", "running"): [302, 404, 200, 404, 403, 403, 404],
    ("arena:results", "revealed"): [404, 404, 200, 404, 200, 200, 200],
    # the public's results page is the portal's: visitors who do not watch the contest go there
    ("arena:results", "released"): [302, 302, 200, 302, 200, 200, 302],
    # a contestant may open the page before reveal: it says the result is not out yet
    ("arena:results", "running"): [404, 404, 200, 404, 200, 200, 200],
}


@pytest.mark.parametrize("name, contest", PAGES)
def test_the_page_matrix(world, client, name, contest, django_user_model):
    obj = getattr(world, contest)
    url = reverse(name, args=[obj.pk])
    got = []
    for visitor in VISITORS:
        client.logout()
        if visitor != "anonymous":
            client.force_login(world.users[visitor])
        got.append(client.get(url).status_code)
    assert got == EXPECTED[(name, contest)], str(got)


def test_watchers_may_not_act(world, client):
    for visitor in ("viewer", "discipline"):
        _login(client, world.users[visitor])
        url = reverse("arena:contest_action", args=[world.running.pk, "timer-start"])
        assert client.post(url).status_code == 403
        assert refresh(world.running).timer_state == "idle"


def test_a_contestant_sees_only_their_own_line_after_reveal(world, client):
    _login(client, world.users["presenter"])  # presents for 发改局
    html = client.get(reverse("arena:results", args=[world.revealed.pk])).content.decode()
    assert "发改局" in html and "商务局" not in html and "住建局" not in html
    assert "评委一致性" not in html and "导出" not in html
    export = client.get(reverse("arena:results", args=[world.revealed.pk]) + "?format=csv")
    assert export["Content-Type"].startswith("text/html")  # no export of a partial table


def test_a_reporter_of_the_contestant_unit_sees_its_line(world, client):
    reporter = user_with_role(Role.REPORTER, world.departments["商务局"], "rep_trade")
    _login(client, reporter)
    html = client.get(reverse("arena:results", args=[world.revealed.pk])).content.decode()
    assert "商务局" in html and "发改局" not in html


def test_judges_sheets_are_the_managers_until_reveal(world, client):
    _login(client, world.users["viewer"])
    html = client.get(reverse("arena:results", args=[world.running.pk])).content.decode()
    assert "评委评分明细" not in html
    _login(client, world.organiser)
    html = client.get(reverse("arena:results", args=[world.running.pk])).content.decode()
    assert "评委评分明细" in html


def test_the_public_never_sees_an_unreleased_contest_listed(world, client):
    html = client.get(reverse("arena:index")).content.decode()
    assert world.released.title in html
    for contest in (world.revealed, world.running, world.draft):
        assert contest.title not in html


# ---------------------------------------------------------------- judges


def _state(client, token):
    return client.get(reverse("arena:judge_state", args=[token])).json()


def test_a_judge_sees_only_their_own_scores(world, client):
    entry = refresh(world.running).current
    services.score_submit(
        seat=world.seats["县长"], contestant=entry, values={"progress": 44, "speech": 22}
    )
    state = _state(client, world.tokens["县长"])
    line = next(c for c in state["contestants"] if c["id"] == entry.pk)
    assert line["scores"] == {"progress": 44.0, "speech": 22.0}
    other = _state(client, world.tokens["局长甲"])
    line = next(c for c in other["contestants"] if c["id"] == entry.pk)
    assert line["scores"] == {}
    page = client.get(reverse("arena:judge", args=[world.tokens["局长甲"]])).content.decode()
    assert "44" not in page.split("judge-state")[1][:2000] or '"scores": {}' in page


def test_conflicts_are_shown_to_the_judge(world, client):
    state = _state(client, world.tokens["商务局长"])
    conflicts = {c["unit"]: c["conflict"] for c in state["contestants"]}
    assert conflicts["商务局"] == "本单位回避" and conflicts["发改局"] is None
    state = _state(client, world.tokens["局长丙"])
    assert "曾任住建局局长" in {c["unit"]: c["conflict"] for c in state["contestants"]}["住建局"]


def _submit(client, token, contestant_id, values):
    return client.post(
        reverse("arena:judge_submit", args=[token]),
        data=json.dumps({"contestant": contestant_id, "values": values}),
        content_type="application/json",
    )


def test_submitting_through_the_link(world, client):
    entry = refresh(world.running).current
    response = _submit(client, world.tokens["县长"], entry.pk, {"progress": 55, "speech": 38})
    assert response.status_code == 200 and response.json()["ok"]
    again = _submit(client, world.tokens["县长"], entry.pk, {"progress": 55, "speech": 38})
    assert again.json()["idempotent"]
    over = _submit(client, world.tokens["县长"], entry.pk, {"progress": 65, "speech": 38})
    assert over.status_code == 409 and "0 到 60" in over.json()["error"]
    bad = client.post(
        reverse("arena:judge_submit", args=[world.tokens["县长"]]),
        data="{not json",
        content_type="application/json",
    )
    assert bad.status_code == 400


def test_a_link_cannot_reach_another_contest(world, client):
    foreign = world.revealed.contestants.first()
    response = _submit(client, world.tokens["县长"], foreign.pk, {"progress": 1, "speech": 1})
    assert response.status_code == 404
    assert not Score.objects.filter(seat=world.seats["县长"]).exists()


def test_revoked_and_expired_links_stop(world, client):
    link = JudgeLink.objects.get(seat=world.seats["县长"], revoked_at__isnull=True)
    services.link_revoke(actor=world.organiser, link=link)
    assert client.get(reverse("arena:judge", args=[world.tokens["县长"]])).status_code == 410
    entry = refresh(world.running).current
    assert (
        _submit(client, world.tokens["县长"], entry.pk, {"progress": 1, "speech": 1}).status_code
        == 410
    )
    other = JudgeLink.objects.get(seat=world.seats["局长甲"], revoked_at__isnull=True)
    JudgeLink.objects.filter(pk=other.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    assert client.get(reverse("arena:judge", args=[world.tokens["局长甲"]])).status_code == 410


def test_guesses_are_throttled(world, client):
    for i in range(20):
        assert (
            client.get(reverse("arena:judge", args=[f"guess{i:04d}xxxxxxxxxxxxx"])).status_code
            == 404
        )
    assert client.get(reverse("arena:judge", args=["guess-more"])).status_code == 429
    # the throttled client is refused even with a good token; another client is not
    assert client.get(reverse("arena:judge", args=[world.tokens["县长"]])).status_code == 429
    other = client_from("10.0.0.9")
    assert other.get(reverse("arena:judge", args=[world.tokens["县长"]])).status_code == 200


def client_from(address: str):
    from django.test import Client

    return Client(REMOTE_ADDR=address)


def test_a_signed_in_judge_scores_their_own_seat_only(world, client):
    from saima.arena.models import JudgeSeat

    judge = world.users["judge"]
    seat = world.seats["书记"]
    JudgeSeat.objects.filter(pk=seat.pk).update(user=judge)
    _login(client, judge)
    assert client.get(reverse("arena:judge_login", args=[world.running.pk])).status_code == 200
    assert client.get(reverse("arena:judge_login", args=[world.revealed.pk])).status_code == 404
    entry = refresh(world.running).current
    response = client.post(
        reverse("arena:judge_login_submit", args=[world.running.pk]),
        data=json.dumps({"contestant": entry.pk, "values": {"progress": 51, "speech": 35}}),
        content_type="application/json",
    )
    assert response.json()["amended"] == 1
    assert Score.objects.get(seat=seat, criterion__code="progress").value == 51
    from saima.core.models import AuditEvent

    event = AuditEvent.objects.filter(action="arena.score.amend").latest("seq")
    assert event.actor_id == judge.pk


def test_hostile_sheets_get_a_clear_refusal(world, client):
    entry = refresh(world.running).current
    token = world.tokens["县长"]
    cases = [
        {"progress": {"nested": 1}, "speech": 1},
        {"progress": "Infinity", "speech": 1},
        {"progress": "1e999999999", "speech": 1},
        {"progress": "9" * 5000, "speech": 1},
        {"progress": None, "speech": 1},
        {**{f"k{i}": 1 for i in range(2000)}, "progress": 1, "speech": 1},
    ]
    for values in cases:
        response = _submit(client, token, entry.pk, values)
        assert response.status_code == 409, (values, response.content[:200])
        assert len(response.json()["error"]) < 300
    for body in ('{"contestant": [1], "values": {}}', '{"contestant": 1, "values": [1, 2]}', "[]"):
        response = client.post(
            reverse("arena:judge_submit", args=[token]), data=body, content_type="application/json"
        )
        assert response.status_code in (400, 404), body
    assert not Score.objects.filter(seat=world.seats["县长"]).exists()
