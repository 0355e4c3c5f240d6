"""The board and console pages and the console's action view: who gets what (a permission
matrix over every view), what the pages carry, and how the buttons act."""

from __future__ import annotations

from django.urls import reverse

from saima.arena.models import Contest, ContestStatus, TimerState
from saima.core.models import AuditEvent
from tests.arena.world import refresh

EVERYONE = ("anonymous", "nobody", "organiser_b", "reporter", "judge", "viewer", "discipline")


def visit(client, world, who: str):
    if who == "anonymous":
        client.logout()
    else:
        user = world.organiser if who == "organiser" else world.users[who]
        client.force_login(user)
    return client


# ---------------------------------------------------------------- the matrix


BOARD_RUNNING = {"organiser": 200, "superuser": 200, "viewer": 200, "discipline": 200}


def test_who_sees_the_board_of_a_running_contest(world, client):
    url = reverse("arena_live:board", args=[world.running.pk])
    for who in (*EVERYONE, "organiser", "superuser"):
        assert visit(client, world, who).get(url).status_code == BOARD_RUNNING.get(who, 404), who


def test_everyone_sees_the_board_of_a_released_contest_with_its_ranking(world, client):
    url = reverse("arena_live:board", args=[world.released.pk])
    for who in (*EVERYONE, "organiser"):
        response = visit(client, world, who).get(url)
        assert response.status_code == 200, who
        rows = response.context["live_state"]["results"]["rows"]
        assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)


def test_only_managers_open_the_console(world, client):
    for contest in (world.running, world.released):
        url = reverse("arena_live:console", args=[contest.pk])
        for who in (*EVERYONE, "organiser", "superuser"):
            expected = 200 if who in ("organiser", "superuser") else 404
            assert visit(client, world, who).get(url).status_code == expected, who


def test_only_managers_take_console_actions_and_strangers_change_nothing(world, client):
    url = reverse("arena_live:console_action", args=[world.running.pk, "timer-start"])
    for who in (*EVERYONE, "organiser"):
        before = AuditEvent.objects.count()
        response = visit(client, world, who).post(url)
        contest = refresh(world.running)
        if who == "organiser":
            assert response.status_code == 302
            assert contest.timer_state == TimerState.RUNNING
            assert AuditEvent.objects.count() == before + 1
        else:
            assert response.status_code == 404, who
            assert contest.timer_state == TimerState.IDLE
            assert AuditEvent.objects.count() == before


def test_the_qr_code_exists_only_for_released_results(world, client):
    client.force_login(world.organiser)
    for contest in (world.running, world.revealed, world.draft):
        assert client.get(reverse("arena_live:board_qr", args=[contest.pk])).status_code == 404


def test_the_qr_code_of_a_released_board_is_an_svg(world, client):
    response = client.get(reverse("arena_live:board_qr", args=[world.released.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert b"<svg" in response.content and b"http://www.w3.org/2000/svg" in response.content


# ---------------------------------------------------------------- the console's buttons


def post_fetch(client, contest: Contest, name: str, **data):
    return client.post(
        reverse("arena_live:console_action", args=[contest.pk, name]),
        data,
        HTTP_X_REQUESTED_WITH="fetch",
    )


def test_a_refused_step_answers_its_reason_and_changes_nothing(world, client):
    client.force_login(world.organiser)
    before = AuditEvent.objects.count()
    response = post_fetch(client, world.running, "reveal")
    assert response.status_code == 409
    assert "结束评分" in response.json()["message"]
    assert refresh(world.running).status == ContestStatus.RUNNING
    assert AuditEvent.objects.count() == before


def test_a_step_on_a_contestant_of_another_contest_is_not_found(world, client):
    client.force_login(world.organiser)
    elsewhere = world.draft.contestants.first()
    for value in (str(elsewhere.pk), "", "abc", "1 OR 1=1", "-1", "=cmd|' /C calc'!A0"):
        response = post_fetch(client, world.running, "call", contestant=value)
        assert response.status_code == 404, value
    assert refresh(world.running).current_id != elsewhere.pk


def test_an_unknown_step_is_not_found_and_a_get_is_refused(world, client):
    client.force_login(world.organiser)
    assert post_fetch(client, world.running, "delete-everything").status_code == 404
    url = reverse("arena_live:console_action", args=[world.running.pk, "timer-start"])
    assert client.get(url).status_code == 405


def test_the_host_runs_a_contestant_through_the_console(world, client):
    client.force_login(world.organiser)
    contest = world.running
    second = contest.contestants.exclude(pk=contest.current_id).order_by("position").first()
    assert post_fetch(client, contest, "call", contestant=second.pk).json()["ok"]
    assert refresh(contest).current_id == second.pk
    assert post_fetch(client, contest, "timer-start").json()["ok"]
    assert post_fetch(client, contest, "timer-pause").json()["ok"]
    assert refresh(contest).timer_state == TimerState.PAUSED
    assert post_fetch(client, contest, "scoring-open", contestant=second.pk).json()["ok"]
    assert refresh(second).scoring == "open"
    assert post_fetch(client, contest, "scoring-close", contestant=second.pk).json()["ok"]
    assert post_fetch(client, contest, "close").json()["ok"]
    assert refresh(contest).status == ContestStatus.CLOSED
    actions = list(AuditEvent.objects.filter(action__startswith="arena.").order_by("-seq")[:6])
    assert [a.action for a in reversed(actions)] == [
        "arena.host.call",
        "arena.timer.start",
        "arena.timer.pause",
        "arena.scoring.open",
        "arena.scoring.close",
        "arena.contest.close",
    ]


def test_the_console_says_why_a_button_is_disabled(world, client):
    client.force_login(world.organiser)
    response = client.get(reverse("arena_live:console", args=[world.draft.pk]))
    actions = response.context["live_state"]["actions"]["contest"]
    assert actions["timer-start"]["why_not"]  # a draft cannot be run yet
    assert actions["release"]["why_not"]
    html = response.content.decode()
    assert "live-state" in html and "连接已断开，正在重连…" in html


def test_the_console_never_carries_a_token_or_a_score(world, client):
    client.force_login(world.organiser)
    html = client.get(reverse("arena_live:console", args=[world.running.pk])).content.decode()
    for token in world.tokens.values():
        assert token not in html
    assert '"values"' not in html


def test_the_pages_read_in_english(world, client):
    client.force_login(world.organiser)
    client.cookies["django_language"] = "en"
    response = client.get(reverse("arena_live:console", args=[world.running.pk]))
    assert response.status_code == 200
    assert response.context["labels"]["lost"] == "Connection lost, reconnecting…"
    assert "lang=en" in response.context["socket_path"]
