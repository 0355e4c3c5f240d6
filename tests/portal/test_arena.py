"""The arena section of the portal (擂台赛): released contests only, their results with every
method and panel, the pledges (军令状) and their follow-up, open data, and the kept pages
renewed by a release or a withdrawal."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse

from saima.arena import services
from saima.arena.models import Contest, Contestant, PledgeItem
from saima.org.models import Person
from tests.arena.world import ArenaWorld, _contest, _fixed, _setup, build_arena, score_all
from tests.factories import build_small_province

ATOM = "{http://www.w3.org/2005/Atom}"
JUDGE_NAMES = ("常务副县长", "局长甲", "局长乙", "局长丙")  # seats of every contest in the world


@pytest.fixture
def arena(db) -> ArenaWorld:
    base = build_small_province()
    return build_arena(base["city_a"], base["users"]["organiser"])


def _page(contest: Contest) -> str:
    return reverse("portal:arena:contest", args=[contest.pk])


def _data(contest: Contest, fmt: str) -> str:
    return reverse("data:arena:results", args=[contest.pk, fmt])


def _sequel(arena: ArenaWorld, *, release: bool = True) -> Contest:
    """A later contest of the released contest's series, with the same departments."""
    organiser, city = arena.organiser, arena.released.owner
    people = {name: Person.objects.get(unit=unit) for name, unit in arena.departments.items()}
    contest = _contest(organiser, city, "第一期回头看擂台", arena.series, -10)
    seats = _setup(organiser, contest, arena.departments, people, city)
    _fixed(organiser, contest)
    services.contest_ready(actor=organiser, contest=contest)
    score_all(organiser, contest, seats, arena.departments)
    services.contest_close(actor=organiser, contest=contest)
    services.contest_reveal(actor=organiser, contest=contest)
    if release:
        services.contest_release(actor=organiser, contest=contest)
    return Contest.objects.get(pk=contest.pk)


def _ranked(contest: Contest) -> list[Contestant]:
    return list(contest.contestants.select_related("unit").order_by("rank", "position"))


# ---------------------------------------------------------------- the front page and the page


def test_the_front_page_shows_the_released_contest_with_its_top_three_and_scores(client, arena):
    page = client.get(reverse("portal:front")).content.decode()
    block = page.split('id="section-arena"')[1].split("</section>")[0]
    assert arena.released.title in block and _page(arena.released) in block
    first, second, third = _ranked(arena.released)
    assert (
        block.index(first.unit.name) < block.index(second.unit.name) < block.index(third.unit.name)
    )
    assert f"{first.final_score:.2f}" in block
    for hidden in (arena.revealed, arena.running, arena.draft):
        assert hidden.title not in page


def test_the_page_ranks_by_the_official_method_with_panels_and_the_other_methods(client, arena):
    frozen = arena.released.results.get()
    page = client.get(_page(arena.released)).content.decode()
    ranking = page.split('id="ranking-title"')[1].split("</table>")[0]
    rows = {r["contestant"]: r for r in frozen.outputs["contestants"]}
    for contestant in _ranked(arena.released):
        row = rows[contestant.unit.code]
        assert contestant.unit.name in ranking and contestant.topic in ranking
        for key in ("score", "panel:leaders", "panel:others", "mean:score", "standardised:score"):
            assert f"{row[key]:.2f}" in ranking, key
    assert "县领导" in ranking and "60%" in ranking and "40%" in ranking
    assert "去掉最高分和最低分" in page and "平均分" in ranking and "标准化分" in ranking
    assert 'class="arena-bars" role="img"' in page
    assert frozen.digest in page


def test_judges_own_scores_and_names_never_appear(client, arena):
    page = client.get(_page(arena.released)).content.decode()
    for name in JUDGE_NAMES:
        assert name not in page
    assert "Spearman" not in page and "评委评分明细" not in page
    body = client.get(_data(arena.released, "json")).content.decode()
    for name in JUDGE_NAMES:
        assert name not in body
    assert "seat:" not in body


def test_the_pledges_made_on_stage_are_listed_with_what_was_delivered(client, arena):
    pledge = PledgeItem.objects.filter(contestant__contest=arena.released).order_by("pk").first()
    services.pledge_deliver(actor=arena.organiser, pledge=pledge, delivered=Decimal("2"))
    page = client.get(_page(arena.released)).content.decode()
    pledges = page.split('id="pledges-title"')[1].split("</section>")[0]
    assert pledge.contestant.unit.name in pledges and "新签约项目" in pledges
    assert "已完成 2.00 个" in pledges and "未兑现" in pledges and "67%" in pledges


