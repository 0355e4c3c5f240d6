"""Reads: a published result carries the same numbers and digest as its verification kit, a
race its scheme as stored and parsed; paging and filters; anonymous throttling."""

from __future__ import annotations

import csv
import io
import zipfile

from saima.races.models import Result
from saima.races.results.exports import kit_zip
from saima.races.schemes.selectors import parse_scheme


def _kit(result: Result) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(kit_zip(result))) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def _number(text: str) -> float | None:
    return None if text == "" else float(text)


def test_a_result_has_the_numbers_and_digest_of_its_kit(api, world):
    result = Result.objects.get(pk=world.s.published.pk)
    body = api().get(f"/results/{result.pk}").json()
    kit = _kit(result)
    assert body["digest"] == kit["SHA256.txt"].strip()
    assert body["scheme_toml"] == kit["scheme.toml"]
    assert body["command"] in kit["README.txt"]
    kit_rows = list(csv.DictReader(io.StringIO(kit["result.csv"])))
    assert [r["unit"] for r in body["rows"]] == [r["unit"] for r in kit_rows]
    for row, kit_row in zip(body["rows"], kit_rows, strict=True):
        assert row["name"] == kit_row["name"] and row["rank"] == int(kit_row["rank"])
        assert row["score"] == float(kit_row["score"])
        for code, value in row["contributions"].items():
            assert value == _number(kit_row[f"contrib:{code}"])
        for code, value in row["gaps"].items():
            assert value == _number(kit_row[f"gap:{code}"])
        assert row["p_selected"] == _number(kit_row["p_selected"])
    data = list(csv.reader(io.StringIO(kit["data.csv"])))
    assert data[0] == ["unit", "group", *body["inputs"]["indicators"]]
    assert [r[0] for r in data[1:]] == body["inputs"]["units"]


def test_a_race_has_its_scheme_as_stored_and_parsed(api, world):
    race = world.s.race
    body = api().get(f"/races/{race.code}").json()
    scheme = parse_scheme(race.scheme_toml)
    assert body["scheme_toml"] == race.scheme_toml
    assert [i["code"] for i in body["scheme"]["indicators"]] == list(scheme.codes)
    assert body["scheme"]["groups"][0]["quota"] == scheme.groups[0].quota


def test_results_filter_by_unit_and_rows_by_unit(api, world):
    s = world.s
    other = s.users["reporter_b"].grants.get().unit
    assert api().get("/results", unit=other.code).json()["count"] == 0
    assert api().get("/results", unit=s.unit_a.code).json()["count"] == 1
    rows = api().get(f"/results/{s.published.pk}", unit=s.unit_a.code).json()["rows"]
    assert [r["unit"] for r in rows] == [s.unit_a.code]


def test_lists_page_with_limit_and_offset(api, world):
    first = api("organiser").get("/units", limit=2, offset=0).json()
    second = api("organiser").get("/units", limit=2, offset=2).json()
    assert first["count"] == second["count"] > 4
    assert len(first["items"]) == len(second["items"]) == 2
    assert {u["code"] for u in first["items"]}.isdisjoint(u["code"] for u in second["items"])
    assert api("organiser").get("/units", limit=0).status_code == 422
    within = api("organiser").get("/units", within=world.s.city_a.code).json()["items"]
    assert {u["name"] for u in within} >= {"杭州市", "上城区", "千岛湖镇"}
    assert "丽水市" not in {u["name"] for u in within}


def test_anonymous_requests_are_throttled_per_address(api, world, settings):
    settings.API_RATE_ANONYMOUS = 3
    assert [api().get("/races").status_code for _ in range(4)] == [200, 200, 200, 429]
    assert api("reporter").get("/races").status_code == 200


def test_the_root_points_to_the_documentation(api, world):
    body = api().get("/").json()
    assert body["docs"] == "/api/docs" and body["openapi"] == "/api/v1/openapi.json"
