"""作风建设 on the portal: published rounds with their awards and zero harvests, the rotating
flag's holder and history, their open data, and nothing about clues or their reporters."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from saima.conduct import awards, clues
from saima.conduct.models import AwardKind, AwardRound, Clue, ClueSource, ClueStatus
from saima.org.models import Person, Unit
from tests.conduct.conftest import World, build_world

AFTER_Q3 = dt.datetime(2026, 10, 8, 10, 0, tzinfo=dt.UTC)
IN_Q3 = dt.datetime(2026, 8, 10, 10, 0, tzinfo=dt.UTC)
HOSTILE = ("=1+1", "@SUM(A1)", "<script>alert(1)</script>")
# What a clue and its reporter carry: none of it may reach the portal.
CLUE_SECRETS = ("王举报", "13900001111", "夜里收受红包的经过", "收受红包线索")


@pytest.fixture
def world(db) -> World:
    cache.clear()
    yield build_world()
    cache.clear()


def _found(world: World) -> Clue:
    """A substantiated clue about the cadre in 2026Q3, entered by an officer with the named
    reporter's name and telephone."""
    officer = world.users["officer_a"]
    with time_machine.travel(IN_Q3, tick=False):
        clue, _receipt = clues.clue_submit(
            data=world.input(summary=CLUE_SECRETS[3], account=CLUE_SECRETS[2], person=world.cadre)
        )
        Clue.objects.filter(pk=clue.pk).update(
            source=ClueSource.PUBLIC_REPORT,
            anonymous=False,
            submitter_name=CLUE_SECRETS[0],
            submitter_contact=CLUE_SECRETS[1],
        )
        clue = clues.clue_assign(actor=officer, clue=clue, assignee=officer)
        clue = clues.clue_start(actor=officer, clue=clue)
        return clues.clue_decide(
            actor=officer, clue=clue, decision=ClueStatus.SUBSTANTIATED, findings="经核查属实"
        )


def _q3(world: World, publish: bool = True, flag: Unit | None = None) -> AwardRound:
    """杭州市 2026Q3: a snail award on the substantiated clue, a red flag to 上城区, the flag."""
    officer = world.users["officer_a"]
    found = _found(world)
    award_round = awards.round_open(actor=officer, owner=world.city_a, year=2026, quarter=3)
    awards.award_add(
        actor=officer,
        award_round=award_round,
        kind=AwardKind.SNAIL,
        unit=found.unit,
        clue=found,
        reason="审批拖延三个月",
    )
    awards.award_add(
        actor=officer,
        award_round=award_round,
        kind=AwardKind.RED_FLAG,
        unit=world.other_county,
        reason="重点项目提前投产",
    )
    awards.flag_pass(
        actor=officer, award_round=award_round, unit=flag or world.other_county, reason="攻坚有力"
    )
    if publish:
        with time_machine.travel(AFTER_Q3, tick=False):
            awards.round_publish(actor=officer, award_round=award_round)
        award_round.refresh_from_db()
    return award_round


def _q4(world: World, flag: Unit, publish: bool = True) -> AwardRound:
    """2026Q4, nothing awarded (zero harvest); the flag moves to ``flag``."""
    officer = world.users["officer_a"]
    later = awards.round_open(actor=officer, owner=world.city_a, year=2026, quarter=4)
    awards.flag_pass(actor=officer, award_round=later, unit=flag, reason="再夺红旗")
    if publish:
        with time_machine.travel(dt.datetime(2027, 1, 5, tzinfo=dt.UTC), tick=False):
            awards.round_publish(actor=officer, award_round=later, note="本季度未评出奖项")
    return later


def _scope(world: World) -> str:
    return reverse("portal:conduct:scope", args=[world.city_a.code])


def _data(world: World, table: str, fmt: str) -> str:
    return reverse(f"data:conduct:{table}", args=[world.city_a.code, fmt])


# ---------------------------------------------------------------- pages


def test_the_front_page_shows_the_flag_holder_and_the_latest_round(client, world):
    _q3(world)
    _q4(world, world.county)
    page = client.get(reverse("portal:front")).content.decode()
    assert "杭州市作风建设评定" in page
    assert "流动红旗现由" in page and "<strong>淳安县</strong>" in page
    assert "2026年第4季度" in page and "零收获" in page