def test_a_later_released_contest_checks_delivered_against_pledged(client, arena):
    pledge = PledgeItem.objects.filter(contestant__contest=arena.released).order_by("pk").first()
    services.pledge_deliver(
        actor=arena.organiser, pledge=pledge, delivered=Decimal("5"), note="超额完成"
    )
    sequel = _sequel(arena)
    page = client.get(_page(sequel)).content.decode()
    follow = page.split('id="followup-title"')[1].split("</section>")[0]
    assert arena.released.title in follow and _page(arena.released) in follow
    assert "超额完成" in follow and "已兑现" in follow and "167%" in follow
    assert "未登记" in follow  # the other pledges of the previous contest


def test_pledges_of_an_unreleased_previous_contest_are_not_shown(client, arena):
    sequel = _sequel(arena)
    services.contest_release(actor=arena.organiser, contest=arena.released, released=False)
    page = client.get(_page(sequel)).content.decode()
    assert 'id="followup-title"' not in page and arena.released.title not in page


# ---------------------------------------------------------------- only what is released


@pytest.mark.parametrize("state", ["revealed", "running", "draft"])
def test_an_unreleased_contest_is_not_found_even_by_its_organiser(client, arena, state):
    contest = getattr(arena, state)
    for visitor in (None, arena.organiser):
        if visitor is not None:
            client.force_login(visitor)
        assert client.get(_page(contest)).status_code == 404
        assert client.get(_data(contest, "json")).status_code == 404
        assert client.get(_data(contest, "csv")).status_code == 404


def test_an_unknown_contest_or_format_is_not_found(client, arena):
    assert client.get(reverse("portal:arena:contest", args=[999999])).status_code == 404
    for fmt in ("xlsx", "html"):
        assert client.get(_data(arena.released, fmt)).status_code == 404


def test_the_archive_open_data_catalogue_and_feed_list_released_contests_only(client, arena):
    archive = client.get(reverse("portal:archive")).content.decode()
    assert arena.released.title in archive and _page(arena.released) in archive
    assert str(arena.released.date.year) in archive
    open_data = client.get(reverse("portal:open_data")).content.decode()
    assert _data(arena.released, "csv") in open_data and _data(arena.released, "json") in open_data
    catalogue = json.loads(client.get(reverse("data:catalogue")).content)
    arena_tables = [t for t in catalogue["tables"] if t["section"] == "arena"]
    assert [t["json"].endswith(_data(arena.released, "json")) for t in arena_tables] == [True]
    assert arena_tables[0]["digest"] == arena.released.results.get().digest
    feed = ET.fromstring(client.get(reverse("data:feed")).content)
    entries = [e for e in feed.iter(f"{ATOM}entry") if "arena" in e.find(f"{ATOM}id").text]
    assert len(entries) == 1
    assert arena.released.title in entries[0].find(f"{ATOM}title").text
    first = _ranked(arena.released)[0]
    assert first.unit.name in entries[0].find(f"{ATOM}summary").text
    for hidden in (arena.revealed, arena.running, arena.draft):
        assert hidden.title not in archive and hidden.title not in open_data


# ---------------------------------------------------------------- kept pages and publication


