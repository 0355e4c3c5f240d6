"""A small race for the races tests: 杭州市 organises six counties in one group, quota 2."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from saima.org import services as org_services
from saima.org.models import Role, Unit, UnitLevel, User
from saima.races.models import Period, Race, Report, Result
from saima.races.reporting import services as reporting
from saima.races.reporting.imports import import_values
from saima.races.results import services as result_services
from saima.races.schemes import services as scheme_services
from tests.factories import build_small_province, make_unit, user_with_role

SCHEME = """
name = "杭州市县区赛马"
[lists]
top = 1
bottom = 1
[[groups]]
code = "{group}"
name = "杭州县区"
quota = 2
[[sections]]
code = "scale"
name = "投资规模"
[[sections]]
code = "quality"
name = "质量"
[[indicators]]
code = "fai"
name = "固定资产投资增速"
section = "scale"
direction = "higher"
weight = 2
unit = "%"
help = "本年累计同比"
[[indicators]]
code = "projects"
name = "重大项目数"
section = "scale"
direction = "higher"
weight = 1
unit = "个"
[[indicators]]
code = "snails"
name = "蜗牛项目数"
section = "quality"
direction = "lower"
weight = 1
unit = "个"
"""

# unit name → (fai, projects, snails)
VALUES = {
    "上城区": (9.0, 5.0, 0.0),
    "淳安县": (6.0, 2.0, 1.0),
    "西湖区": (12.0, 7.0, 0.0),
    "萧山区": (8.0, 4.0, 2.0),
    "余杭区": (10.0, 6.0, 1.0),
    "桐庐县": (4.0, 1.0, 3.0),
}


@dataclass
class RaceWorld:
    province: Unit
    city_a: Unit
    city_b: Unit
    county_b1: Unit
    counties: dict[str, Unit]
    users: dict[str, User]
    race: Race
    group_code: str

    def period(self, year: int = 2026, number: int = 1, days: int = 7) -> Period:
        return reporting.period_open(
            actor=self.users["organiser"],
            race=self.race,
            year=year,
            number=number,
            deadline=timezone.now() + dt.timedelta(days=days),
        )

    def report(self, period: Period, name: str) -> Report:
        return Report.objects.get(period=period, unit=self.counties[name])

    def fill(
        self,
        period: Period,
        values: dict[str, tuple[float, ...]] | None = None,
        *,
        verify: bool = True,
    ) -> None:
        rows = {
            self.counties[name].code: dict(zip(("fai", "projects", "snails"), v, strict=True))
            for name, v in (values or VALUES).items()
        }
        import_values(actor=self.users["organiser"], period=period, values=rows, filename="t.csv")
        if verify:
            ids = Report.objects.filter(period=period).values_list("pk", flat=True)
            reporting.reports_verify_bulk(
                actor=self.users["organiser"], period=period, report_ids=ids
            )

    def published(
        self, year: int = 2026, number: int = 1, values: dict[str, tuple[float, ...]] | None = None
    ) -> Result:
        period = self.period(year, number)
        self.fill(period, values)
        reporting.period_close(actor=self.users["organiser"], period=period)
        result = result_services.result_compute(actor=self.users["organiser"], period=period)
        return result_services.result_publish(actor=self.users["organiser"], result=result)


def build_world(extra_units: int = 0) -> RaceWorld:
    base: dict[str, Any] = build_small_province()
    city_a = base["city_a"]
    counties = {"上城区": base["county_a1"], "淳安县": base["county_a2"]}
    for name in ("西湖区", "萧山区", "余杭区", "桐庐县"):
        counties[name] = make_unit(name, UnitLevel.COUNTY, city_a, kind="区")
    for index in range(extra_units):
        name = f"测试县{index:03d}"
        counties[name] = make_unit(name, UnitLevel.COUNTY, city_a, kind="县")
    users = dict(base["users"])
    users["reporter_other"] = user_with_role(Role.REPORTER, counties["淳安县"], "rep_ca")
    users["organiser_other"] = user_with_role(Role.ORGANISER, base["city_b"], "org_ls")
    group = org_services.peer_group_set(
        actor=None,
        code="hz-counties",
        name="杭州县区",
        owner=city_a,
        members=list(counties.values()),
    )
    race = scheme_services.race_create(
        actor=users["organiser"],
        code="hz-race",
        name="杭州市县区赛马",
        owner=city_a,
        scheme_toml=SCHEME.format(group=group.code),
        robustness_draws=200,
    )
    return RaceWorld(
        base["province"],
        city_a,
        base["city_b"],
        base["county_b1"],
        counties,
        users,
        race,
        group.code,
    )


@pytest.fixture
def world(db, settings, tmp_path) -> RaceWorld:
    settings.MEDIA_ROOT = tmp_path
    return build_world()
