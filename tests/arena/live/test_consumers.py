"""The live sockets: who may subscribe, the snapshot on (re)connect, a delta after a committed
service call and nothing after a rolled-back one, and no score before reveal."""

from __future__ import annotations

import json

from django.db import transaction

from saima.arena import services
from saima.arena.broadcast import group_name
from saima.arena.live.consumers import DENIED
from saima.arena.models import Contest, ContestStatus, Score
from tests.arena.live.conftest import db, run, socket
from tests.arena.world import SHEETS


def board_path(contest: Contest) -> str:
    return f"/ws/arena/{contest.pk}/board/"


def console_path(contest: Contest) -> str:
    return f"/ws/arena/{contest.pk}/console/"


async def connected(communicator):
    ok, _ = await communicator.connect()
    assert ok
    return await communicator.receive_json_from(timeout=3)


async def assert_denied(communicator) -> None:
    first = await connected(communicator)
    assert first["type"] == "denied" and first["reason"]
    closed = await communicator.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": DENIED}


def members(contest: Contest) -> int:
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    return len(layer.groups.get(group_name(contest.pk), {}))


# ---------------------------------------------------------------- who may subscribe


def user_of(world, who: str):
    return None if who == "anonymous" else world.users[who]


def test_a_stranger_cannot_subscribe_to_an_unreleased_board(live_world):
    async def body():
        for who in ("anonymous", "nobody", "organiser_b", "reporter", "judge", "presenter"):
            for contest in (live_world.running, live_world.revealed):
                communicator = socket(board_path(contest), user_of(live_world, who))
                await assert_denied(communicator)
                assert members(contest) == 0, who
                await communicator.disconnect()

    run(body)


def test_only_the_contests_managers_open_the_console_socket(live_world):
    async def body():
        for who in ("anonymous", "nobody", "organiser_b", "viewer", "discipline", "presenter"):
            communicator = socket(console_path(live_world.running), user_of(live_world, who))
            await assert_denied(communicator)
            assert members(live_world.running) == 0, who
        for who in ("organiser", "superuser"):
            communicator = socket(console_path(live_world.running), user_of(live_world, who))
            assert (await connected(communicator))["type"] == "snapshot"
            await communicator.disconnect()

    run(body)


def test_a_socket_for_a_contest_that_does_not_exist_is_denied(live_world):
    async def body():
        communicator = socket("/ws/arena/999999/board/", live_world.organiser)
        await assert_denied(communicator)

    run(body)


def test_a_socket_from_another_origin_is_refused_at_the_handshake(live_world):
    async def body():
        communicator = socket(board_path(live_world.released), origin="http://evil.example")
        ok, _ = await communicator.connect()
        assert not ok

    run(body)


def test_the_public_subscribes_to_a_released_board_and_sees_the_ranking(live_world):
    async def body():
        communicator = socket(board_path(live_world.released))
        first = await connected(communicator)
        assert first["type"] == "snapshot" and first["seq"] == 1
        results = first["state"]["results"]
        assert [r["rank"] for r in results["rows"]] == sorted(r["rank"] for r in results["rows"])
        assert {"leaders", "others"} <= set(results["rows"][0]["panels"])
        assert results["public_url"]
        assert members(live_world.released) == 1
        await communicator.disconnect()
        assert members(live_world.released) == 0

    run(body)


def test_the_contests_people_watch_the_board_before_release(live_world):
    async def body():
        for who in ("organiser", "viewer", "discipline", "superuser"):
            communicator = socket(board_path(live_world.running), live_world.users[who])
            first = await connected(communicator)
            assert first["type"] == "snapshot"
            assert first["state"]["contest"]["status"] == ContestStatus.RUNNING
            await communicator.disconnect()

    run(body)


# ---------------------------------------------------------------- what a snapshot holds


def test_no_score_reaches_a_board_before_reveal(live_world):
    """The running contest has a sheet in (书记: 50 + 35): the board shows n of m, never a value."""

    async def body():
        communicator = socket(board_path(live_world.running), live_world.organiser)
        first = await connected(communicator)
        text = json.dumps(first, ensure_ascii=False)
        assert first["state"]["results"] is None
        current = first["state"]["current"]["id"]
        assert first["state"]["progress"][str(current)]["n"] == 1
        for leak in ('"50', '"35', "书记", "values", 'score"'):
            assert leak not in text, leak
        await communicator.disconnect()

    run(body)


