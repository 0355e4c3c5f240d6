from __future__ import annotations

import pytest

from tests.factories import build_small_province
from tests.projects_lights.world import LightsWorld, build_lights_world


@pytest.fixture
def world(db) -> LightsWorld:
    return build_lights_world(build_small_province())
