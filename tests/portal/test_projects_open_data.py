"""Key projects' open data: a published month's lights and a published quarter's lists as CSV
and JSON, in the catalogue and the Atom feed; and the kept pages renewed on publication."""

from __future__ import annotations

import csv
import io
import json
import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from saima.projects.lights import services as lights
from saima.projects.models import LightRun, MonthlyLight, Project
from saima.projects.ratings import services as ratings
from tests.factories import build_small_province
from tests.projects_lights.helpers import computed, published_quarter, with_test_rules
from tests.projects_lights.world import LightsWorld, build_lights_world


@pytest.fixture
def lw(db) -> LightsWorld:
    """杭州市's published list, six projects reported through June; nothing computed yet."""
    return build_lights_world(build_small_province())


ATOM = "{http://www.w3.org/2005/Atom}"
HOSTILE = '=HYPERLINK("http://evil.example","点我")'


def _json(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def _csv(client, url) -> list[list[str]]:
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_a_months_lights_json_follows_its_schema_with_numbers_as_numbers(client, lw):
    computed(lw, through=4)
    run = LightRun.objects.get(project_list=lw.plist, month=4, is_current=True)
    document = _json(client, reverse("data:projects:lights", args=[lw.plist.code, 4, "json"]))
    assert document["schema"] == "saima.projects.lights/1"
    assert document["list"] == {
        "code": lw.plist.code,
        "name": lw.plist.name,
        "year": 2026,
        "owner": {"code": lw.units["city_a"].code, "name": "杭州市"},
    }
    assert document["month"] == 4
    assert document["run"]["outputs_digest"] == run.outputs_digest
    assert document["run"]["rule_version"] == run.rule_version.version
    rows = {r["project_code"]: r for r in document["rows"]}
    assert len(rows) == 6
    for stored in MonthlyLight.objects.filter(run=run).select_related("project"):
        row = rows[stored.project.code]
        assert row["light"] == ("green", "yellow", "red", "grey")[stored.light]
        assert row["lag"] == stored.lag and row["spi"] == stored.spi
        assert set(row) == set(document["columns"])
    assert rows[lw.projects["P3"].code]["light"] == "red"
    assert isinstance(rows[lw.projects["P3"].code]["lag"], float)
    assert isinstance(rows[lw.projects["P3"].code]["rule_version"], int)


def test_a_grey_light_has_null_figures_not_nan(client, lw):
    computed(lw, through=2)
    text = client.get(reverse("data:projects:lights", args=[lw.plist.code, 2, "json"])).content
    assert b"NaN" not in text
    p4 = next(r for r in json.loads(text)["rows"] if r["project_code"] == lw.projects["P4"].code)
    assert p4["light"] == "grey"


def test_a_months_csv_has_chinese_headers_and_light_words(client, lw):
    computed(lw, through=4)
    rows = _csv(client, reverse("data:projects:lights", args=[lw.plist.code, 4, "csv"]))
    header = next(r for r in rows if r and r[0] == "项目代码")
    assert header == [
        "项目代码",
        "项目名称",
        "所在地代码",
        "所在地",
        "亮灯",
        "滞后（百分点）",
        "进度绩效指数SPI",
        "规则版本",
    ]
    body = rows[rows.index(header) + 1 :]
    assert len(body) == 6
    assert {r[4] for r in body} <= {"绿灯", "黄灯", "红灯", "灰灯（未报送）"}
    assert "red" not in {r[4] for r in body}


def test_a_formula_in_a_project_name_is_neutralised_in_the_csv(client, lw):
    Project.objects.filter(pk=lw.projects["P1"].pk).update(name=HOSTILE)
    computed(lw, through=3)
    url = reverse("data:projects:lights", args=[lw.plist.code, 3, "csv"])
    rows = _csv(client, url)
    names = {r[1] for r in rows if r and r[0] == lw.projects["P1"].code}
    assert names == {"'" + HOSTILE}
    # the JSON keeps the name as it is (a JSON reader evaluates nothing)
    document = _json(client, reverse("data:projects:lights", args=[lw.plist.code, 3, "json"]))
    assert HOSTILE in {r["project_name"] for r in document["rows"]}


def test_a_formula_in_a_rated_projects_name_is_neutralised_in_the_quarters_csv(client, lw):
    with_test_rules(lw)
    computed(lw, through=3)
    rating = published_quarter(lw, 1)
    entry = rating.entries.filter(removed=False).select_related("project").first()
    Project.objects.filter(pk=entry.project_id).update(name=HOSTILE)
    rows = _csv(client, reverse("data:projects:rating", args=[lw.plist.code, 1, "csv"]))
    names = {r[2] for r in rows if len(r) > 2 and r[1] == entry.project.code}
    assert names == {"'" + HOSTILE}


def test_a_quarters_json_lists_red_flags_and_snails_with_reasons(client, lw):
    with_test_rules(lw)
    computed(lw, through=3)
    rating = published_quarter(lw, 1)
    document = _json(client, reverse("data:projects:rating", args=[lw.plist.code, 1, "json"]))
    assert document["schema"] == "saima.projects.ratings/1"
    assert document["quarter"] == 1 and document["label"] == "2026年第1季度"
    assert document["rating"]["published_at"] == rating.published_at.isoformat()
    kept = rating.entries.filter(removed=False)
    assert len(document["rows"]) == kept.count() > 0
    kinds = {(r["project_code"], r["kind"]) for r in document["rows"]}
    assert kinds == {(e.project.code, e.kind) for e in kept}
    assert all(r["reason"] for r in document["rows"])
    assert set(document["rows"][0]) == set(document["columns"])


def test_a_quarters_csv_names_the_kind_in_chinese_and_leaves_removed_entries_out(client, lw):
    with_test_rules(lw)
    computed(lw, through=3)
    organiser = lw.users["organiser"]
    rating = ratings.rating_propose(actor=organiser, project_list=lw.plist, quarter=1)
    removed = rating.entries.filter(kind="red_flag").first()
    ratings.rating_entry_remove(actor=organiser, entry=removed, reason="内部意见")
    ratings.rating_publish(actor=organiser, rating=rating)
    rows = _csv(client, reverse("data:projects:rating", args=[lw.plist.code, 1, "csv"]))
    header = next(r for r in rows if r and r[0] == "类别")
    assert header[:3] == ["类别", "项目代码", "项目名称"] and header[-1] == "依据"
    body = rows[rows.index(header) + 1 :]
    assert {r[0] for r in body} <= {"红旗项目", "蜗牛项目"}
    assert removed.project.code not in {r[1] for r in body}
    assert "内部意见" not in "".join(",".join(r) for r in rows)


def test_an_unknown_format_is_not_found(client, lw):
    computed(lw, through=1)
    for fmt in ("xlsx", "html", "json.exe"):
        url = f"/data/projects/{lw.plist.code}/lights/1.{fmt}"
        assert client.get(url).status_code == 404, fmt


def test_open_data_reads_the_same_in_every_language(client, lw):
    computed(lw, through=2)
    url = reverse("data:projects:lights", args=[lw.plist.code, 2, "csv"])
    assert client.get(url).content == client.get(url, HTTP_ACCEPT_LANGUAGE="en").content


def test_the_catalogue_lists_each_published_month_and_quarter(client, lw):
    computed(lw, through=2)
    lights.lights_compute(actor=lw.users["organiser"], project_list=lw.plist, month=3)
    document = _json(client, reverse("data:catalogue"))
    tables = [t for t in document["tables"] if t["section"] == "projects"]
    assert sorted(t["period"] for t in tables) == ["2026年1月", "2026年2月"]
    run = LightRun.objects.get(project_list=lw.plist, month=2, is_current=True)
    second = next(t for t in tables if t["period"] == "2026年2月")
    assert second["digest"] == run.outputs_digest
    assert second["json"].endswith(f"/data/projects/{lw.plist.code}/lights/2.json")


def test_the_feed_announces_months_quarters_and_corrections(client, lw):
    computed(lw, through=3)
    lights.lights_compute(
        actor=lw.users["organiser"], project_list=lw.plist, month=3, reason="补报核实"
    )
    published_quarter(lw, 1)
    feed = ET.fromstring(client.get(reverse("data:feed")).content)
    titles = [e.find(f"{ATOM}title").text for e in feed.iter(f"{ATOM}entry")]
    assert any("2026年3月" in t and "更正" in t for t in titles)
    assert any("2026年1月" in t and "月亮灯已发布" in t for t in titles)
    assert any("2026年第1季度" in t for t in titles)
    ids = [e.find(f"{ATOM}id").text for e in feed.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))


