"""A small world for the projects tests: 杭州市 (city A) runs a key-project list; 丽水市 (city B)
has its own organiser and reporter, who must see nothing of it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from saima.org.models import Role, Unit, User
from tests.factories import build_small_province, user_with_role
from tests.projects.samples import ProjectSamples, build_project_samples


@dataclass
class World:
    base: dict[str, Any]
    users: dict[str, User]
    city_a: Unit
    unit_a: Unit
    unit_a2: Unit
    samples: ProjectSamples


@pytest.fixture
def world(db) -> World:
    return build_world()


def build_world() -> World:
    base = build_small_province()
    users = {
        "organiser_a": base["users"]["organiser"],
        "reporter_a": base["users"]["reporter"],
        "discipline_a": base["users"]["discipline"],
        "viewer_a": base["users"]["viewer"],
        "nobody": base["users"]["nobody"],
        "superuser": base["users"]["superuser"],
        "organiser_b": user_with_role(Role.ORGANISER, base["city_b"], "org_ls"),
        "reporter_b": user_with_role(Role.REPORTER, base["county_b1"], "rep_jy"),
        "reporter_a2": user_with_role(Role.REPORTER, base["county_a2"], "rep_ca"),
    }
    samples = build_project_samples(
        city_a=base["city_a"], unit_a=base["county_a1"], unit_a2=base["county_a2"], users=users
    )
    return World(base, users, base["city_a"], base["county_a1"], base["county_a2"], samples)
