"""The pages that had no test of their own: a new race, a new period, a unit's history export,
raising an objection and the organiser's list of objections."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from saima.races.models import Objection, Period, Race, ReportStatus
from saima.races.objections import services as objection_services
from tests.races.conftest import SCHEME


def _as(client, world, role):
    client.force_login(world.users[role])
    return client


def _deadline(days: int = 5) -> str:
    return timezone.localtime(timezone.now() + dt.timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")


# ---------------------------------------------------------------- a new race, a new period


def test_an_organiser_creates_a_race_from_a_pasted_scheme(client, world):
    response = _as(client, world, "organiser").post(
        reverse("races:race_new"),
        {
            "owner": world.city_a.pk,
            "code": "hz-second",
            "name": "第二场赛马",
            "cadence": "quarter",
            "template": "",
            "scheme_text": SCHEME.format(group=world.group_code),
        },
    )
    assert response.status_code == 302 and response["Location"] == "/races/hz-second/"
    race = Race.objects.get(code="hz-second")
    assert (race.name, race.owner) == ("第二场赛马", world.city_a)


def test_a_new_race_with_a_taken_code_is_refused_on_the_form(client, world):
    response = _as(client, world, "organiser").post(
        reverse("races:race_new"),
        {
            "owner": world.city_a.pk,
            "code": world.race.code,
            "name": "重名",
            "cadence": "quarter",
            "scheme_text": SCHEME.format(group=world.group_code),
        },
    )
    assert response.status_code == 200
    assert f"代码「{world.race.code}」已被使用" in response.content.decode()
    assert Race.objects.filter(name="重名").count() == 0


@pytest.mark.parametrize("role", ["reporter", "viewer", "nobody"])
def test_only_organisers_may_open_the_new_race_page(client, world, role):
    assert _as(client, world, role).get(reverse("races:race_new")).status_code == 403


def test_an_organiser_opens_a_period_and_every_unit_gets_a_report(client, world):
    url = reverse("races:period_new", args=[world.race.code])
    response = _as(client, world, "organiser").post(
        url, {"year": 2027, "number": 2, "deadline": _deadline()}
    )
    period = Period.objects.get(race=world.race, year=2027, number=2)
    assert response["Location"] == reverse("races:period", args=[period.pk])
    statuses = set(period.reports.values_list("status", flat=True))
    assert period.reports.count() == len(world.counties) and statuses == {ReportStatus.NOT_STARTED}


def test_opening_the_same_period_twice_is_refused_on_the_form(client, world):
    world.period(2027, 2)
    response = _as(client, world, "organiser").post(
        reverse("races:period_new", args=[world.race.code]),
        {"year": 2027, "number": 2, "deadline": _deadline()},
    )
    assert "该周期已经存在" in response.content.decode()
    assert Period.objects.filter(race=world.race, year=2027, number=2).count() == 1


@pytest.mark.parametrize("role", ["reporter", "organiser_other"])
def test_only_the_races_organisers_may_open_a_period(client, world, role):
    response = _as(client, world, role).post(
        reverse("races:period_new", args=[world.race.code]),
        {"year": 2027, "number": 2, "deadline": _deadline()},
    )
    assert response.status_code == 403
    assert not Period.objects.filter(race=world.race, year=2027).exists()


# ---------------------------------------------------------------- a unit's history


def test_a_units_history_exports_one_row_per_published_period(client, world):
    world.published(2026, 1)
    second = world.published(2026, 2)
    response = client.get(
        reverse("races:unit_history", args=[second.pk, world.counties["西湖区"].code])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == ["周期", "名次", "得分", "入选", "入选概率"]
    assert [r[0] for r in rows[1:]] == ["2026Q1", "2026Q2"]


def test_the_history_of_a_unit_outside_the_result_is_not_found(client, world):
    result = world.published()
    url = reverse("races:unit_history", args=[result.pk, world.county_b1.code])
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- objections


def test_a_reporter_raises_an_objection_for_their_unit(client, world):
    result = world.published()
    url = reverse("races:objection_new", args=[result.pk, world.counties["上城区"].code])
    client = _as(client, world, "reporter")
    assert "异议" in client.get(url).content.decode()
    response = client.post(url, {"reasons": "固定资产投资增速填报有误"})
    objection = Objection.objects.get(result=result)
    assert response["Location"] == reverse("races:objection", args=[objection.pk])
    assert (objection.unit, objection.reasons) == (
        world.counties["上城区"],
        "固定资产投资增速填报有误",
    )


def test_the_organiser_lists_and_exports_the_races_objections(client, world):
    result = world.published()
    objection = objection_services.objection_submit(
        actor=world.users["reporter"], result=result, unit=world.counties["上城区"], reasons="漏报"
    )
    url = reverse("races:objections", args=[world.race.code])
    client = _as(client, world, "organiser")
    page = client.get(url).content.decode()
    assert "上城区" in page and reverse("races:objection", args=[objection.pk]) in page
    sheet = load_workbook(io.BytesIO(client.get(url + "?format=xlsx").content)).active
    assert [c.value for c in sheet[1]][:4] == ["周期", "单位", "提出时间", "理由"]
    assert [c.value for c in sheet[2]][1] == "上城区"


@pytest.mark.parametrize("role", ["reporter", "organiser_other", "viewer"])
def test_the_list_of_objections_is_for_the_races_organisers(client, world, role):
    world.published()
    url = reverse("races:objections", args=[world.race.code])
    assert _as(client, world, role).get(url).status_code == 403