def test_publishing_a_month_renews_the_kept_pages(client, lw, django_capture_on_commit_callbacks):
    computed(lw, through=2)
    run = lights.lights_compute(actor=lw.users["organiser"], project_list=lw.plist, month=3)
    url = reverse("portal:projects:list", args=[lw.plist.code])
    assert "2026年3月" not in client.get(url).content.decode()
    assert client.get(url)["X-Saima-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        lights.lights_publish(actor=lw.users["organiser"], run=run)
    response = client.get(url)
    assert response["X-Saima-Cache"] == "miss"
    assert "2026年3月月亮灯" in response.content.decode()


def test_correcting_a_published_month_renews_the_kept_pages(
    client, lw, django_capture_on_commit_callbacks
):
    computed(lw, through=2)
    url = reverse("portal:projects:month", args=[lw.plist.code, 2])
    assert "已更正" not in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        lights.lights_compute(
            actor=lw.users["organiser"], project_list=lw.plist, month=2, reason="数据核实"
        )
    response = client.get(url)
    assert response["X-Saima-Cache"] == "miss" and "数据核实" in response.content.decode()


def test_publishing_a_quarter_renews_the_kept_front_page(
    client, lw, django_capture_on_commit_callbacks
):
    computed(lw, through=3)
    organiser = lw.users["organiser"]
    rating = ratings.rating_propose(actor=organiser, project_list=lw.plist, quarter=1)
    front = reverse("portal:front")
    assert "2026年第1季度通报" not in client.get(front).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        ratings.rating_publish(actor=organiser, rating=rating)
    response = client.get(front)
    assert response["X-Saima-Cache"] == "miss"
    assert "2026年第1季度通报" in response.content.decode()


def test_publishing_a_list_renews_the_kept_pages(client, lw, django_capture_on_commit_callbacks):
    from saima.projects import services

    computed(lw, through=1)
    lw.plist.published_at = None
    lw.plist.save(update_fields=["published_at"])
    front = reverse("portal:front")
    assert lw.plist.name not in client.get(front).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.list_publish(actor=lw.users["organiser"], plist=lw.plist)
    response = client.get(front)
    assert response["X-Saima-Cache"] == "miss" and lw.plist.name in response.content.decode()