def test_the_console_shows_each_judges_state_but_no_value(live_world):
    async def body():
        communicator = socket(console_path(live_world.running), live_world.organiser)
        first = await connected(communicator)
        sheet = {row["name"]: row["state"] for row in first["state"]["sheet"]}
        assert sheet["书记"] == "scored" and sheet["县长"] == "waiting"
        # 发改局 is on stage; no judge sits for 发改局 here, so no conflict on this sheet
        assert set(sheet.values()) <= {"scored", "waiting", "conflict"}
        actions = first["state"]["actions"]["contest"]
        assert actions["reveal"]["why_not"]  # scoring still running: reveal refused, with reason
        assert actions["timer-start"]["why_not"] is None
        assert "values" not in json.dumps(first)
        await communicator.disconnect()

    run(body)


# ---------------------------------------------------------------- deltas


def test_a_committed_submission_reaches_the_board_as_a_delta(live_world):
    contest = live_world.running
    first_on_stage = contest.current

    async def body():
        communicator = socket(board_path(contest), live_world.organiser)
        await connected(communicator)
        await db(services.score_submit)(
            seat=live_world.seats["县长"],
            contestant=first_on_stage,
            values={"progress": 48, "speech": 33},
        )
        delta = await communicator.receive_json_from(timeout=3)
        assert delta["type"] == "delta" and delta["seq"] == 2
        assert delta["events"] == ["score_saved"]
        assert delta["state"]["progress"][str(first_on_stage.pk)]["n"] == 2
        assert set(delta["state"]) == {"progress"}  # the board has no sheet; nothing else
        assert "48" not in json.dumps(delta)
        await communicator.disconnect()

    run(body)


def test_a_rolled_back_submission_sends_nothing(live_world):
    contest = live_world.running
    on_stage = contest.current

    def submit_then_roll_back():
        with transaction.atomic():
            services.score_submit(
                seat=live_world.seats["县长"],
                contestant=on_stage,
                values={"progress": 48, "speech": 33},
            )
            transaction.set_rollback(True)

    async def body():
        communicator = socket(board_path(contest), live_world.organiser)
        await connected(communicator)
        await db(submit_then_roll_back)()
        assert await communicator.receive_nothing(timeout=0.5)
        assert not await db(Score.objects.filter(seat=live_world.seats["县长"]).exists)()
        await communicator.disconnect()

    run(body)


def test_the_timer_reaches_board_and_console_and_the_console_buttons_change(live_world):
    contest = live_world.running

    async def body():
        board = socket(board_path(contest), live_world.organiser)
        console = socket(console_path(contest), live_world.organiser)
        await connected(board)
        await connected(console)
        await db(services.timer_start)(actor=live_world.organiser, contest=contest)
        on_board = await board.receive_json_from(timeout=3)
        on_console = await console.receive_json_from(timeout=3)
        assert on_board["state"]["timer"]["state"] == "running"
        assert on_board["state"]["timer"]["started_at"] is not None
        assert set(on_board["state"]) == {"timer"}
        assert on_console["state"]["actions"]["contest"]["timer-pause"]["why_not"] is None
        assert on_console["state"]["actions"]["contest"]["timer-start"]["why_not"]
        await board.disconnect()
        await console.disconnect()

    run(body)


def test_a_reconnect_gets_a_fresh_snapshot_with_what_happened_meanwhile(live_world):
    contest = live_world.running
    on_stage = contest.current

    async def body():
        first = socket(board_path(contest), live_world.organiser)
        before = await connected(first)
        await first.disconnect()
        await db(services.score_submit)(
            seat=live_world.seats["县长"],
            contestant=on_stage,
            values={"progress": 48, "speech": 33},
        )
        again = socket(board_path(contest), live_world.organiser)
        after = await connected(again)
        assert after["type"] == "snapshot" and after["seq"] == 1
        current = str(contest.current_id)
        assert (
            after["state"]["progress"][current]["n"]
            == before["state"]["progress"][current]["n"] + 1
        )
        await again.disconnect()

    run(body)


def test_a_client_asks_for_a_snapshot_after_a_gap(live_world):
    async def body():
        communicator = socket(board_path(live_world.running), live_world.organiser)
        await connected(communicator)
        await communicator.send_json_to({"type": "resync"})
        again = await communicator.receive_json_from(timeout=3)
        assert again["type"] == "snapshot" and again["seq"] == 2
        await communicator.send_json_to({"type": "resync"})  # too soon: ignored
        assert await communicator.receive_nothing(timeout=0.3)
        await communicator.send_json_to({"type": "drop tables"})  # unknown: ignored
        assert await communicator.receive_nothing(timeout=0.2)
        await communicator.disconnect()

    run(body)


def score_everyone(world) -> None:
    """Every judge scores every contestant of the running contest (conflicts left out)."""
    contest = world.running
    for entry in contest.contestants.select_related("unit").order_by("position"):
        entry.refresh_from_db()
        if entry.scoring != "open":
            services.scoring_open(actor=world.organiser, contest=contest, contestant=entry)
        for judge, sheet in SHEETS.items():
            values = sheet.get(entry.unit.name)
            if values is not None:
                services.score_submit(
                    seat=world.seats[judge],
                    contestant=entry,
                    values={"progress": values[0], "speech": values[1]},
                )


