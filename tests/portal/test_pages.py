"""The public portal's pages: what a visitor sees, and what never appears there."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse
from django.utils import translation

from tests.portal.conftest import computed


def _board(result, group=None):
    if group is None:
        return reverse("portal:races:board", args=[result.pk])
    return reverse("portal:races:board_group", args=[result.pk, group])


def test_a_visitor_is_sent_from_the_root_to_the_portal_in_their_language(client, world):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert response["Location"] == "/en/portal/"
    assert client.get("/")["Location"] == "/zh-hans/portal/"


def test_a_signed_in_user_keeps_the_work_home_page_at_the_root(client, world):
    client.force_login(world.users["organiser"])
    response = client.get("/")
    assert response.status_code == 200
    assert "portal-hero" not in response.content.decode()


def test_the_front_page_shows_the_latest_incentive_regions_best_first(client, world):
    world.published(2026, 1)
    latest = world.published(2026, 2, values=_swap("西湖区", "上城区"))
    page = client.get(reverse("portal:front")).content.decode()
    assert "2026年第2季度" in page and "2026年第1季度" not in page
    selected = page.split('class="selected-list">')[1].split("</ol>")[0]
    assert selected.index("上城区") < selected.index("余杭区")
    assert "西湖区" not in selected
    assert _board(latest, world.group_code) in page


def test_an_empty_portal_says_nothing_is_published_yet(client, world):
    page = client.get(reverse("portal:front")).content.decode()
    assert "尚无已发布的结果" in page


def test_every_portal_page_links_each_sections_stylesheet_in_its_head(client, world):
    # the sections' own rules (the arena's bars, the lights' grid, the notices) live in the
    # head of every portal page; a page body linking its own stylesheet is not valid HTML
    page = client.get(reverse("portal:front")).content.decode()
    head, body = page.split("</head>", 1)
    for sheet in (
        "portal/portal.css",
        "projects/lights.css",
        "portal/projects.css",
        "portal/arena.css",
        "conduct/portal.css",
        "safeguards/portal.css",
    ):
        assert sheet in head, sheet
    assert 'rel="stylesheet"' not in body


def test_the_board_explains_the_ranking_and_links_each_unit_and_the_kit(client, world):
    result = world.published()
    page = client.get(_board(result)).content.decode()
    assert "这个排名是怎么算出来的" in page
    assert "前 2 名入选激励地区" in page
    assert reverse("races:unit", args=[result.pk, world.counties["西湖区"].code]) in page
    assert reverse("races:kit", args=[result.pk]) in page
    assert result.digest in page
    assert 'data-option="board-chart"' in page and 'role="img"' in page


def test_the_board_of_a_group_the_scheme_lacks_is_not_found(client, world):
    result = world.published()
    assert client.get(_board(result, "no-such-group")).status_code == 404


@pytest.mark.parametrize("who", [None, "organiser", "viewer"])
def test_an_unpublished_result_never_appears_on_the_portal(client, world, who):
    published = world.published(2026, 1)
    draft = computed(world, 2026, 2)
    if who:
        client.force_login(world.users[who])
    assert client.get(_board(draft)).status_code == 404
    for fmt in ("csv", "json"):
        url = reverse("data:races:board", args=[draft.pk, world.group_code, fmt])
        assert client.get(url).status_code == 404
    pages = [
        reverse("portal:front"),
        reverse("portal:archive"),
        reverse("portal:open_data"),
        reverse("portal:verify"),
        reverse("portal:races:race", args=[world.race.code]),
        reverse("data:catalogue"),
        reverse("data:feed"),
    ]
    for url in pages:
        body = client.get(url).content.decode()
        assert draft.digest not in body, url
        assert f"/results/{draft.pk}/" not in body, url
        assert "2026年第2季度" not in body and "2026Q2" not in body, url
    assert published.digest in client.get(reverse("data:catalogue")).content.decode()


def test_a_race_with_nothing_published_is_not_on_the_portal(client, world):
    computed(world, 2026, 1)
    client.force_login(world.users["organiser"])
    assert client.get(reverse("portal:races:race", args=[world.race.code])).status_code == 404
    url = reverse("data:races:incentives", args=[world.race.code, "json"])
    assert client.get(url).status_code == 404


def test_the_archive_lists_every_published_period_by_year_newest_first(client, world):
    world.published(2025, 4)
    world.published(2026, 1)
    page = client.get(reverse("portal:archive")).content.decode()
    assert page.index("2026 年") < page.index("2025 年")
    assert page.index("2026年第1季度") < page.index("2025年第4季度")


def test_a_corrected_result_links_to_its_correction_and_the_archive_shows_the_current(
    client, world, django_capture_on_commit_callbacks
):
    from saima.races.reporting import services as reporting
    from saima.races.results import services as result_services

    first = world.published()
    reporting.value_correct(
        actor=world.users["organiser"],
        report=world.report(first.period, "上城区"),
        values={"fai": 1.0},
        reason="统计局核定数",
    )
    correction = result_services.result_compute(
        actor=world.users["organiser"], period=first.period, reason="上城区数据更正"
    )
    page = client.get(_board(first)).content.decode()
    assert "更正正在审核中" in page and _board(correction) not in page
    with django_capture_on_commit_callbacks(execute=True):
        result_services.result_publish(actor=world.users["organiser"], result=correction)
    page = client.get(_board(first)).content.decode()
    assert reverse("portal:races:board_group", args=[correction.pk, world.group_code]) in page
    archive = client.get(reverse("portal:archive")).content.decode()
    assert _board(correction) in archive and _board(first) not in archive
    assert "第 2 版（更正）" in archive


def test_the_pages_read_in_english_at_the_english_address(client, world):
    result = world.published()
    with translation.override("en"):
        url = _board(result)
    assert url.startswith("/en/portal/")
    page = client.get(url).content.decode()
    assert '<html lang="en">' in page
    assert "How this ranking was computed" in page
    assert 'href="/zh-hans/portal/races/results/' in page  # the switch to Chinese


def test_a_visitors_page_sets_no_cookie_and_does_not_vary_on_cookies(client, world):
    result = world.published()
    for url in (reverse("portal:front"), _board(result), reverse("portal:archive")):
        response = client.get(url)
        assert response.status_code == 200
        assert not response.cookies, url
        assert "Cookie" not in response.get("Vary", ""), url
        assert "csrfmiddlewaretoken" not in response.content.decode()
        assert response["Cache-Control"] == "public, max-age=300"


def test_the_apps_public_board_sets_no_csrf_cookie_for_a_visitor(client, world):
    result = world.published()
    response = client.get(reverse("races:board", args=[result.pk]))
    assert response.status_code == 200
    assert "csrftoken" not in response.cookies
    assert "X-CSRFToken" not in response.content.decode()


def test_a_signed_in_users_copy_of_a_portal_page_stays_private(client, world):
    result = world.published()
    client.force_login(world.users["organiser"])
    response = client.get(_board(result))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_the_verification_page_shows_the_current_chain_head_and_the_kits(client, world):
    from saima.core.audit import chain_head

    result = world.published()
    page = client.get(reverse("portal:verify")).content.decode()
    assert chain_head().hash in page
    assert reverse("races:kit", args=[result.pk]) in page
    assert reverse("audit-checkpoint") in page


def test_the_open_data_page_links_every_table_as_csv_and_json(client, world):
    result = world.published()
    page = client.get(reverse("portal:open_data")).content.decode()
    assert reverse("data:races:board", args=[result.pk, world.group_code, "csv"]) in page
    assert reverse("data:races:board", args=[result.pk, world.group_code, "json"]) in page
    assert reverse("data:races:incentives", args=[world.race.code, "json"]) in page
    catalogue = json.loads(client.get(reverse("data:catalogue")).content)
    assert catalogue["schema"] == "saima.catalogue/1"
    assert {t["digest"] for t in catalogue["tables"]} == {result.digest, None}


def _swap(a: str, b: str) -> dict[str, tuple[float, ...]]:
    from tests.races.conftest import VALUES

    values = dict(VALUES)
    values[a], values[b] = values[b], values[a]
    return values