def test_releasing_shows_a_contest_on_the_kept_pages(
    client, arena, django_capture_on_commit_callbacks
):
    front = reverse("portal:front")
    assert arena.revealed.title not in client.get(front).content.decode()
    assert client.get(front)["X-Saima-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.contest_release(actor=arena.organiser, contest=arena.revealed)
    response = client.get(front)
    assert response["X-Saima-Cache"] == "miss" and arena.revealed.title in response.content.decode()
    assert client.get(_page(arena.revealed)).status_code == 200


def test_a_withdrawn_contest_vanishes_from_the_kept_pages_at_once(
    client, arena, django_capture_on_commit_callbacks
):
    kept = [_page(arena.released), _data(arena.released, "json"), _data(arena.released, "csv")]
    for url in kept:
        client.get(url)
        assert client.get(url)["X-Saima-Cache"] == "hit", url
    for url in (reverse("portal:front"), reverse("portal:archive"), reverse("data:feed")):
        assert arena.released.title in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.contest_release(actor=arena.organiser, contest=arena.released, released=False)
    for url in kept:
        assert client.get(url).status_code == 404, url
    for url in (reverse("portal:front"), reverse("portal:archive"), reverse("data:feed")):
        assert arena.released.title not in client.get(url).content.decode(), url


def test_a_delivered_pledge_renews_the_kept_page(client, arena, django_capture_on_commit_callbacks):
    url = _page(arena.released)
    client.get(url)
    pledge = PledgeItem.objects.filter(contestant__contest=arena.released).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.pledge_deliver(actor=arena.organiser, pledge=pledge, delivered=Decimal("3"))
    response = client.get(url)
    assert response["X-Saima-Cache"] == "miss" and "已完成 3.00 个" in response.content.decode()


def test_renaming_a_released_contest_renews_the_kept_page(
    client, arena, django_capture_on_commit_callbacks
):
    url = _page(arena.released)
    client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        services.contest_update(actor=arena.organiser, contest=arena.released, title="更名后的擂台")
    response = client.get(url)
    assert response["X-Saima-Cache"] == "miss" and "更名后的擂台" in response.content.decode()


def test_a_pledge_of_an_unpublished_contest_renews_nothing(
    arena, django_capture_on_commit_callbacks
):
    pledge = PledgeItem.objects.filter(contestant__contest=arena.draft).order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.pledge_deliver(actor=arena.organiser, pledge=pledge, delivered=Decimal("1"))
    assert callbacks == []


# ---------------------------------------------------------------- the app's public page


def test_the_apps_results_page_sends_the_public_to_the_portal(client, arena):
    url = reverse("arena:results", args=[arena.released.pk])
    response = client.get(url)
    assert response.status_code == 302 and response["Location"] == _page(arena.released)
    client.force_login(arena.organiser)
    page = client.get(url)  # the contest's people keep the full app page, linked to the public one
    assert page.status_code == 200 and _page(arena.released) in page.content.decode()


def test_the_public_index_links_released_contests_to_the_portal(client, arena):
    page = client.get(reverse("arena:index")).content.decode()
    assert _page(arena.released) in page
    assert reverse("arena:results", args=[arena.released.pk]) not in page


# ---------------------------------------------------------------- open data


def test_the_results_json_follows_its_schema_with_numbers_as_numbers(client, arena):
    response = client.get(_data(arena.released, "json"))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(response.content)
    frozen = arena.released.results.get()
    assert document["schema"] == "saima.arena.results/1"
    assert document["contest"]["id"] == arena.released.pk
    assert document["contest"]["series"] == "双月擂台"
    assert document["result"] == {
        "version": 1,
        "digest": frozen.digest,
        "engine_version": frozen.engine_version,
        "frozen_at": frozen.created_at.isoformat(),
        "official_method": "trimmed",
    }
    assert [p["code"] for p in document["panels"]] == ["leaders", "others"]
    assert document["panels"][0]["weight"] == 0.6
    by_code = {r["contestant"]: r for r in frozen.outputs["contestants"]}
    rows = document["rows"]
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows)
    for row in rows:
        stored = by_code[row["unit_code"]]
        assert set(row) == set(document["columns"])
        assert row["score"] == stored["score"] and row["trimmed"] == stored["trimmed:score"]
        assert row["mean"] == stored["mean:score"]
        assert row["standardised"] == stored["standardised:score"]
        assert row["panels"] == {
            "leaders": stored["panel:leaders"],
            "others": stored["panel:others"],
        }
        assert isinstance(row["rank"], int) and isinstance(row["score"], float)
    assert {p["item"] for p in document["pledges"]} == {"新签约项目"}
    assert all(isinstance(p["target"], float) for p in document["pledges"])


def test_the_results_csv_neutralises_a_hostile_topic(client, arena):
    hostile = "=cmd|' /C calc'!A0"
    Contestant.objects.filter(contest=arena.released).update(topic=hostile)
    response = client.get(_data(arena.released, "csv"))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8-sig")
    header = text.splitlines()[0]
    assert header.startswith("名次,单位代码,单位,陈述人,陈述主题,得分（正式方法）,平均分")
    assert "县领导（权重 0.6）" in header
    assert ",=cmd" not in text and ',"=cmd' not in text
    assert "'=cmd|" in text
    assert len(text.strip().splitlines()) == 1 + arena.released.contestants.count()


def test_a_hostile_topic_is_escaped_on_the_page(client, arena):
    Contestant.objects.filter(contest=arena.released).update(topic="<script>alert(1)</script>")
    page = client.get(_page(arena.released)).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page


def test_open_data_reads_the_same_in_every_language(client, arena):
    url = _data(arena.released, "json")
    assert client.get(url).content == client.get(url, HTTP_ACCEPT_LANGUAGE="en").content


def test_the_page_reads_in_english(client, arena):
    with_lang = "/en" + _page(arena.released).removeprefix("/zh-hans")
    page = client.get(with_lang).content.decode()
    assert '<html lang="en">' in page
    assert "Pledges" in page and "How this ranking was computed" in page
