"""An organiser changes a weight in the scheme editor, watches the effective weights and the
chart follow as they type, saves, and is told it is saved."""

from __future__ import annotations

import pytest

from saima.races.models import Race
from saima.races.schemes.selectors import parse_scheme
from tests.e2e.test_smoke import log_in
from tests.races.conftest import build_world

pytestmark = pytest.mark.browser

CHART_DATA = """
() => echarts.getInstanceByDom(document.getElementById('weights-chart'))
  .getOption().series.map(s => s.data)
"""


@pytest.mark.django_db(transaction=True)
def test_an_organiser_changes_a_weight_sees_it_live_and_saves(page, live_server, screenshot_dir):
    world = build_world()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, world.users["organiser"].username)
    page.goto(f"{live_server.url}/races/{world.race.code}/edit/")
    effective = page.locator("#ind-table tbody [data-effective]")
    assert effective.all_inner_texts() == ["50.0%", "25.0%", "25.0%"]

    page.get_by_label("权重（第2行）", exact=True).fill("2")

    assert effective.all_inner_texts() == ["40.0%", "40.0%", "20.0%"]
    assert page.evaluate(CHART_DATA) == [[40.0, 40.0, None], [None, None, 20.0]]
    page.get_by_role("button", name="＋ 添加指标").click()
    assert page.locator("#ind-table tbody tr").count() == 4
    page.locator("#ind-table tbody tr").nth(3).get_by_label("删除").check()
    assert effective.all_inner_texts()[:3] == ["40.0%", "40.0%", "20.0%"]
    page.screenshot(path=str(screenshot_dir / "scheme-editor.png"), full_page=True)

    page.get_by_label("修改说明").first.fill("重大项目数与投资增速同等重要")
    page.get_by_role("button", name="保存方案与设置").click()

    page.wait_for_url(f"{live_server.url}/races/{world.race.code}/")
    assert "已保存" in page.locator(".msg-success").inner_text()
    scheme = parse_scheme(Race.objects.get(pk=world.race.pk).scheme_toml)
    assert [i.weight for i in scheme.indicators] == [2.0, 2.0, 1.0]
    assert errors == []
