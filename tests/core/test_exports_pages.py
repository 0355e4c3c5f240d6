"""The safe exports as the pages serve them: objection reasons carrying formula payloads, and
unit or group names that are not valid sheet titles."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from saima.races.objections.services import objection_submit
from tests.core.test_exports import PAYLOADS
from tests.races.conftest import build_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    world = build_world()
    return world, world.published()


def test_objection_reasons_export_as_inert_text_in_csv_and_xlsx(client, published):
    world, result = published
    names = list(world.counties)
    for index, payload in enumerate(PAYLOADS):
        objection = objection_submit(
            actor=world.users["organiser"],
            result=result,
            unit=world.counties[names[index % len(names)]],
            reasons=payload,
        )
        # one open objection per unit: mark each answered so the unit may raise the next
        type(objection).objects.filter(pk=objection.pk).update(status="rejected")
    client.force_login(world.users["organiser"])
    url = reverse("races:objections", args=[world.race.code])
    text = client.get(url, {"format": "csv"}).content.decode("utf-8-sig")
    reasons = [row[3] for row in list(csv.reader(io.StringIO(text, newline="")))[1:]]
    stored = [p.strip() for p in PAYLOADS]  # the service keeps the reasons stripped
    assert sorted(reasons) == sorted("'" + p if p[0] in "=+-@" else p for p in stored)
    content = client.get(url, {"format": "xlsx"}).content
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")
    cells = [row[3] for row in load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2)]
    assert {c.data_type for c in cells} == {"s"}
    assert not any(str(c.value).startswith(("=", "+", "-", "@")) for c in cells)


def test_a_unit_named_with_brackets_exports_its_history_as_xlsx(client, published):
    world, result = published
    unit = world.counties["淳安县"]
    type(unit).objects.filter(pk=unit.pk).update(name="松阳县[试点]")
    url = reverse("races:unit_history", args=[result.pk, unit.code])
    response = client.get(url, {"format": "xlsx"})
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["松阳县_试点_"]


def test_a_group_named_with_a_slash_exports_its_board_as_xlsx(client, published):
    world, result = published
    frozen = result.scheme_toml.replace('name = "杭州县区"', 'name = "杭州/县区"', 1)
    assert frozen != result.scheme_toml
    type(result).objects.filter(pk=result.pk).update(scheme_toml=frozen)
    response = client.get(reverse("races:board", args=[result.pk]), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment; filename")
