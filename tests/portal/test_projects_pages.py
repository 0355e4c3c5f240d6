"""The key projects' section of the portal (重点项目): published light months and quarters only,
the front block, the light map by locality, a locality's grid, the quarter's lists."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from saima.projects.lights import services as lights
from saima.projects.models import LightRun, MonthlyReport, ProjectList
from tests.factories import build_small_province
from tests.projects_lights.helpers import computed, published_quarter, with_test_rules
from tests.projects_lights.world import LightsWorld, build_lights_world


@pytest.fixture
def lw(db) -> LightsWorld:
    """杭州市's published list, six projects reported through June; nothing computed yet."""
    return build_lights_world(build_small_province())


def _text(response) -> str:
    assert response.status_code == 200
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_front_page_shows_the_latest_published_month_by_locality(client, lw):
    computed(lw, through=4)
    lights.lights_compute(actor=lw.users["organiser"], project_list=lw.plist, month=5)
    html = _text(client.get(reverse("portal:front")))
    assert "重点项目" in html and lw.plist.name in html
    assert "2026年4月月亮灯" in html and "2026年5月" not in html
    # 杭州市's own list: its two counties, each with its counts in words
    assert "上城区" in html and "淳安县" in html
    assert "● 绿" in html and "■ 红" in html


def test_the_front_page_names_the_latest_quarters_red_flags_and_snails(client, lw):
    computed(lw, through=6)
    published_quarter(lw, 1)
    rating = published_quarter(lw, 2)
    html = _text(client.get(reverse("portal:front")))
    assert "2026年第2季度通报" in html and "2026年第1季度通报" not in html
    snails = rating.entries.filter(kind="snail", removed=False)
    assert snails.exists()
    for entry in snails:
        assert entry.project.name in html


def test_nothing_published_adds_no_block(client, lw):
    computed(lw, through=3, publish=False)
    html = _text(client.get(reverse("portal:front")))
    assert 'id="section-projects"' not in html


