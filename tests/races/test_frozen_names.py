"""A published board names each unit as it was named when the result was frozen: a county
renamed afterwards (撤县设区) keeps its old name on earlier boards, their open data and the
portal, and a name edited in the database is named by ``saima verify``."""

from __future__ import annotations

import json

from django.db import connection
from django.urls import reverse

from saima.core.verification import verification_run
from saima.races.models import ResultRow
from saima.races.results import selectors


def _renamed(world) -> None:
    unit = world.counties["淳安县"]
    unit.name = "淳安区"
    unit.save(update_fields=["name"])


def test_the_board_keeps_the_name_frozen_with_the_result(world):
    result = world.published()
    _renamed(world)
    group = ResultRow.objects.filter(result=result).first().group_code
    names = [row.unit_name for row in selectors.board(result, group)["rows"]]
    assert "淳安县" in names and "淳安区" not in names


def test_the_portal_board_and_its_open_data_show_the_frozen_name(client, world):
    result = world.published()
    _renamed(world)
    row = ResultRow.objects.get(result=result, unit=world.counties["淳安县"])
    page = client.get(reverse("portal:races:board_group", args=[result.pk, row.group_code]))
    assert "淳安县" in page.content.decode() and "淳安区" not in page.content.decode()
    data = client.get(reverse("data:races:board", args=[result.pk, row.group_code, "json"]))
    assert "淳安县" in {r["unit_name"] for r in json.loads(data.content)["rows"]}


def test_a_result_frozen_after_the_rename_shows_the_new_name(world):
    world.published(number=1)
    _renamed(world)
    later = world.published(number=2)
    row = ResultRow.objects.get(result=later, unit=world.counties["淳安县"])
    assert row.name == "淳安区"


def test_a_frozen_name_edited_in_the_database_is_named_by_saima_verify(world):
    result = world.published()
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE races_resultrow SET unit_name = %s WHERE result_id = %s AND unit_id = %s",
            ["某某县", result.pk, world.counties["淳安县"].pk],
        )
    report = verification_run()
    problems = next(item.problems for item in report.findings if item.name == "races.results")
    assert any("names it '某某县'" in p and "'淳安县'" in p for p in problems)
