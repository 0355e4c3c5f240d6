"""A hundred judges at once (issue 10 §10): every final score stored exactly once, none lost;
the same sheet sent twice at once stored once. Real threads against PostgreSQL (row locks,
MVCC); SQLite serialises every write and is skipped.

The hundred judge threads share a pool of ``POOL`` database connections, as a server's workers
would (PostgreSQL allows 100 connections in all, and the test database server is shared): each
submission takes a connection, and gives it back when done."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from saima.arena import services
from saima.arena.models import (
    Contestant,
    Criterion,
    JudgeSeat,
    Panel,
    Score,
    ScoreRevision,
)
from saima.core.audit import verify_chain
from saima.core.models import AuditEvent
from saima.org.models import Role, UnitLevel
from tests.factories import make_unit, user_with_role

JUDGES = 100
POOL = 24
_pool = threading.BoundedSemaphore(POOL)


def _pooled(call: Callable[[], Any]) -> Any:
    with _pool:
        try:
            return call()
        finally:
            connections.close_all()


pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and MVCC"
    ),
]


def _at_once(n: int, task: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)
    outcomes: list[Any] = [None] * n

    def run(i: int) -> None:
        try:
            barrier.wait()
            outcomes[i] = task(i)
        except Exception as exc:  # collected and asserted on by the test
            outcomes[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    return outcomes


@pytest.fixture
def hall():
    city = make_unit("衢州市", UnitLevel.CITY, make_unit("浙江省", UnitLevel.PROVINCE))
    organiser = user_with_role(Role.ORGANISER, city, "org_qz")
    contest = services.contest_create(
        actor=organiser, owner=city, title="百人评分", date=timezone.localdate()
    )
    save = lambda obj: services.setup_save(actor=organiser, contest=contest, obj=obj)  # noqa: E731
    save(Criterion(contest=contest, code="a", name="实绩", maximum=60, weight=60))
    save(Criterion(contest=contest, code="b", name="表现", maximum=40, weight=40))
    panel = Panel(contest=contest, code="all", name="全体", weight=Decimal(1))
    save(panel)
    for name in ("甲局", "乙局"):
        save(Contestant(contest=contest, unit=make_unit(name, UnitLevel.DEPARTMENT, city)))
    services.setup_bulk(
        actor=organiser,
        contest=contest,
        objs=[
            JudgeSeat(contest=contest, panel=panel, name=f"评委{i:03d}", unit=city, position=i)
            for i in range(JUDGES)
        ],
        what="评委",
    )
    services.order_draw(actor=organiser, contest=contest, seed=1)
    services.contest_ready(actor=organiser, contest=contest)
    entries = list(contest.contestants.order_by("position"))
    for entry in entries:
        services.scoring_open(actor=organiser, contest=contest, contestant=entry)
    return contest, entries, list(contest.seats.order_by("position"))


def _sheet(i: int, round_: int) -> dict[str, Any]:
    return {"a": 30 + (i * 7 + round_ * 3) % 30, "b": 20 + (i * 3 + round_) % 20}


def test_a_hundred_judges_submit_and_amend_at_once(hall):
    contest, entries, seats = hall

    def judge(i: int) -> list[Any]:
        seat = seats[i]
        outcomes = []
        for entry in entries:  # submit, amend, and send the amended sheet again
            for round_ in (0, 1, 1):
                outcomes.append(
                    _pooled(
                        lambda e=entry, r=round_: services.score_submit(
                            seat=seat, contestant=e, values=_sheet(i, r)
                        )
                    )
                )
        return outcomes

    results = _at_once(JUDGES, judge)
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors[:3]
    kinds = Counter(
        ("created" if o.created else "amended" if o.amended else "same") for r in results for o in r
    )
    amended_sheets = sum(1 for i in range(JUDGES) if _sheet(i, 0) != _sheet(i, 1))
    assert kinds == {
        "created": 200,
        "amended": 2 * amended_sheets,
        "same": 400 - 2 * amended_sheets,
    }
    stored = Counter(
        Score.objects.filter(contestant__contest=contest).values_list(
            "seat_id", "contestant_id", "criterion__code"
        )
    )
    assert len(stored) == JUDGES * 2 * 2 and set(stored.values()) == {1}
    for i, seat in enumerate(seats):
        for entry in entries:
            got = dict(
                Score.objects.filter(seat=seat, contestant=entry).values_list(
                    "criterion__code", "value"
                )
            )
            assert got == {k: Decimal(v) for k, v in _sheet(i, 1).items()}, (i, got)
    revisions = ScoreRevision.objects.filter(score__contestant__contest=contest).count()
    changed_criteria = sum(
        sum(1 for k in ("a", "b") if _sheet(i, 0)[k] != _sheet(i, 1)[k]) for i in range(JUDGES)
    )
    assert revisions == JUDGES * 2 * 2 + 2 * changed_criteria
    submits = AuditEvent.objects.filter(action__in=["arena.score.submit", "arena.score.amend"])
    assert submits.count() == 200 + 2 * amended_sheets
    assert verify_chain().ok
    progress = services.sheet_progress(entries[0])
    assert progress == {"scored": JUDGES, "seats": JUDGES}


def test_the_same_sheet_sent_ten_times_at_once_is_stored_once(hall):
    contest, entries, seats = hall
    outcomes = _at_once(
        10,
        lambda i: services.score_submit(seat=seats[0], contestant=entries[0], values=_sheet(0, 0)),
    )
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.created for o in outcomes) == [0] * 9 + [2]
    assert Score.objects.filter(seat=seats[0]).count() == 2
    assert AuditEvent.objects.filter(action="arena.score.submit").count() == 1


def test_closing_while_judges_submit_loses_nothing_half_way(hall):
    contest, entries, seats = hall

    def act(i: int) -> Any:
        if i == 0:
            return services.scoring_close(
                actor=contest.created_by, contest=contest, contestant=entries[0]
            )
        return services.score_submit(seat=seats[i], contestant=entries[0], values=_sheet(i, 0))

    outcomes = _at_once(20, act)
    refused = [o for o in outcomes[1:] if isinstance(o, services.ArenaError)]
    stored = [o for o in outcomes[1:] if not isinstance(o, Exception)]
    assert len(refused) + len(stored) == 19
    closed_at = Contestant.objects.get(pk=entries[0].pk).scoring_closed_at
    # every stored sheet is whole (both criteria) and was written before scoring closed
    rows = Score.objects.filter(contestant=entries[0])
    assert rows.count() == 2 * len(stored)
    assert all(s.submitted_at <= closed_at for s in rows)