def test_a_scope_page_shows_the_flag_history_and_every_published_round(client, world):
    _q3(world)
    _q4(world, world.county)
    page = client.get(_scope(world)).content.decode()
    assert page.index("2026年第4季度") < page.index("2026年第3季度")  # newest first
    history = page[page.index("历任持有单位") :]
    assert history.index("淳安县") < history.index("上城区")
    assert "现持有" in page  # the holder is named in words, not by colour alone
    assert "蜗牛奖" in page and "审批拖延三个月" in page and "周建" in page
    assert "红旗奖" in page and "重点项目提前投产" in page
    assert "零收获" in page and "本季度未评出奖项" in page


def test_a_round_page_lists_its_awards_by_kind_and_the_flag(client, world):
    award_round = _q3(world)
    page = client.get(reverse("portal:conduct:round", args=[award_round.pk])).content.decode()
    assert page.index("流动红旗") < page.index("红旗奖") < page.index("蜗牛奖")
    assert "攻坚有力" in page and "须整改" in page


def test_an_unpublished_round_is_not_on_the_portal_even_for_its_officers(client, world):
    draft = _q3(world, publish=False)
    officer = world.users["officer_a"]
    for who in (None, officer):
        visitor = Client()
        if who is not None:
            visitor.force_login(who)
        assert visitor.get(reverse("portal:conduct:round", args=[draft.pk])).status_code == 404
        assert visitor.get(_scope(world)).status_code == 404  # no published round yet
        for table in ("awards", "flag"):
            assert visitor.get(_data(world, table, "json")).status_code == 404
    assert "杭州市作风建设评定" not in client.get(reverse("portal:front")).content.decode()
    assert "审批拖延三个月" not in client.get(reverse("portal:archive")).content.decode()


def test_an_unpublished_round_beside_a_published_one_stays_hidden(client, world):
    _q3(world)
    draft = _q4(world, world.county, publish=False)
    assert client.get(reverse("portal:conduct:round", args=[draft.pk])).status_code == 404
    page = client.get(_scope(world)).content.decode()
    assert "2026年第4季度" not in page and "再夺红旗" not in page
    rows = client.get(_data(world, "flag", "json")).json()["rows"]
    assert [(r["quarter"], r["unit_name"]) for r in rows] == [(3, "上城区")]


