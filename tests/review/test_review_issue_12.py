"""Review of issue 12 (bulletins, the public portal, the HTTP API), tried as outsiders would:
an attacker (nothing unpublished or about clues leaks; the kept pages cannot be poisoned), an
auditor (what is published recomputes from the open data) and a new user (the feed is Atom)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from django.core.cache import cache
from django.urls import reverse

from saima.bulletins.content import Content
from saima.bulletins.sections import Scope
from saima.bulletins.sections import conduct as bulletin_conduct
from saima.portal.sections import SECTIONS
from tests.arena.world import ArenaWorld, build_arena
from tests.conduct.conftest import World as ConductWorld
from tests.conduct.conftest import build_world as build_conduct_world
from tests.factories import SampleObjects, build_sample_objects, build_small_province
from tests.portal.test_conduct import _q3
from tests.projects_lights.helpers import computed
from tests.projects_lights.world import LightsWorld, build_lights_world

ATOM = "{http://www.w3.org/2005/Atom}"
# RFC 4151: tag:<DNS name or e-mail>,<date>:<specific> (no port in the authority)
TAG_URI = re.compile(r"^tag:[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?,\d{4}(-\d{2}(-\d{2})?)?:\S+$")
BOM = "\ufeff".encode()
DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.fixture
def conduct(db) -> ConductWorld:
    cache.clear()
    yield build_conduct_world()
    cache.clear()


@pytest.fixture
def samples(db, settings, tmp_path) -> SampleObjects:
    settings.MEDIA_ROOT = tmp_path
    cache.clear()
    yield build_sample_objects()
    cache.clear()


@pytest.fixture
def arena(db) -> ArenaWorld:
    cache.clear()
    base = build_small_province()
    return build_arena(base["city_a"], base["users"]["organiser"])


# ---------------------------------------------------------------- attacker: clues stay private


def test_the_api_tells_nobody_how_many_clues_a_quarter_received(client, conduct):
    award_round = _q3(conduct)
    assert award_round.clues_received == 1  # the app counts them, for its officers
    for url in ("/api/v1/award-rounds", f"/api/v1/award-rounds/{award_round.pk}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "审批拖延三个月" in response.content.decode()  # the round is there…
        assert "clue" not in response.content.decode(), url  # …its clues are not
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert "clue" not in json.dumps(schemas["AwardRoundOut"])


def test_a_bulletin_tells_nobody_how_many_clues_a_quarter_received(conduct):
    _q3(conduct)
    scope = Scope(unit=conduct.city_a, kind="quarterly", year=2026, quarter=3)
    text = json.dumps(Content(sections=bulletin_conduct.build(scope)).to_json(), ensure_ascii=False)
    assert "审批拖延三个月" in text and "蜗牛奖" in text
    assert "线索" not in text and "查实" not in text


# ---------------------------------------------------------------- attacker: the kept pages


def test_a_copy_kept_for_plain_http_is_not_served_over_https(client, samples):
    """The catalogue, the feed and the bulletin index carry absolute addresses: a copy made
    for ``http://`` must not be handed to a visitor over HTTPS (nor the other way round)."""
    for url in (reverse("data:catalogue"), reverse("data:feed")):
        plain = client.get(url).content.decode()
        assert "http://testserver/" in plain, url
        secure = client.get(url, secure=True).content.decode()
        assert "http://testserver/" not in secure and "https://testserver/" in secure, url
        assert "https://" not in client.get(url).content.decode(), url


def test_the_kept_layer_answers_from_the_copy_of_the_requests_scheme(settings):
    from saima.portal import kept

    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    plain = {"scheme": "http", "headers": [(b"host", b"x")]}
    assert kept.request_scheme(plain) == "http"
    assert kept.request_scheme({**plain, "scheme": "https"}) == "https"
    proxied = {"scheme": "http", "headers": [(b"x-forwarded-proto", b"https, http")]}
    assert kept.request_scheme(proxied) == "https"
    spoofed = {"scheme": "https", "headers": [(b"x-forwarded-proto", b"http")]}
    assert kept.request_scheme(spoofed) == "http"  # as Django itself decides (request.scheme)
    assert kept.full_key("x", "/data/feed.atom", "zh-hans", "t", "http") != kept.full_key(
        "x", "/data/feed.atom", "zh-hans", "t", "https"
    )


