"""The races world of tests/races, seen from the public portal."""

from __future__ import annotations

import pytest

from tests.races.conftest import RaceWorld, build_world


@pytest.fixture
def world(db, settings, tmp_path) -> RaceWorld:
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def computed(world: RaceWorld, year: int = 2026, number: int = 2):
    """A result computed and frozen but not published."""
    from saima.races.reporting import services as reporting
    from saima.races.results import services as result_services

    period = world.period(year, number)
    world.fill(period)
    reporting.period_close(actor=world.users["organiser"], period=period)
    return result_services.result_compute(actor=world.users["organiser"], period=period)