def test_an_unpublished_list_shows_nothing_even_with_published_months(client, lw):
    computed(lw, through=2)
    ProjectList.objects.filter(pk=lw.plist.pk).update(published_at=None)
    html = _text(client.get(reverse("portal:front")))
    assert 'id="section-projects"' not in html
    organiser = lw.users["organiser"]
    client.force_login(organiser)
    for url in (
        reverse("portal:projects:list", args=[lw.plist.code]),
        reverse("portal:projects:month", args=[lw.plist.code, 1]),
        reverse("portal:projects:locality", args=[lw.plist.code, lw.units["county_a1"].code]),
        reverse("data:projects:lights", args=[lw.plist.code, 1, "json"]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_unpublished_month_answers_404_to_everyone_organisers_included(client, lw):
    computed(lw, through=2)
    lights.lights_compute(actor=lw.users["organiser"], project_list=lw.plist, month=3)
    client.force_login(lw.users["organiser"])
    assert client.get(reverse("portal:projects:month", args=[lw.plist.code, 3])).status_code == 404
    for fmt in ("csv", "json"):
        url = reverse("data:projects:lights", args=[lw.plist.code, 3, fmt])
        assert client.get(url).status_code == 404
    assert client.get(reverse("portal:projects:month", args=[lw.plist.code, 2])).status_code == 200


def test_a_proposed_quarter_answers_404(client, lw):
    from saima.projects.ratings import services as ratings

    computed(lw, through=3)
    ratings.rating_propose(actor=lw.users["organiser"], project_list=lw.plist, quarter=1)
    client.force_login(lw.users["organiser"])
    assert client.get(reverse("portal:projects:rating", args=[lw.plist.code, 1])).status_code == 404
    assert (
        client.get(reverse("data:projects:rating", args=[lw.plist.code, 1, "json"])).status_code
        == 404
    )


def test_the_list_page_maps_the_latest_month_and_links_each_locality(client, lw):
    computed(lw, through=4)
    html = _text(client.get(reverse("portal:projects:list", args=[lw.plist.code])))
    assert "2026年4月月亮灯" in html
    for unit in ("county_a1", "county_a2"):
        url = reverse("portal:projects:locality", args=[lw.plist.code, lw.units[unit].code])
        assert f'href="{url}"' in html
    # the map's counts are the stored lights of April
    run = LightRun.objects.get(project_list=lw.plist, month=4, is_current=True)
    assert run.lights.count() == 6
    assert '<td class="num">6</td>' in html  # the total


def test_a_localitys_grid_shows_published_months_only_with_text_labels(client, lw):
    computed(lw, through=4)
    lights.lights_compute(actor=lw.users["organiser"], project_list=lw.plist, month=5)
    url = reverse("portal:projects:locality", args=[lw.plist.code, lw.units["county_a1"].code])
    html = _text(client.get(url))
    assert "4月" in html and "5月" not in html
    # P3 (nothing invested) is red in April: the cell says so in words and shape
    assert '<td class="lt lt-red"' in html and "■</span>红" in html
    assert lw.projects["P3"].name in html and lw.projects["P4"].name not in html  # P4: 淳安县


def test_a_locality_outside_the_list_answers_404(client, lw):
    computed(lw, through=1)
    for code in (lw.units["county_b1"].code, "no-such-unit", "<script>"):
        url = reverse("portal:projects:locality", args=[lw.plist.code, code])
        assert client.get(url).status_code == 404, code


def test_the_portal_never_shows_drafts_or_problems_that_are_not_public(client, lw):
    MonthlyReport.objects.filter(project=lw.projects["P1"], month=1).update(
        problems="征地拆迁受阻（内部）", problems_public=False
    )
    computed(lw, through=3)
    published_quarter(lw, 1)
    pages = [
        reverse("portal:front"),
        reverse("portal:projects:list", args=[lw.plist.code]),
        reverse("portal:projects:rating", args=[lw.plist.code, 1]),
        reverse("portal:projects:locality", args=[lw.plist.code, lw.units["county_a1"].code]),
        reverse("data:projects:lights", args=[lw.plist.code, 1, "json"]),
    ]
    for url in pages:
        assert "征地拆迁受阻" not in client.get(url).content.decode(), url


def test_the_quarter_page_lists_red_flags_and_snails_but_not_removed_entries(client, lw):
    from saima.projects.ratings import services as ratings

    with_test_rules(lw)  # two red flags a quarter
    computed(lw, through=3)
    organiser = lw.users["organiser"]
    rating = ratings.rating_propose(actor=organiser, project_list=lw.plist, quarter=1)
    removed = rating.entries.filter(kind="red_flag").first()
    assert removed is not None
    ratings.rating_entry_remove(actor=organiser, entry=removed, reason="内部复核意见甲")
    ratings.rating_publish(actor=organiser, rating=rating)
    html = _text(client.get(reverse("portal:projects:rating", args=[lw.plist.code, 1])))
    assert "2026年第1季度" in html and "红旗项目" in html and "蜗牛项目" in html
    assert removed.project.name not in html
    assert "内部复核意见甲" not in html
    for entry in rating.entries.filter(removed=False):
        assert entry.project.name in html


def test_the_archive_files_each_published_month_and_quarter(client, lw):
    computed(lw, through=3)
    lights.lights_compute(actor=lw.users["organiser"], project_list=lw.plist, month=4)
    published_quarter(lw, 1)
    html = _text(client.get(reverse("portal:archive")))
    for month in (1, 2, 3):
        assert reverse("portal:projects:month", args=[lw.plist.code, month]) in html
    assert reverse("portal:projects:month", args=[lw.plist.code, 4]) not in html
    assert reverse("portal:projects:rating", args=[lw.plist.code, 1]) in html


def test_a_corrected_month_is_marked_and_shows_its_reason(client, lw):
    computed(lw, through=2)
    lights.lights_compute(
        actor=lw.users["organiser"], project_list=lw.plist, month=2, reason="补报数据核实"
    )
    html = _text(client.get(reverse("portal:projects:month", args=[lw.plist.code, 2])))
    assert "已更正" in html and "补报数据核实" in html
    assert "已更正" in _text(client.get(reverse("portal:archive")))


@pytest.mark.parametrize("language", ["zh-hans", "en"])
def test_the_pages_render_in_both_languages(client, lw, language):
    computed(lw, through=3)
    published_quarter(lw, 1)
    from django.utils import translation

    with translation.override(language):
        urls = [
            reverse("portal:front"),
            reverse("portal:projects:list", args=[lw.plist.code]),
            reverse("portal:projects:rating", args=[lw.plist.code, 1]),
            reverse("portal:projects:locality", args=[lw.plist.code, lw.units["county_a2"].code]),
        ]
    for url in urls:
        assert client.get(url).status_code == 200, url
    if language == "en":
        html = _text(client.get(urls[1]))
        assert "Quarterly lists: red-flag and snail projects" in html


def test_the_visitors_pages_set_no_cookie(client, lw):
    computed(lw, through=1)
    response = client.get(reverse("portal:projects:list", args=[lw.plist.code]))
    assert response.status_code == 200 and not response.cookies
    assert "Cookie" not in response.get("Vary", "")
    assert timezone.now()


def test_the_demo_leaves_published_lights_and_quarters_on_the_portal(client, lw):
    from saima.core.demo import DemoContext
    from saima.projects import demo_progress
    from tests.projects_lights.world import fill_reports

    fill_reports(lw, 12)
    demo_progress.load(DemoContext(say=lambda _text: None), codes=(lw.plist.code,))
    html = _text(client.get(reverse("portal:front")))
    assert 'id="section-projects"' in html and lw.plist.name in html
    latest = LightRun.objects.filter(
        project_list=lw.plist, is_current=True, published_at__isnull=False
    ).order_by("-month")[0]
    assert f"2026年{latest.month}月月亮灯" in html
    quarter = lw.plist.ratings.filter(status="published").order_by("-quarter")[0]
    assert f"{quarter.label}通报" in html
    url = reverse("portal:projects:rating", args=[lw.plist.code, quarter.quarter])
    assert client.get(url).status_code == 200
