from __future__ import annotations

import pytest

from saima.org.models import Role
from tests.arena.world import ArenaWorld, build_arena
from tests.factories import build_small_province, user_with_role


@pytest.fixture
def world(db) -> ArenaWorld:
    base = build_small_province()
    presenter = user_with_role(None, None, "presenter")
    built = build_arena(base["city_a"], base["users"]["organiser"], presenter=presenter)
    built.users = {**base["users"], "presenter": presenter}  # type: ignore[attr-defined]
    built.users["organiser_b"] = user_with_role(Role.ORGANISER, base["city_b"], "org_ls")  # type: ignore[attr-defined]
    built.users["organiser"] = base["users"]["organiser"]  # type: ignore[attr-defined]
    return built
