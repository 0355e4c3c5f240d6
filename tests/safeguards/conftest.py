"""A small world for the safeguards tests.

杭州市 (city A) has two discipline officers (``officer``, ``officer2``) and an officer whose own
person record sits in 上城区 (``officer_local``: she may not handle cases of 上城区's cadres);
丽水市 (city B) has its own (``officer_b``). Cadres: 张三 (上城区, with a login ``cadre``),
李四 (淳安县, frontline), 王五 (千岛湖镇). One reform item owned by 杭州市.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from saima.core import records
from saima.core.records import RecordEntry
from saima.org import services as org_services
from saima.org.models import Person, Role, Unit, User
from saima.safeguards.models import ReformItem, ToleranceApplication
from saima.safeguards.tolerance import services as tolerance
from tests.factories import build_small_province, user_with_role


@dataclass
class World:
    city_a: Unit
    city_b: Unit
    units: dict[str, Unit]
    users: dict[str, User]
    people: dict[str, Person]
    item: ReformItem

    def apply(
        self, person: str = "张三", actor: str = "officer2", **extra: Any
    ) -> ToleranceApplication:
        return tolerance.application_submit(
            actor=self.users[actor],
            item=self.item,
            person=self.people[person],
            facts=extra.pop("facts", "先行先试中出现失误"),
            **extra,
        )

    def assess_all(
        self,
        application: ToleranceApplication,
        *,
        actor: str = "officer",
        failing: tuple[int, ...] = (),
        red_line: int | None = None,
    ) -> None:
        red = 0
        for index, condition in enumerate(tolerance.checklist_of(application)):
            if condition.is_red_line:
                holds = red == red_line
                red += 1
            else:
                holds = index not in failing
            tolerance.assessment_record(
                actor=self.users[actor],
                application=application,
                condition=condition,
                holds=holds,
                reason="经核查",
            )

    def reviewed(self, **extra: Any) -> ToleranceApplication:
        """An application under review with every condition assessed (all met by default)."""
        options = {k: extra.pop(k) for k in ("failing", "red_line") if k in extra}
        application = self.apply(**extra)
        tolerance.application_accept(actor=self.users["officer"], application=application)
        self.assess_all(application, **options)
        return ToleranceApplication.objects.get(pk=application.pk)


def link(user: User, person: Person) -> User:
    user.person = person
    user.save(update_fields=["person"])
    return user


def build_safe_world() -> World:
    base: dict[str, Any] = build_small_province()
    city_a, city_b = base["city_a"], base["city_b"]
    units = {
        "上城区": base["county_a1"],
        "淳安县": base["county_a2"],
        "千岛湖镇": base["town_a1"],
        "缙云县": base["county_b1"],
    }
    people = {
        "张三": org_services.person_create(
            actor=None, name="张三", unit=units["上城区"], position="区长"
        ),
        "李四": org_services.person_create(
            actor=None, name="李四", unit=units["淳安县"], position="县长", frontline=True
        ),
        "王五": org_services.person_create(actor=None, name="王五", unit=units["千岛湖镇"]),
        "赵六": org_services.person_create(actor=None, name="赵六", unit=units["缙云县"]),
    }
    users = {
        "officer": base["users"]["discipline"],
        "officer2": user_with_role(Role.DISCIPLINE, city_a, "disc_hz2"),
        "officer_local": user_with_role(Role.DISCIPLINE, city_a, "disc_sc"),
        "officer_b": user_with_role(Role.DISCIPLINE, city_b, "disc_ls"),
        "organiser": base["users"]["organiser"],
        "organiser_b": user_with_role(Role.ORGANISER, city_b, "org_ls"),
        "reporter": base["users"]["reporter"],
        "viewer": base["users"]["viewer"],
        "nobody": base["users"]["nobody"],
        "superuser": base["users"]["superuser"],
        "cadre": user_with_role(None, None, "cadre"),
    }
    link(users["cadre"], people["张三"])
    colleague = org_services.person_create(actor=None, name="孙七", unit=units["上城区"])
    link(users["officer_local"], colleague)
    item = tolerance.item_create(actor=users["officer"], owner=city_a, name="标准地改革")
    return World(city_a, city_b, units, users, people, item)


@pytest.fixture
def world(db) -> World:
    return build_safe_world()


@pytest.fixture
def negative_section(monkeypatch) -> Callable[[Person, list[RecordEntry]], None]:
    """Register a stand-in for another app's section (a red card, a snail award) for one test."""
    entries_by_person: dict[int, list[RecordEntry]] = {}

    def source(person: Person) -> list[RecordEntry]:
        return entries_by_person.get(person.pk, [])

    monkeypatch.setitem(records._SECTIONS, "tests.cards", (50, "项目亮牌", source))

    def add(person: Person, entries: list[RecordEntry]) -> None:
        entries_by_person[person.pk] = entries

    return add


def card(pk: int, title: str = "2026年第3季度 黄牌", negative: bool = True) -> RecordEntry:
    return RecordEntry(
        ref=f"projects.card:{pk}", when=dt.date(2026, 10, 1), title=title, negative=negative
    )


@pytest.fixture
def media(settings, tmp_path) -> Iterator[None]:
    settings.MEDIA_ROOT = tmp_path
    yield
