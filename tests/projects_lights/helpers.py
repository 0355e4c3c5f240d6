"""Steps the lights tests share: rules, months computed and published, quarters published."""

from __future__ import annotations

from saima.projects.lights import services as lights
from saima.projects.models import QuarterRating
from saima.projects.ratings import services as ratings
from tests.projects_lights.world import LightsWorld


def computed(world: LightsWorld, through: int = 6, *, publish: bool = True) -> None:
    organiser = world.users["organiser"]
    if not world.plist.rule_versions.exists():
        lights.rules_version_create(
            actor=organiser, project_list=world.plist, preset_code="default"
        )
    for month in range(1, through + 1):
        run = lights.lights_compute(actor=organiser, project_list=world.plist, month=month)
        if publish:
            lights.lights_publish(actor=organiser, run=run)


def published_quarter(world: LightsWorld, quarter: int) -> QuarterRating:
    organiser = world.users["organiser"]
    rating = ratings.rating_propose(actor=organiser, project_list=world.plist, quarter=quarter)
    return ratings.rating_publish(actor=organiser, rating=rating)


TEST_RULES = """
name = "测试规则"
[ratings]
red_flag_count = 2
[incentives]
fund_per_red_flag = "500"
fund_per_snail = "-300"
fund_per_red_card = "-500"
fund_cap = "800"
land_per_red_flag = "50"
land_per_snail = "-30"
"""


def with_test_rules(world: LightsWorld) -> None:
    lights.rules_version_create(
        actor=world.users["organiser"], project_list=world.plist, rules_toml=TEST_RULES
    )
