"""Open data: the published tables as CSV and JSON, the catalogue and the Atom feed."""

from __future__ import annotations

import json
import math
import xml.etree.ElementTree as ET

from django.urls import reverse

from saima.org.models import Unit
from saima.races.models import Race
from tests.races.conftest import VALUES

ATOM = "{http://www.w3.org/2005/Atom}"


def _get_json(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def test_a_boards_json_has_numbers_as_numbers_and_names_its_result_and_digest(client, world):
    result = world.published()
    url = reverse("data:races:board", args=[result.pk, world.group_code, "json"])
    document = _get_json(client, url)
    assert document["schema"] == "saima.races.board/1"
    assert document["result"]["digest"] == result.digest
    assert document["result"]["id"] == result.pk and document["result"]["version"] == 1
    assert document["race"]["code"] == world.race.code
    assert document["group"] == {"code": world.group_code, "name": "杭州县区", "quota": 2}
    rows = document["rows"]
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    first = rows[0]
    assert first["unit_name"] == "西湖区" and first["selected"] is True
    assert isinstance(first["score"], float) and isinstance(first["rank"], int)
    assert isinstance(first["p_selected"], float)
    assert set(first) == set(document["columns"])


def test_the_json_matches_the_frozen_rows_exactly(client, world):
    from saima.races.models import ResultRow

    result = world.published()
    url = reverse("data:races:board", args=[result.pk, world.group_code, "json"])
    rows = {r["unit_code"]: r for r in _get_json(client, url)["rows"]}
    for stored in ResultRow.objects.filter(result=result).select_related("unit"):
        assert rows[stored.unit.code]["score"] == stored.score
        assert rows[stored.unit.code]["rank"] == stored.rank


def test_a_unit_that_did_not_report_has_a_null_score_not_nan(client, world):
    from saima.races.reporting import services as reporting
    from saima.races.results import services as result_services

    scheme = world.race.scheme_toml + '\n[unreported]\ntreatment = "last"\n'
    Race.objects.filter(pk=world.race.pk).update(scheme_toml=scheme)
    world.race.refresh_from_db()
    period = world.period()
    world.fill(period, {k: v for k, v in VALUES.items() if k != "桐庐县"})
    reporting.period_close(actor=world.users["organiser"], period=period)
    result = result_services.result_publish(
        actor=world.users["organiser"],
        result=result_services.result_compute(actor=world.users["organiser"], period=period),
    )
    url = reverse("data:races:board", args=[result.pk, world.group_code, "json"])
    body = client.get(url).content.decode()
    assert "NaN" not in body
    rows = json.loads(body)["rows"]
    last = rows[-1]
    assert last["unit_name"] == "桐庐县" and last["unreported"] and last["score"] is None
    assert all(math.isfinite(r["score"]) for r in rows[:-1])


def test_a_boards_csv_neutralises_formulas_in_unit_names(client, world):
    Unit.objects.filter(pk=world.counties["西湖区"].pk).update(name='=HYPERLINK("x")')
    result = world.published()
    url = reverse("data:races:board", args=[result.pk, world.group_code, "csv"])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("名次,名次变化,单位代码,单位,得分")
    assert "黑榜" in text and "black" not in text
    assert ",'=HYPERLINK" in text or ",\"'=HYPERLINK" in text
    assert ",=HYPERLINK" not in text


def test_an_unknown_format_is_not_found(client, world):
    result = world.published()
    for fmt in ("xlsx", "html", "json.exe"):
        url = f"/data/races/results/{result.pk}/{world.group_code}.{fmt}"
        assert client.get(url).status_code == 404, fmt


def test_the_incentives_json_counts_each_units_listings(client, world):
    world.published(2026, 1)
    world.published(2026, 2)
    url = reverse("data:races:incentives", args=[world.race.code, "json"])
    document = _get_json(client, url)
    assert document["schema"] == "saima.races.incentives/1"
    assert [p["period"]["number"] for p in document["periods"]] == [2, 1]
    xihu = next(r for r in document["rows"] if r["unit_name"] == "西湖区")
    assert xihu["times"] == 2 and xihu["periods"] == ["2026Q1", "2026Q2"]
    assert xihu["funds_yuan"] == 2 * float(world.race.reward_funds_yuan)
    assert document["periods"][0]["result"]["digest"]


def test_open_data_reads_the_same_in_every_language(client, world):
    result = world.published()
    url = reverse("data:races:board", args=[result.pk, world.group_code, "json"])
    chinese = client.get(url).content
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content
    assert chinese == english
    assert "2026年第1季度" in chinese.decode()


def test_the_feed_lists_publications_and_corrections_newest_first(client, world):
    from saima.races.reporting import services as reporting
    from saima.races.results import services as result_services

    first = world.published(2026, 1)
    second = world.published(2026, 2)
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(first.period, "上城区"),
        values={"fai": 1.0},
        reason="统计局核定数",
    )
    correction = result_services.result_publish(
        actor=world.users["organiser"],
        result=result_services.result_compute(
            actor=world.users["organiser"], period=first.period, reason="更正"
        ),
    )
    response = client.get(reverse("data:feed"))
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert len(entries) == 3
    assert "第 2 版（更正）" in titles[0] and "2026年第1季度" in titles[0]
    assert "2026年第2季度" in titles[1]
    links = [e.find(f"{ATOM}link").get("href") for e in entries]
    assert links[0].endswith(reverse("portal:races:board", args=[correction.pk]))
    assert links[1].endswith(reverse("portal:races:board", args=[second.pk]))
    ids = [e.find(f"{ATOM}id").text for e in entries]
    assert len(set(ids)) == 3
    assert second.digest in entries[1].find(f"{ATOM}summary").text
