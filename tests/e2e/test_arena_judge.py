"""The judge's phone page (issue 10 §4): 375 px wide, sliders with number boxes, the maximum
checked, and a sheet submitted while offline kept, shown as pending, and sent when the
connection returns."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from saima.arena.models import Score
from tests.arena.world import build_arena, refresh
from tests.factories import build_small_province

pytestmark = pytest.mark.browser


def _off_loop(task: Callable[[], Any]) -> Any:
    """Run ``task`` in a thread of its own: Playwright's event loop runs in this one, and the
    services' broadcasts (sent after commit) may not run inside a running loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(task).result()


def _world() -> Any:
    base = build_small_province()
    return build_arena(base["city_a"], base["users"]["organiser"])


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="zh-CN", device_scale_factor=2
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield context, page
    context.close()


@pytest.mark.django_db(transaction=True)
def test_a_judge_scores_offline_and_the_sheet_arrives(phone, live_server, screenshot_dir):
    world = _off_loop(_world)
    context, page = phone
    seat = world.seats["县长"]
    entry = refresh(world.running).current
    page.goto(f"{live_server.url}/arena/j/{world.tokens['县长']}/")
    page.wait_for_selector("#k-progress")
    assert page.inner_text(".stage-unit") == entry.unit.name
    # nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # the slider moves the number box
    page.locator("input[type=range][data-code=progress]").fill("30")
    assert page.input_value("#k-progress") == "30"
    page.fill("#k-progress", "65")  # above the maximum 60: refused on the page
    page.fill("#k-speech", "35")
    page.click("#submit")
    assert "超过满分" in page.inner_text("#sheet-error")
    page.fill("#k-progress", "55")
    context.set_offline(True)
    page.click("#submit")
    page.wait_for_selector(".conn-off")
    assert page.locator("#offline-banner").is_visible()
    assert page.inner_text("#sheet-status") == "待发送"
    stored = json.loads(page.evaluate(f"localStorage.getItem('saima.arena.{seat.pk}')"))
    assert stored[str(entry.pk)]["status"] == "pending"
    assert not Score.objects.filter(seat=seat).exists()
    page.screenshot(path=str(screenshot_dir / "arena-judge-offline.png"))
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_selector(".conn-ok")
    page.wait_for_function("document.querySelector('#sheet-status').textContent.includes('已保存')")
    values = dict(Score.objects.filter(seat=seat).values_list("criterion__code", "value"))
    assert values == {"progress": 55, "speech": 35}
    assert page.evaluate(f"localStorage.getItem('saima.arena.{seat.pk}')") == "{}"
    page.screenshot(path=str(screenshot_dir / "arena-judge-saved.png"))


@pytest.mark.django_db(transaction=True)
def test_a_conflicted_judge_sees_why_and_gets_no_form(phone, live_server):
    from saima.arena import services

    world = _off_loop(_world)

    def open_trade() -> None:
        contest = refresh(world.running)
        trade = contest.contestants.get(unit=world.departments["商务局"])
        services.scoring_open(actor=world.organiser, contest=contest, contestant=trade)

    _off_loop(open_trade)
    _context, page = phone
    page.goto(f"{live_server.url}/arena/j/{world.tokens['商务局长']}/")
    page.wait_for_selector(".stage-unit")
    assert page.inner_text(".stage-unit") == "商务局"
    assert "本单位回避" in page.inner_text("#stage")
    assert not page.locator("#sheet").is_visible()
