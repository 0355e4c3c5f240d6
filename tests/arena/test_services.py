"""The arena's services: setup, the draw, host actions, scoring, reveal, release, pledges."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from saima.arena import broadcast, services
from saima.arena.models import (
    Contest,
    ContestResult,
    ContestStatus,
    Score,
    ScoreRevision,
    ScoringState,
    TimerState,
)
from saima.arena.results import frozen_results_problems, result_problems
from saima.core.models import AuditEvent
from tests.arena.world import refresh


def events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


def first(contest: Contest):
    """The contestant on stage (发改局 in the running contest), else the first in order."""
    contest = refresh(contest)
    if contest.current_id is not None:
        return contest.current
    return contest.contestants.order_by("position").first()


# ---------------------------------------------------------------- setup and the draw


def test_the_draw_is_recorded_and_reproducible(world):
    contest = world.draft
    order = services.order_draw(actor=world.organiser, contest=contest, seed=42)
    ids = [c.pk for c in order]
    assert ids == services.draw_permutation(ids, 42)
    assert refresh(contest).draw_seed == 42
    event = AuditEvent.objects.filter(action="arena.order.draw").latest("seq")
    assert event.after["seed"] == 42 and event.after["order"] == ids
    again = services.order_draw(actor=world.organiser, contest=contest, seed=42)
    assert [c.pk for c in again] == ids
    other = [c.pk for c in services.order_draw(actor=world.organiser, contest=contest, seed=7)]
    assert sorted(other) == sorted(ids)


def test_a_fixed_order_must_name_every_contestant_once(world):
    contest = world.draft
    ids = list(contest.contestants.values_list("pk", flat=True))
    with pytest.raises(services.ArenaError):
        services.order_fix(actor=world.organiser, contest=contest, order=ids[:-1])
    with pytest.raises(services.ArenaError):
        services.order_fix(actor=world.organiser, contest=contest, order=[ids[0], *ids[:-1]])
    services.order_fix(actor=world.organiser, contest=contest, order=ids[::-1])
    assert list(contest.contestants.order_by("position").values_list("pk", flat=True)) == ids[::-1]
    assert refresh(contest).draw_seed is None


def test_ready_needs_a_complete_setup(world):
    contest = world.draft
    with pytest.raises(services.ArenaError, match="出场顺序"):
        services.contest_ready(actor=world.organiser, contest=contest)
    services.order_draw(actor=world.organiser, contest=contest)
    services.contest_ready(actor=world.organiser, contest=contest)
    assert refresh(contest).status == ContestStatus.READY


def test_setup_is_fixed_once_the_contest_runs(world):
    from saima.arena.models import Criterion

    with pytest.raises(services.ArenaError):
        services.setup_save(
            actor=world.organiser,
            contest=world.running,
            obj=Criterion(contest=world.running, code="x", name="x", maximum=10, weight=1),
        )
    with pytest.raises(services.ArenaError):
        services.contest_update(actor=world.organiser, contest=world.running, method="mean")


def test_other_organisers_may_not_touch_a_contest(world):
    stranger = world.users["organiser_b"]
    with pytest.raises(PermissionDenied):
        services.order_draw(actor=stranger, contest=world.draft)
    with pytest.raises(PermissionDenied):
        services.timer_start(actor=stranger, contest=world.running)
    with pytest.raises(PermissionDenied):
        services.contest_release(actor=stranger, contest=world.revealed)


def test_an_object_of_another_contest_is_refused(world):
    from saima.arena.models import Criterion

    other = world.draft.criteria.first()
    other.name = "改名"
    with pytest.raises(services.ArenaError):
        services.setup_save(actor=world.organiser, contest=world.running, obj=other)
    assert Criterion.objects.get(pk=other.pk).name != "改名"


def test_bulk_setup_is_all_or_nothing(world):
    from saima.arena.models import JudgeSeat

    contest = world.draft
    panel = contest.panels.first()
    before = contest.seats.count()
    seats = [
        JudgeSeat(contest=contest, panel=panel, name="甲", unit=world.departments["发改局"]),
        JudgeSeat(contest=contest, panel=panel, name="", unit=world.departments["发改局"]),
    ]
    with pytest.raises(services.ArenaError, match="第 2 项"):
        services.setup_bulk(actor=world.organiser, contest=contest, objs=seats, what="评委")
    assert contest.seats.count() == before
    seats[1].name = "乙"
    assert services.setup_bulk(actor=world.organiser, contest=contest, objs=seats, what="评委") == 2
    assert contest.seats.count() == before + 2


# ---------------------------------------------------------------- the host


def test_timer_start_pause_resume_stop(world, time_machine):
    contest = world.running
    t0 = timezone.now()
    time_machine.move_to(t0, tick=False)
    services.timer_start(actor=world.organiser, contest=contest)
    time_machine.move_to(t0 + dt.timedelta(seconds=90), tick=False)
    contest = services.timer_pause(actor=world.organiser, contest=contest)
    assert contest.timer_state == TimerState.PAUSED and contest.timer_elapsed == pytest.approx(90)
    time_machine.move_to(t0 + dt.timedelta(seconds=300), tick=False)
    services.timer_start(actor=world.organiser, contest=contest)
    time_machine.move_to(t0 + dt.timedelta(seconds=330), tick=False)
    assert services.timer_elapsed(refresh(contest)) == pytest.approx(120)
    contest = services.timer_stop(actor=world.organiser, contest=contest)
    assert contest.timer_state == TimerState.STOPPED and contest.timer_elapsed == pytest.approx(120)
    with pytest.raises(services.ArenaError):
        services.timer_pause(actor=world.organiser, contest=contest)
    assert events("arena.timer.start") == 2 and events("arena.timer.stop") == 1


def test_calling_the_next_contestant_resets_the_timer(world):
    contest = world.running
    services.timer_start(actor=world.organiser, contest=contest)
    second = contest.contestants.exclude(pk=contest.current_id).first()
    contest = services.contest_call(actor=world.organiser, contest=contest, contestant=second)
    assert contest.current_id == second.pk and contest.timer_state == TimerState.IDLE
    assert contest.timer_elapsed == 0


def test_the_timer_needs_someone_on_stage(world):
    contest = world.draft
    services.order_draw(actor=world.organiser, contest=contest)
    services.contest_ready(actor=world.organiser, contest=contest)
    with pytest.raises(services.ArenaError, match="上台"):
        services.timer_start(actor=world.organiser, contest=contest)


def test_broadcasts_go_out_after_commit_only(
    world, django_capture_on_commit_callbacks, monkeypatch
):
    sent = []
    monkeypatch.setattr(
        broadcast,
        "announce",
        lambda contest_id, event, data=None: sent.append((contest_id, event, data)),
    )
    entry = first(world.running)
    services.score_submit(
        seat=world.seats["县长"], contestant=entry, values={"progress": 50, "speech": 30}
    )
    ((contest_id, event, data),) = sent
    assert event == "score_saved" and contest_id == world.running.pk
    assert data == {"contestant": entry.pk, "seat": world.seats["县长"].pk, "scored": 2, "seats": 7}
    assert "progress" not in str(data.keys()) and 50 not in data.values()


def test_announce_waits_for_the_commit(world, django_capture_on_commit_callbacks):
    from channels.layers import get_channel_layer

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.timer_start(actor=world.organiser, contest=world.running)
    assert len(callbacks) == 1  # the timer event, queued until commit
    layer = get_channel_layer()
    from asgiref.sync import async_to_sync

    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(broadcast.group_name(world.running.pk), channel)
    callbacks[0]()
    message = async_to_sync(layer.receive)(channel)
    assert message["event"] == "timer" and message["data"]["state"] == TimerState.RUNNING


# ---------------------------------------------------------------- scoring


def test_resubmitting_the_same_sheet_is_idempotent(world):
    entry = first(world.running)
    seat = world.seats["县长"]
    one = services.score_submit(seat=seat, contestant=entry, values={"progress": 50, "speech": 30})
    audit = AuditEvent.objects.count()
    again = services.score_submit(
        seat=seat, contestant=entry, values={"progress": "50.00", "speech": 30.0}
    )
    assert one.created == 2 and again.idempotent
    assert AuditEvent.objects.count() == audit
    assert ScoreRevision.objects.filter(score__seat=seat).count() == 2


def test_amending_makes_a_revision_and_an_audit_event(world):
    entry = first(world.running)
    seat = world.seats["县长"]
    services.score_submit(seat=seat, contestant=entry, values={"progress": 50, "speech": 30})
    outcome = services.score_submit(
        seat=seat, contestant=entry, values={"progress": 52.5, "speech": 30}
    )
    assert outcome.amended == 1 and outcome.created == 0
    score = Score.objects.get(seat=seat, contestant=entry, criterion__code="progress")
    assert (score.value, score.version, score.amended) == (Decimal("52.50"), 2, 1)
    assert list(score.revisions.values_list("version", "value")) == [
        (1, Decimal("50.00")),
        (2, Decimal("52.50")),
    ]
    event = AuditEvent.objects.filter(action="arena.score.amend").latest("seq")
    assert event.before == {"progress": "50.00"} and event.actor_label == "评委 县长"
    assert score.revisions.get(version=2).audit_seq == event.seq


@pytest.mark.parametrize(
    "values, message",
    [
        ({"progress": 61, "speech": 30}, "0 到 60"),
        ({"progress": -1, "speech": 30}, "0 到 60"),
        ({"progress": "NaN", "speech": 30}, "不是数字"),
        ({"progress": "1e400", "speech": 30}, "0 到 60"),
        ({"progress": "=1+1", "speech": 30}, "不是数字"),
        ({"progress": 50.123, "speech": 30}, "两位小数"),
        ({"progress": 50}, "请为每个评分项打分"),
        ({"progress": 50, "speech": 30, "bonus": 5}, "未知的评分项"),
    ],
)
def test_bad_sheets_are_refused_whole(world, values, message):
    entry = first(world.running)
    with pytest.raises(services.ArenaError, match=message):
        services.score_submit(seat=world.seats["县长"], contestant=entry, values=values)
    assert not Score.objects.filter(seat=world.seats["县长"]).exists()


def test_conflicts_are_enforced(world):
    contest = world.running
    trade = contest.contestants.get(unit=world.departments["商务局"])
    housing = contest.contestants.get(unit=world.departments["住建局"])
    for entry in (trade, housing):
        services.scoring_open(actor=world.organiser, contest=contest, contestant=entry)
    with pytest.raises(services.ArenaError, match="本单位回避"):
        services.score_submit(
            seat=world.seats["商务局长"], contestant=trade, values={"progress": 60, "speech": 40}
        )
    with pytest.raises(services.ArenaError, match="曾任住建局局长"):
        services.score_submit(
            seat=world.seats["局长丙"], contestant=housing, values={"progress": 60, "speech": 40}
        )
    assert not Score.objects.filter(contestant__in=[trade, housing]).exists()


def test_a_conflict_cannot_be_declared_after_scoring(world):
    from saima.arena.models import Conflict

    entry = first(world.running)
    with pytest.raises(services.ArenaError, match="已为"):
        services.setup_save(
            actor=world.organiser,
            contest=world.running,
            obj=Conflict(seat=world.seats["书记"], contestant=entry, reason="亲属"),
        )


def test_scoring_only_while_open(world):
    contest = world.running
    entry = first(contest)
    waiting = contest.contestants.exclude(pk=entry.pk).first()
    with pytest.raises(services.ArenaError, match="尚未开放或已结束"):
        services.score_submit(
            seat=world.seats["县长"], contestant=waiting, values={"progress": 1, "speech": 1}
        )
    services.scoring_close(actor=world.organiser, contest=contest, contestant=entry)
    with pytest.raises(services.ArenaError, match="尚未开放或已结束"):
        services.score_submit(
            seat=world.seats["书记"], contestant=entry, values={"progress": 51, "speech": 35}
        )
    assert Score.objects.get(seat=world.seats["书记"], criterion__code="progress").value == 50


def test_a_judge_cannot_score_another_contest(world):
    other = first(world.revealed)
    with pytest.raises(services.ArenaError, match="不属于"):
        services.score_submit(
            seat=world.seats["县长"], contestant=other, values={"progress": 1, "speech": 1}
        )


def test_paper_sheets_are_checked_like_phone_sheets(world):
    contest = world.running
    entry = first(contest)
    seats = world.seats
    with pytest.raises(services.ArenaError, match="局长甲"):
        services.scores_enter_paper(
            actor=world.organiser,
            contest=contest,
            contestant=entry,
            sheets={
                seats["县长"].pk: {"progress": 50, "speech": 30},
                seats["局长甲"].pk: {"progress": 70, "speech": 30},
            },
        )
    assert not Score.objects.filter(seat=seats["县长"]).exists()
    n = services.scores_enter_paper(
        actor=world.organiser,
        contest=contest,
        contestant=entry,
        sheets={
            seats["县长"].pk: {"progress": 50, "speech": 30},
            seats["书记"].pk: {"progress": 50, "speech": 35},
        },
    )
    assert n == 1  # 书记's sheet was already the same
    assert ScoreRevision.objects.filter(score__seat=seats["县长"], via="host").count() == 2


def test_progress_counts_full_sheets_of_eligible_judges(world):
    from saima.arena.selectors import progress

    entry = first(world.running)
    assert progress(world.running)[entry.pk] == {"scored": 1, "seats": 7}
    trade = world.running.contestants.get(unit=world.departments["商务局"])
    assert progress(world.running)[trade.pk]["seats"] == 6  # 商务局长 sits out


# ---------------------------------------------------------------- close, reveal, release


def test_close_closes_open_scoring_and_reveal_freezes(world):
    contest = world.running
    services.timer_start(actor=world.organiser, contest=contest)
    contest = services.contest_close(actor=world.organiser, contest=contest)
    assert contest.status == ContestStatus.CLOSED and contest.timer_state == TimerState.STOPPED
    assert not contest.contestants.filter(scoring=ScoringState.OPEN).exists()
    with pytest.raises(services.ArenaError):
        services.contest_release(actor=world.organiser, contest=contest)
    contest = services.contest_reveal(actor=world.organiser, contest=contest)
    result = ContestResult.objects.get(contest=contest)
    assert contest.status == ContestStatus.REVEALED and result_problems(result) == []
    # Only 发改局 presented (and only 书记 scored it): the others are named absent.
    assert sorted(result.inputs["meta"]["absent"]) == ["住建局", "商务局"]
    assert contest.contestants.get(pk=contest.current_id).rank == 1


def test_reveal_refuses_a_contestant_one_panel_did_not_score(world):
    contest = world.running
    entry = first(contest)
    services.score_submit(
        seat=world.seats["局长甲"], contestant=entry, values={"progress": 50, "speech": 30}
    )
    services.score_submit(
        seat=world.seats["局长乙"], contestant=entry, values={"progress": 50, "speech": 30}
    )
    other = contest.contestants.exclude(pk=entry.pk).first()
    services.scoring_open(actor=world.organiser, contest=contest, contestant=other)
    services.score_submit(
        seat=world.seats["局长甲"], contestant=other, values={"progress": 40, "speech": 30}
    )
    contest = services.contest_close(actor=world.organiser, contest=contest)
    with pytest.raises(services.ArenaError, match=f"{other.unit.name} 没有“县领导”的评分"):
        services.contest_reveal(actor=world.organiser, contest=contest)
    assert refresh(contest).status == ContestStatus.CLOSED


def test_reveal_stores_every_method_panels_and_agreement(world):
    result = world.released.results.get()
    rows = result.outputs["contestants"]
    assert {k for k in rows[0] if k.startswith("panel:")} == {"panel:leaders", "panel:others"}
    for row in rows:
        combined = 0.6 * row["panel:leaders"] + 0.4 * row["panel:others"]
        assert row["score"] == pytest.approx(combined / 1.0)
        assert row["trimmed:score"] == row["score"]  # the official method
        assert {"mean:score", "standardised:score"} <= set(row)
    assert [p["panel"] for p in result.outputs["panels"]] == ["leaders", "others"]
    assert len(result.outputs["judges"]) == 7
    entry = world.released.contestants.get(unit=world.departments["商务局"])
    row = rows[result.inputs["meta"]["contestant_ids"].index(entry.pk)]
    assert (entry.rank, entry.final_score) == (row["rank"], row["score"])


def test_the_verifier_finds_edited_scores_and_outputs(world):
    assert frozen_results_problems() == []
    score = Score.objects.filter(contestant__contest=world.released).first()
    Score.objects.filter(pk=score.pk).update(value=score.value + 1)
    problems = frozen_results_problems()
    assert len(problems) == 1 and "differ from the frozen inputs" in problems[0]
    Score.objects.filter(pk=score.pk).update(value=score.value)
    result = world.revealed.results.get()
    result.outputs["contestants"][0]["score"] += 1
    ContestResult.objects.filter(pk=result.pk).update(outputs=result.outputs)
    assert any("do not match the digest" in p for p in frozen_results_problems())


def test_release_is_a_switch_after_reveal(world):
    contest = services.contest_release(actor=world.organiser, contest=world.revealed)
    assert contest.released and contest.released_at is not None
    with pytest.raises(services.ArenaError):
        services.contest_release(actor=world.organiser, contest=contest)
    contest = services.contest_release(actor=world.organiser, contest=contest, released=False)
    assert not contest.released
    assert events("arena.contest.withdraw") == 1


# ---------------------------------------------------------------- links and pledges


def test_links_are_stored_hashed_and_reissuing_revokes(world):
    from saima.arena.models import JudgeLink

    seat = world.seats["县长"]
    token = world.tokens["县长"]
    link = JudgeLink.objects.get(seat=seat, revoked_at__isnull=True)
    assert link.token_hash == services.token_hash(token) and token not in link.token_hash
    assert len(token) >= 22  # 128 bits, URL-safe
    new, new_token = services.link_issue(actor=world.organiser, seat=seat)
    assert new_token != token and refresh(link).revoked_at is not None
    expires = timezone.localtime(link.expires_at)
    assert expires.date() == world.running.date + dt.timedelta(days=2) and expires.hour == 0


def test_delivered_values_are_recorded_and_audited(world):
    from saima.arena.selectors import pledge_follow_up, pledge_share

    pledge = first(world.released).pledges.first()
    services.pledge_deliver(
        actor=world.organiser, pledge=pledge, delivered=Decimal("4"), note="超额"
    )
    event = AuditEvent.objects.filter(action="arena.pledge.deliver").latest("seq")
    assert event.after["delivered"] == "4.00"
    previous, follow = pledge_follow_up(world.running)
    assert previous == world.released
    assert {f.contestant.unit.name for f in follow} == {"发改局", "商务局", "住建局"}
    item = next(i for f in follow for i in f.items if i.pk == pledge.pk)
    assert pledge_share(item) == pytest.approx(4 / float(item.target))
    with pytest.raises(PermissionDenied):
        services.pledge_deliver(actor=world.users["organiser_b"], pledge=pledge, delivered=None)


def test_units_and_people_come_from_the_organisers_scope(world):
    from saima.arena.models import Contestant, JudgeSeat
    from saima.org.models import UnitLevel
    from tests.factories import make_unit

    outside = make_unit(
        "丽水市发改委", UnitLevel.DEPARTMENT, world.users["organiser_b"].grants.get().unit
    )
    contest = world.draft
    with pytest.raises(services.ArenaError, match="不在"):
        services.setup_save(
            actor=world.organiser, contest=contest, obj=Contestant(contest=contest, unit=outside)
        )
    seat = JudgeSeat(contest=contest, panel=contest.panels.first(), name="外人", unit=outside)
    with pytest.raises(services.ArenaError, match="不在"):
        services.setup_bulk(actor=world.organiser, contest=contest, objs=[seat], what="评委")
    # an object of one contest cannot be moved into another through the service
    moved = world.running.seats.first()
    moved.contest = contest
    moved.panel = contest.panels.first()
    with pytest.raises(services.ArenaError, match="不属于"):
        services.setup_save(actor=world.organiser, contest=contest, obj=moved)
    with pytest.raises(services.ArenaError, match="owner"):
        services.contest_update(actor=world.organiser, contest=contest, owner=outside)