def test_nothing_about_clues_or_their_reporters_reaches_the_portal(client, world):
    award_round = _q3(world)
    assert award_round.clues_received == 1  # the app counts them, for its officers
    urls = [
        reverse("portal:front"),
        reverse("portal:archive"),
        reverse("portal:open_data"),
        reverse("portal:conduct:index"),
        _scope(world),
        reverse("portal:conduct:round", args=[award_round.pk]),
        reverse("data:catalogue"),
        reverse("data:feed"),
        *(_data(world, t, f) for t in ("awards", "flag") for f in ("csv", "json")),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode("utf-8-sig")
        for secret in CLUE_SECRETS:
            assert secret not in text, (url, secret)
        assert "收到线索" not in text and "查实线索" not in text, url
        assert "conduct/clues" not in text and "conduct/report/receipt" not in text, url
    for url in urls[3:6]:  # the section's own pages say nothing of clues at all
        assert "线索" not in client.get(url).content.decode(), url
    document = client.get(_data(world, "awards", "json")).json()
    assert not {"clue", "clues_received", "clues_substantiated"} & set(document["rounds"][0])


def test_the_section_reads_in_english_at_the_english_address(client, world):
    award_round = _q3(world)
    english = reverse("portal:conduct:round", args=[award_round.pk]).replace("/zh-hans/", "/en/", 1)
    page = client.get(english).content.decode()
    assert "Rotating red flag" in page and "Snail award" in page
    assert "Q3 2026" in page


# ---------------------------------------------------------------- renewed on publication


def test_publishing_a_round_renews_the_kept_scope_page(
    client, world, django_capture_on_commit_callbacks
):
    _q3(world)
    url = _scope(world)
    assert client.get(url)["X-Saima-Cache"] == "miss"
    later = _q4(world, world.county, publish=False)
    kept = client.get(url)
    assert kept["X-Saima-Cache"] == "hit" and "再夺红旗" not in kept.content.decode()
    with (
        django_capture_on_commit_callbacks(execute=True),
        time_machine.travel(dt.datetime(2027, 1, 5, tzinfo=dt.UTC), tick=False),
    ):
        awards.round_publish(actor=world.users["officer_a"], award_round=later)
    renewed = client.get(url)
    assert renewed["X-Saima-Cache"] == "miss"
    page = renewed.content.decode()
    assert "再夺红旗" in page and page.index("淳安县") < page.index("上城区")


# ---------------------------------------------------------------- open data


def test_the_awards_json_names_its_scope_and_keeps_numbers_as_numbers(client, world):
    _q3(world)
    _q4(world, world.county)
    document = client.get(_data(world, "awards", "json")).json()
    assert document["schema"] == "saima.conduct.awards/1"
    assert document["scope"] == {"code": world.city_a.code, "name": "杭州市"}
    assert [(r["year"], r["quarter"], r["zero_harvest"]) for r in document["rounds"]] == [
        (2026, 4, True),
        (2026, 3, False),
    ]
    assert document["columns"] == [row for row in document["rows"][0]]
    kinds = sorted((r["kind"], r["unit_name"], r["person"]) for r in document["rows"])
    assert kinds == [("red_flag", "上城区", ""), ("snail", "千岛湖镇", "周建")]
    assert all(isinstance(r["quarter"], int) for r in document["rows"])


def test_the_flag_json_names_the_holder_first(client, world):
    _q3(world)
    _q4(world, world.county)
    document = client.get(_data(world, "flag", "json")).json()
    assert document["schema"] == "saima.conduct.flag/1"
    assert document["holder"]["unit_name"] == "淳安县"
    assert [(r["quarter"], r["unit_name"]) for r in document["rows"]] == [
        (4, "淳安县"),
        (3, "上城区"),
    ]


def _csv_cells(client: Client, url: str) -> list[str]:
    rows = list(csv.reader(io.StringIO(client.get(url).content.decode("utf-8-sig"))))
    return [cell for row in rows[1:] for cell in row]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_is_neutralised_in_csv_kept_in_json_and_escaped_in_pages(
    client, world, hostile
):
    Unit.objects.filter(pk=world.other_county.pk).update(name=hostile)
    Person.objects.filter(pk=world.cadre.pk).update(name=hostile)
    award_round = _q3(world)
    type(award_round.flag).objects.filter(pk=award_round.flag.pk).update(reason=hostile)
    award_round.awards.update(reason=hostile)
    for table in ("awards", "flag"):
        cells = _csv_cells(client, _data(world, table, "csv"))
        if hostile[0] in "=@":  # a spreadsheet would run it: written as text
            assert hostile not in cells and f"'{hostile}" in cells, table
        else:
            assert hostile in cells, table
    document = client.get(_data(world, "awards", "json")).json()
    assert {r["reason"] for r in document["rows"]} == {hostile}
    assert hostile in {r["person"] for r in document["rows"]}
    flag = json.loads(client.get(_data(world, "flag", "json")).content)
    assert flag["rows"][0]["reason"] == hostile
    for url in (_scope(world), reverse("portal:conduct:round", args=[award_round.pk])):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
    if hostile.startswith("<"):
        assert "&lt;script&gt;" in client.get(_scope(world)).content.decode()


def test_the_open_data_page_and_catalogue_list_both_tables(client, world):
    _q3(world)
    page = client.get(reverse("portal:open_data")).content.decode()
    assert _data(world, "awards", "csv") in page and _data(world, "flag", "json") in page
    tables = client.get(reverse("data:catalogue")).json()["tables"]
    assert {t["section"] for t in tables} == {"conduct"}
    assert len(tables) == 2


def test_the_feed_announces_each_published_round(client, world):
    award_round = _q3(world)
    feed = client.get(reverse("data:feed")).content.decode()
    assert "杭州市作风建设评定 · 2026年第3季度" in feed
    assert reverse("portal:conduct:round", args=[award_round.pk]) in feed
    assert "流动红旗：上城区" in feed


def test_an_unknown_format_or_scope_is_not_found(client, world):
    _q3(world)
    assert client.get(_data(world, "awards", "xlsx")).status_code == 404
    assert client.get(reverse("data:conduct:awards", args=["nowhere", "json"])).status_code == 404
    quiet = reverse("portal:conduct:scope", args=[world.city_b.code])
    assert client.get(quiet).status_code == 404


# ---------------------------------------------------------------- the old address


def test_the_apps_old_public_page_sends_visitors_to_the_portal(client, world):
    _q3(world)
    response = client.get(reverse("conduct:public_awards"))
    assert response.status_code == 301 and response["Location"] == reverse("portal:conduct:index")
    scoped = client.get(reverse("conduct:public_awards") + f"?owner={world.city_a.code}")
    assert scoped["Location"] == _scope(world)
    unknown = client.get(reverse("conduct:public_awards") + "?owner=<script>")
    assert unknown["Location"] == reverse("portal:conduct:index")