@pytest.mark.parametrize("method", ["options", "put", "delete", "patch"])
def test_public_pages_answer_get_and_head_only(client, samples, method):
    for url in (
        reverse("portal:front"),
        reverse("portal:bulletins:index"),
        reverse("data:catalogue"),
        reverse("data:feed"),
        reverse("portal:verify"),
        reverse("data:bulletins:file", args=[samples.bulletin_published.pk, "pdf"]),
    ):
        response = getattr(client, method)(url)
        assert response.status_code == 405, (method, url)  # (a browser's POST meets CSRF first)
        assert not response.content, (method, url)
        assert client.head(url).status_code == 200, url


# ---------------------------------------------------------------- auditor


def test_every_catalogued_table_answers_with_its_documented_schema_and_an_excel_csv(
    client, samples
):
    catalogue = client.get(reverse("data:catalogue")).json()
    tables = catalogue["tables"]
    assert len(tables) == sum(len(s.datasets()) for s in SECTIONS)
    assert {t["section"] for t in tables} >= {"races", "bulletins"}
    documented = (DOCS / "portal.md").read_text()
    for table in tables:
        document = client.get(table["json"])
        assert document.status_code == 200, table["json"]
        schema = document.json()["schema"]
        assert re.fullmatch(r"saima\.[a-z.]+/\d+", schema), table["json"]
        assert f"`{schema}`" in documented, schema
        if table["digest"]:
            assert table["digest"] in document.content.decode(), table["json"]
        sheet = client.get(table["csv"])
        assert sheet.status_code == 200, table["csv"]
        assert sheet.content.startswith(BOM), table["csv"]
        header = next(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))
        assert header and all(h.strip() for h in header), table["csv"]


def test_a_published_bulletins_hashes_are_those_of_the_downloaded_bytes(client, samples):
    """Published through the service (the sample's published one is stored without hashes),
    the index, the CSV and the audit event all carry the SHA-256 of the bytes one downloads."""
    from saima.bulletins.services import bulletin_publish
    from saima.core.models import AuditEvent

    bulletin = bulletin_publish(actor=samples.users["organiser_a"], bulletin=samples.bulletin_draft)
    index = client.get(reverse("data:bulletins:index", args=["json"])).json()
    row = next(r for r in index["rows"] if r["id"] == bulletin.pk)
    event = AuditEvent.objects.filter(action="bulletins.publish").latest("pk")
    for fmt in ("pdf", "docx"):
        download = client.get(row[f"{fmt}_url"])
        assert download.status_code == 200
        digest = hashlib.sha256(b"".join(download.streaming_content)).hexdigest()
        assert digest == row[f"{fmt}_sha256"] == event.after[f"{fmt}_sha256"], fmt
    sheet = client.get(reverse("data:bulletins:index", args=["csv"])).content.decode("utf-8-sig")
    rows = {r["编号"]: r for r in csv.DictReader(io.StringIO(sheet))}
    assert rows[str(bulletin.pk)]["PDF SHA-256"] == row["pdf_sha256"]


def test_the_arena_ranking_is_the_order_of_the_official_scores(client, arena):
    document = client.get(reverse("data:arena:results", args=[arena.released.pk, "json"])).json()
    method = document["result"]["official_method"]
    rows = document["rows"]
    assert len(rows) >= 3
    for row in rows:
        assert row["score"] == row[method]
        higher = sum(1 for other in rows if other["score"] > row["score"])
        assert row["rank"] == higher + 1, row["unit_code"]
        assert row["method_ranks"][method] == row["rank"]
    page = client.get(reverse("portal:arena:contest", args=[arena.released.pk])).content.decode()
    table = page[page.index("<table") :]
    positions = [table.index(row["unit_name"]) for row in rows]
    assert positions == sorted(positions)  # the page lists them in the same order


COUNTY_ROW = re.compile(
    r'<tr class="county-row">.*?/localities/([^/]+)/".*?</th>' + r'<td class="num">(\d+)</td>' * 5
)
COLOURS = ("green", "yellow", "red", "grey")