def test_reveal_brings_the_ranking_to_the_contests_board(live_world):
    contest = live_world.running
    organiser = live_world.organiser
    score_everyone(live_world)

    async def body():
        board = socket(board_path(contest), organiser)
        await connected(board)
        await db(services.contest_close)(actor=organiser, contest=contest)
        await db(services.contest_reveal)(actor=organiser, contest=contest)
        frames = []
        while True:
            frame = await board.receive_json_from(timeout=3)
            frames.append(frame)
            if frame["type"] == "snapshot" and frame["state"]["results"]:
                break
        seqs = [f["seq"] for f in frames]
        assert seqs == list(range(2, 2 + len(frames)))
        assert frames[-1]["state"]["contest"]["status"] == ContestStatus.REVEALED
        assert frames[-1]["state"]["results"]["public_url"] is None  # not released yet
        await board.disconnect()

    run(body)


def test_a_public_board_is_closed_when_its_results_are_withdrawn(live_world):
    contest = live_world.released

    async def body():
        board = socket(board_path(contest))
        await connected(board)
        await db(services.contest_release)(
            actor=live_world.organiser, contest=contest, released=False
        )
        denied = await board.receive_json_from(timeout=3)
        assert denied["type"] == "denied"
        closed = await board.receive_output(timeout=3)
        assert closed["code"] == DENIED
        assert members(contest) == 0

    run(body)


# ---------------------------------------------------------------- judges


def judge_path(token: str) -> str:
    return f"/ws/arena/judge/{token}/"


def test_a_judge_socket_opens_by_token_and_shows_only_the_judges_own_sheet(live_world):
    on_stage = live_world.running.current

    async def body():
        mine = socket(judge_path(live_world.tokens["书记"]))
        other = socket(judge_path(live_world.tokens["县长"]))
        first = await connected(mine)
        assert first["state"]["own"]["submitted"] is True
        assert first["state"]["own"]["values"] == {"progress": "50.00", "speech": "35.00"}
        assert (await connected(other))["state"]["own"]["values"] == {}
        assert "progress" not in first["state"] and "results" not in first["state"]
        await db(services.score_submit)(
            seat=live_world.seats["县长"],
            contestant=on_stage,
            values={"progress": 48, "speech": 33},
        )
        theirs = await other.receive_json_from(timeout=3)
        assert theirs["state"]["own"]["values"] == {"progress": "48.00", "speech": "33.00"}
        assert await mine.receive_nothing(timeout=0.3)  # another judge's sheet: not my business
        await mine.disconnect()
        await other.disconnect()

    run(body)


def test_a_judge_socket_refuses_wrong_revoked_and_guessing_tokens(live_world):
    from saima.arena.live import judges
    from saima.arena.models import JudgeLink

    async def body():
        await assert_denied(socket(judge_path("not-a-token")))
        await assert_denied(socket(judge_path("x" * 500)))
        link = await db(JudgeLink.objects.select_related("seat__contest").get)(
            seat=live_world.seats["县长"], revoked_at__isnull=True
        )
        live = socket(judge_path(live_world.tokens["县长"]))
        await connected(live)
        await db(services.link_revoke)(actor=live_world.organiser, link=link)
        # the next event re-asks the link: the socket is closed
        await db(services.timer_start)(actor=live_world.organiser, contest=live_world.running)
        assert (await live.receive_json_from(timeout=3))["type"] == "denied"
        await assert_denied(socket(judge_path(live_world.tokens["县长"])))

    run(body)
    # guessing: after the limit, even a good token is refused from that address
    from django.core.cache import cache

    cache.set(judges.LINK_GUESSES.key("127.0.0.1"), judges.LINK_GUESSES.limit)
    try:
        assert judges.seat_for_token(live_world.tokens["书记"], client="127.0.0.1") is None
        assert judges.seat_for_token(live_world.tokens["书记"], client="10.0.0.9") is not None
    finally:
        cache.clear()


def test_a_frame_that_cannot_be_built_closes_the_socket_so_the_client_reconnects(
    live_world, monkeypatch
):
    """A database failure while reading a delta must not leave a board silently stale."""
    from django.db import DatabaseError

    from saima.arena.live import state as live_state

    def unavailable(*args, **kwargs):
        raise DatabaseError("the database went away")

    async def body():
        board = socket(board_path(live_world.running), live_world.organiser)
        await connected(board)
        monkeypatch.setattr(live_state, "board_state", unavailable)
        await db(services.timer_start)(actor=live_world.organiser, contest=live_world.running)
        closed = await board.receive_output(timeout=3)
        assert closed == {"type": "websocket.close", "code": 1011}
        assert members(live_world.running) == 0

    run(body)
