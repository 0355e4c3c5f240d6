"""The key-project lights world of tests/projects_lights, seen from the public portal."""

from __future__ import annotations

import pytest

from tests.factories import build_small_province
from tests.projects_lights.world import LightsWorld, build_lights_world


@pytest.fixture
def lw(db) -> LightsWorld:
    """杭州市's published list, six projects reported through June; nothing computed yet."""
    return build_lights_world(build_small_province())