@pytest.fixture
def lw(db) -> LightsWorld:
    cache.clear()
    return build_lights_world(build_small_province())


def test_the_light_map_by_locality_adds_up_from_the_months_open_data(client, lw):
    computed(lw, through=4)
    plist = lw.plist
    rows = client.get(reverse("data:projects:lights", args=[plist.code, 4, "json"])).json()["rows"]
    from_data: dict[str, list[int]] = {}
    for row in rows:
        counts = from_data.setdefault(row["locality_code"], [0] * 5)
        counts[0] += 1
        counts[1 + COLOURS.index(row["light"])] += 1
    page = client.get(reverse("portal:projects:month", args=[plist.code, 4])).content.decode()
    on_page = {code: [int(n) for n in ns] for code, *ns in COUNTY_ROW.findall(page)}
    assert on_page and on_page == from_data
    sheet = client.get(reverse("data:projects:lights", args=[plist.code, 4, "csv"]))
    assert len(list(csv.reader(io.StringIO(sheet.content.decode("utf-8-sig"))))) == len(rows) + 1


# ---------------------------------------------------------------- new user: the Atom feed


def test_the_feed_is_atom_with_unique_tag_ids_and_dates(client, conduct):
    _q3(conduct)
    response = client.get(reverse("data:feed"), HTTP_HOST="127.0.0.1:8000")
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    assert root.findtext(f"{ATOM}author/{ATOM}name")  # RFC 4287 4.1.1: entries have none
    feed_updated = dt.datetime.fromisoformat(root.findtext(f"{ATOM}updated"))
    entries = root.findall(f"{ATOM}entry")
    assert entries
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids)
    for entry, entry_id in zip(entries, ids, strict=True):
        assert TAG_URI.match(entry_id), entry_id
        assert entry.findtext(f"{ATOM}title")
        assert entry.find(f"{ATOM}link").get("href").startswith("http://127.0.0.1:8000/")
        assert dt.datetime.fromisoformat(entry.findtext(f"{ATOM}updated")) <= feed_updated


def test_markup_in_a_name_reaches_feed_readers_as_text(client, samples):
    """``<summary type="html">`` is HTML once the XML is read: a name must arrive escaped."""
    from saima.bulletins.models import Bulletin

    hostile = '<img src=x onerror="alert(1)">局'
    Bulletin.objects.filter(pk=samples.bulletin_published.pk).update(issuer=hostile)
    root = ET.fromstring(client.get(reverse("data:feed")).content)
    summaries = [e.findtext(f"{ATOM}summary") for e in root.iter(f"{ATOM}entry")]
    bulletin = next(s for s in summaries if "局" in s)
    assert "<img" not in bulletin and "&lt;img" in bulletin


NUL_PAGES = (
    "/zh-hans/portal/conduct/%00/",
    "/data/conduct/%00/awards.json",
    "/zh-hans/portal/projects/{list}/localities/%00/",
    "/zh-hans/portal/races/a%00b/",
)
NUL_API = (
    "/api/v1/flags/%00",
    "/api/v1/project-lists/%00",
    "/api/v1/projects/%00",
    "/api/v1/units/a%00",
)
NUL_API_QUERIES = (
    "/api/v1/results?race=%00",
    "/api/v1/periods?race=a%00",
    "/api/v1/award-rounds?owner=%00",
    "/api/v1/project-lists/{list}/projects?locality=%00",
)


def test_a_nul_in_an_address_finds_nothing_instead_of_failing(client, samples):
    """PostgreSQL refuses NUL in text: a lookup with one raised (500 on PostgreSQL)."""
    code = samples.projects.plist.code
    for url in NUL_PAGES:
        response = client.get(url.format(list=code))
        assert response.status_code == 404, url
    for url in NUL_API:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["errors"][0]["code"] == "not_found", url
    for url in NUL_API_QUERIES:
        response = client.get(url.format(list=code), HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code == 422, url
        problem = response.json()["errors"][0]
        assert problem["field"] == url.split("?")[1].split("=")[0], url
        assert "NUL" in problem["message"] and "不能" not in problem["message"], url
