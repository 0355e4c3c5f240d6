"""What users saw on the races pages: links, names, escaping, values and texts for the right readers."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.races.conftest import build_world

CRUMBS = re.compile(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', re.S)


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def get(client, world, role, url):
    client.force_login(world.users[role])
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_every_breadcrumb_but_the_last_is_a_link(client, world):
    result = world.published()
    period = world.period(2026, 2)
    county = world.counties["上城区"].code
    pages = {
        "organiser": [
            reverse("races:race", args=[world.race.code]),
            reverse("races:race_edit", args=[world.race.code]),
            reverse("races:period_new", args=[world.race.code]),
            reverse("races:period", args=[period.pk]),
            reverse("races:import_new", args=[period.pk]),
            reverse("races:report", args=[period.pk, county]),
            reverse("races:review", args=[period.pk, county]),
            reverse("races:board", args=[result.pk]),
            reverse("races:unit", args=[result.pk, county]),
            reverse("races:incentives", args=[world.race.code]),
            reverse("races:objections", args=[world.race.code]),
            reverse("races:race_new"),
        ],
        "reporter": [reverse("races:report", args=[period.pk, county])],
    }
    checked = 0
    for role, urls in pages.items():
        for url in urls:
            match = CRUMBS.search(get(client, world, role, url))
            assert match, url
            *leading, _last = match.group(1).split("›")
            assert leading, url
            for crumb in leading:
                assert crumb.strip().startswith("<a href="), (url, crumb)
            checked += 1
    assert checked == 13


def test_the_incentives_page_says_where_to_change_rewards_only_to_managers(client, world):
    world.published()
    url = reverse("races:incentives", args=[world.race.code])
    public = client.get(url).content.decode()
    assert "方案设置中修改" not in public
    managers = get(client, world, "organiser", url)
    assert reverse("races:race_edit", args=[world.race.code]) in managers
    assert "在方案设置中修改" in managers


def test_the_race_page_names_its_methods_instead_of_showing_codes(client, world):
    world.published()
    html = get(client, world, "organiser", reverse("races:race", args=[world.race.code]))
    assert "极差标准化 · 固定权重 · 加权算术平均" in html
    assert ">minmax · fixed · arithmetic<" not in html
    client.cookies["django_language"] = "en"
    html = client.get(reverse("races:race", args=[world.race.code])).content.decode()
    assert "minmax · fixed · arithmetic</dd>" not in html


def test_the_new_race_page_shows_angle_brackets_in_english(client, world):
    client.force_login(world.users["organiser"])
    client.cookies["django_language"] = "en"
    html = client.get(reverse("races:race_new")).content.decode()
    assert "towns-&lt;county code&gt;" in html
    assert "<county code>" not in html


def test_the_deadline_form_shows_the_current_deadline(client, world):
    period = world.period()
    html = get(client, world, "organiser", reverse("races:period", args=[period.pk]))
    local = period.deadline.astimezone(__import__("zoneinfo").ZoneInfo("Asia/Shanghai"))
    assert f'value="{local:%Y-%m-%dT%H:%M}"' in html


def test_english_pages_use_english_punctuation(client, world):
    world.published()
    client.cookies["django_language"] = "en"
    html = get(client, world, "organiser", reverse("races:race", args=[world.race.code]))
    assert "Land quota、" not in html and "quota, " in html
    html = get(client, world, "organiser", reverse("races:index"))
    assert "Latest result：" not in html and "Latest result: " in html


def test_the_status_board_can_be_searched_and_filtered_by_city(client, world):
    from saima.org import services as org_services

    org_services.peer_group_set(
        actor=None,
        code=world.group_code,
        name="杭州县区",
        owner=world.city_a,
        members=[*world.counties.values(), world.county_b1],
    )
    period = world.period()
    url = reverse("races:period", args=[period.pk])
    client.force_login(world.users["organiser"])

    def units(params):
        response = client.get(url, params)
        assert response.status_code == 200
        return {row.report.unit.name for row in response.context["shown_rows"]}

    everyone = units({})
    assert world.county_b1.name in everyone and len(everyone) == 7
    assert units({"q": "上城"}) == {"上城区"}
    assert units({"q": world.counties["西湖区"].code}) == {"西湖区"}
    assert units({"city": world.city_b.code}) == {world.county_b1.name}
    assert units({"city": world.city_a.code}) == everyone - {world.county_b1.name}
    assert units({"city": "no-such-city"}) == everyone
    html = client.get(url).content.decode()
    assert f'<option value="{world.city_b.code}">' in html


def test_a_reporter_home_links_to_their_units_page_and_its_latest_ranking(client, world):
    first = world.published(2026, 1)
    latest = world.published(2026, 2)
    unit = world.counties["上城区"]
    html = get(client, world, "reporter", "/")
    assert reverse("org:unit", args=[unit.code]) in html
    assert reverse("races:unit", args=[latest.pk, unit.code]) in html
    assert reverse("races:unit", args=[first.pk, unit.code]) not in html
    other = world.counties["淳安县"]
    assert reverse("races:unit", args=[latest.pk, other.code]) not in html


def test_a_viewer_can_open_what_their_role_description_promises_and_no_more(client, world):
    from saima.org.models import Role
    from saima.org.panels import ROLE_DUTIES

    text = str(ROLE_DUTIES[Role.VIEWER])
    assert "填报进度" in text and "报送的数据" in text and "发布后" in text
    period = world.period()
    world.fill(period, verify=False)
    client.force_login(world.users["viewer"])
    race_page = client.get(reverse("races:race", args=[world.race.code])).content.decode()
    period_url = reverse("races:period", args=[period.pk])
    assert period_url in race_page
    board = client.get(period_url)
    assert board.status_code == 200
    html = board.content.decode()
    report_url = reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    assert report_url in html
    assert client.get(report_url).status_code == 200
    for managing in ("向选中单位发送催办", "截止填报", "调整截止时间", "代填", 'name="units"'):
        assert managing not in html, managing
    assert client.post(reverse("races:period_action", args=[period.pk, "close"])).status_code == 403
    world.published(2026, 2)
    unpublished = world.period(2026, 3)
    world.fill(unpublished)
    from saima.races.reporting import services as reporting
    from saima.races.results import services as result_services

    reporting.period_close(actor=world.users["organiser"], period=unpublished)
    computed = result_services.result_compute(actor=world.users["organiser"], period=unpublished)
    assert client.get(reverse("races:board", args=[computed.pk])).status_code == 404


def test_a_reporter_still_cannot_open_the_progress_board(client, world):
    period = world.period()
    client.force_login(world.users["reporter"])
    assert client.get(reverse("races:period", args=[period.pk])).status_code == 403
