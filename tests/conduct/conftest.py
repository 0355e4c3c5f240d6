"""A small world for the conduct app: the small province, cadres, discipline officers with
their own units (for 回避), and helpers to submit clues through the public form."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from saima.conduct import clues
from saima.conduct.clues import ClueInput
from saima.conduct.models import Clue
from saima.org import services
from saima.org.models import Person, Role, Unit, User
from tests.factories import build_small_province, user_with_role

RECEIPT = re.compile(r"data-receipt>([^<]+)<")


@dataclass
class World:
    province: Unit
    city_a: Unit  # 杭州市
    city_b: Unit  # 丽水市
    county: Unit  # 淳安县, in city A
    town: Unit  # 千岛湖镇, in 淳安县
    other_county: Unit  # 上城区, in city A
    county_b: Unit  # 缙云县, in city B
    cadre: Person  # 千岛湖镇 副镇长
    users: dict[str, User]

    def input(self, **extra: Any) -> ClueInput:
        values: dict[str, Any] = {
            "unit": self.town,
            "summary": "项目审批拖延",
            "account": "材料交齐三个月无答复。",
        }
        values.update(extra)
        return ClueInput(**values)


def jpeg(size: tuple[int, int] = (32, 24), **save: Any) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", **save)
    return out.getvalue()


def png(size: tuple[int, int] = (16, 16)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, (0, 90, 200, 255)).save(out, "PNG")
    return out.getvalue()


def upload(content: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def build_world() -> World:
    base: dict[str, Any] = build_small_province()
    town, county = base["town_a1"], base["county_a2"]
    cadre = services.person_create(actor=None, name="周建", unit=town, position="副镇长")
    officer_person = services.person_create(
        actor=None, name="陈静", unit=county, position="县纪委副书记"
    )
    users = dict(base["users"])
    # 杭州市 discipline officer with no person record (handles the whole city)
    users["officer_a"] = users["discipline"]
    # 淳安县's own discipline officer: may not handle clues about 淳安县 itself
    officer_county = user_with_role(Role.DISCIPLINE, county, "disc_ca")
    officer_county.person = officer_person
    officer_county.save()
    users["officer_county"] = officer_county
    users["officer_b"] = user_with_role(Role.DISCIPLINE, base["city_b"], "disc_ls")
    users["reporter_town"] = user_with_role(Role.REPORTER, town, "rep_qdh")
    cadre_user = user_with_role(Role.DISCIPLINE, base["city_a"], "disc_cadre")
    cadre_user.person = cadre
    cadre_user.save()
    users["officer_cadre"] = cadre_user  # is the cadre: never handles clues about himself
    return World(
        province=base["province"],
        city_a=base["city_a"],
        city_b=base["city_b"],
        county=county,
        town=town,
        other_county=base["county_a1"],
        county_b=base["county_b1"],
        cadre=cadre,
        users=users,
    )


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def submit(world: World, **extra: Any) -> tuple[Clue, str]:
    clue, receipt = clues.clue_submit(data=world.input(**extra))
    return clue, receipt.code


def post_clue(client: Client, world: World, **extra: Any):
    data = {
        "unit": world.town.pk,
        "summary": "项目审批拖延",
        "account": "材料交齐三个月无答复。",
        "anonymous": "1",
    }
    data.update(extra)
    return client.post(reverse("conduct:report"), data)


def receipt_of(response) -> str:
    found = RECEIPT.search(response.content.decode())
    assert found, response.content.decode()[:2000]
    return found.group(1)
