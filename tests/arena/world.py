"""An arena world for tests: contests owned by 杭州市 in every state a page can show."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils import timezone

from saima.arena import services
from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    Criterion,
    JudgeSeat,
    Panel,
    PledgeItem,
    Series,
)
from saima.org.models import Person, Unit, UnitLevel, User
from tests.factories import make_unit

DEPARTMENTS = ("发改局", "商务局", "住建局", "财政局", "自然资源局")


@dataclass
class ArenaWorld:
    organiser: User  # organiser of 杭州市 (the owner)
    departments: dict[str, Unit]
    series: Series
    draft: Contest  # 筹备中: rubric, contestants, seats, no order yet
    running: Contest  # 进行中: 发改局 on stage with scoring open, one sheet in
    revealed: Contest  # 已揭晓, not released
    released: Contest  # 已揭晓 and released (the same series as ``running``)
    seats: dict[str, JudgeSeat] = field(default_factory=dict)  # of ``running``
    tokens: dict[str, str] = field(default_factory=dict)  # seat name → link token (running)
    presenter: User | None = None  # the user of 发改局's presenter (a contestant)


def _contest(organiser: User, owner: Unit, title: str, series: Series | None, day: int) -> Contest:
    return services.contest_create(
        actor=organiser,
        owner=owner,
        title=title,
        date=timezone.localdate() + dt.timedelta(days=day),
        series=series,
        min_kept=2,
    )


def _setup(
    organiser: User,
    contest: Contest,
    departments: dict[str, Unit],
    people: dict[str, Person],
    judges_unit: Unit,
) -> dict[str, JudgeSeat]:
    save = lambda obj: services.setup_save(actor=organiser, contest=contest, obj=obj)  # noqa: E731
    save(Criterion(contest=contest, code="progress", name="项目进度", maximum=60, weight=60))
    save(
        Criterion(
            contest=contest, code="speech", name="现场表现", maximum=40, weight=40, position=1
        )
    )
    leaders = save(Panel(contest=contest, code="leaders", name="县领导", weight=Decimal("0.6")))
    others = save(
        Panel(
            contest=contest, code="others", name="其他参会人员", weight=Decimal("0.4"), position=1
        )
    )
    for i, name in enumerate(DEPARTMENTS[:3]):
        entry = save(
            Contestant(
                contest=contest, unit=departments[name], person=people[name], topic=f"{name}攻坚"
            )
        )
        save(PledgeItem(contestant=entry, item="新签约项目", target=Decimal(3 + i), measure="个"))
    seats = {}
    for i, name in enumerate(("书记", "县长", "常务副县长")):
        seats[name] = save(
            JudgeSeat(contest=contest, panel=leaders, name=name, unit=judges_unit, position=i)
        )
    for i, name in enumerate(("局长甲", "局长乙", "局长丙")):
        seats[name] = save(
            JudgeSeat(contest=contest, panel=others, name=name, unit=judges_unit, position=i)
        )
    # 商务局's own head sits as a judge: an own-unit conflict with 商务局.
    seats["商务局长"] = save(
        JudgeSeat(
            contest=contest, panel=others, name="商务局长", unit=departments["商务局"], position=9
        )
    )
    save(
        Conflict(
            seat=seats["局长丙"],
            contestant=contest.contestants.get(unit=departments["住建局"]),
            reason="曾任住建局局长",
        )
    )
    return seats


SHEETS = {  # judge → contestant department → (progress, speech)
    "书记": {"发改局": (52, 34), "商务局": (48, 36), "住建局": (40, 30)},
    "县长": {"发改局": (50, 35), "商务局": (49, 33), "住建局": (42, 31)},
    "常务副县长": {"发改局": (54, 36), "商务局": (47, 35), "住建局": (41, 29)},
    "局长甲": {"发改局": (45, 30), "商务局": (56, 38), "住建局": (44, 32)},
    "局长乙": {"发改局": (47, 31), "商务局": (55, 37), "住建局": (43, 30)},
    "局长丙": {"发改局": (46, 32), "商务局": (54, 36)},
    "商务局长": {"发改局": (58, 39), "住建局": (30, 20)},
}


def score_all(
    organiser: User, contest: Contest, seats: dict[str, JudgeSeat], departments: dict[str, Unit]
) -> None:
    for entry in contest.contestants.order_by("position"):
        services.scoring_open(actor=organiser, contest=contest, contestant=entry)
        for judge, sheet in SHEETS.items():
            values = sheet.get(entry.unit.name)
            if values is not None:
                services.score_submit(
                    seat=seats[judge],
                    contestant=entry,
                    values={"progress": values[0], "speech": values[1]},
                )
        services.scoring_close(
            actor=organiser, contest=Contest.objects.get(pk=contest.pk), contestant=entry
        )


def _fixed(organiser: User, contest: Contest) -> None:
    order = list(contest.contestants.order_by("pk").values_list("pk", flat=True))
    services.order_fix(actor=organiser, contest=contest, order=order)


def build_arena(city: Unit, organiser: User, *, presenter: User | None = None) -> ArenaWorld:
    departments = {name: make_unit(name, UnitLevel.DEPARTMENT, city) for name in DEPARTMENTS}
    people = {
        name: Person.objects.create(name=f"{name}局长", position="局长", unit=unit)
        for name, unit in departments.items()
    }
    if presenter is not None:
        presenter.person = people["发改局"]
        presenter.save(update_fields=["person"])
    judges_unit = city
    series = services.series_create(actor=organiser, owner=city, name="双月擂台")

    released = _contest(organiser, city, "第一期双月擂台", series, -60)
    seats_r = _setup(organiser, released, departments, people, judges_unit)
    _fixed(organiser, released)
    services.contest_ready(actor=organiser, contest=released)
    score_all(organiser, released, seats_r, departments)
    services.contest_close(actor=organiser, contest=released)
    services.contest_reveal(actor=organiser, contest=released)
    services.contest_release(actor=organiser, contest=released)

    revealed = _contest(organiser, city, "项目攻坚擂台", None, -30)
    seats_v = _setup(organiser, revealed, departments, people, judges_unit)
    _fixed(organiser, revealed)
    services.contest_ready(actor=organiser, contest=revealed)
    score_all(organiser, revealed, seats_v, departments)
    services.contest_close(actor=organiser, contest=revealed)
    services.contest_reveal(actor=organiser, contest=revealed)

    running = _contest(organiser, city, "第二期双月擂台", series, 0)
    seats = _setup(organiser, running, departments, people, judges_unit)
    services.order_draw(actor=organiser, contest=running, seed=20260111)
    services.contest_ready(actor=organiser, contest=running)
    first = running.contestants.get(unit=departments["发改局"])
    services.scoring_open(actor=organiser, contest=running, contestant=first)
    tokens = {
        name: services.link_issue(actor=organiser, seat=seat)[1] for name, seat in seats.items()
    }
    services.score_submit(
        seat=seats["书记"], contestant=first, values={"progress": 50, "speech": 35}
    )

    draft = _contest(organiser, city, "招商引资擂台", None, 30)
    _setup(organiser, draft, departments, people, judges_unit)
    return ArenaWorld(
        organiser=organiser,
        departments=departments,
        series=series,
        draft=Contest.objects.get(pk=draft.pk),
        running=Contest.objects.get(pk=running.pk),
        revealed=Contest.objects.get(pk=revealed.pk),
        released=Contest.objects.get(pk=released.pk),
        seats=seats,
        tokens=tokens,
        presenter=presenter,
    )


def refresh(obj: Any) -> Any:
    obj.refresh_from_db()
    return obj
