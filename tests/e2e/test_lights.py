"""Key-project lights in a browser: the office publishes a quarter and gives a yellow card;
the public sees the locality's grid, which prints without the shell and fits a phone."""

from __future__ import annotations

import pytest

from saima.projects.models import CardState, RatingStatus
from tests.e2e.conftest import width_after_resize
from tests.e2e.test_smoke import log_in
from tests.factories import build_small_province
from tests.projects_lights.samples import build_lights_samples

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_the_office_publishes_a_quarter_and_the_public_reads_the_lights(
    page, live_server, screenshot_dir
):
    base = build_small_province()
    s = build_lights_samples(base)
    organiser = base["users"]["organiser"]
    log_in(page, live_server.url, organiser.username)
    page.goto(f"{live_server.url}/projects/ratings/{s.proposed.pk}/")
    page.get_by_role("button", name="发布季度通报").click()
    page.wait_for_selector(".msg-success")
    s.proposed.refresh_from_db()
    assert s.proposed.status == RatingStatus.PUBLISHED
    page.screenshot(path=str(screenshot_dir / "lights-rating.png"), full_page=True)

    page.goto(f"{live_server.url}/projects/cards/{s.snail_card.pk}/")
    page.fill("textarea[name=plan]", "倒排工期，9 月底前开工")
    page.fill("input[name=deadline]", "2099-03")
    page.get_by_role("button", name="给予黄牌警告").click()
    page.wait_for_selector(".msg-success")
    s.snail_card.refresh_from_db()
    assert s.snail_card.state == CardState.YELLOW_CARD
    page.screenshot(path=str(screenshot_dir / "lights-card.png"), full_page=True)

    page.context.clear_cookies()
    page.goto(f"{live_server.url}/projects/{s.plist.code}/localities/{s.locality.code}/")
    cells = page.locator("td.lt-red")
    assert cells.count() >= 1 and "红" in cells.first.inner_text()  # a letter, not colour alone
    assert page.locator("text=SPI").count() == 0  # the public sees no SPI
    page.screenshot(path=str(screenshot_dir / "lights-locality.png"), full_page=True)
    page.emulate_media(media="print")
    for shell in (".topbar", ".sidenav", ".footer", ".actions"):
        assert not page.locator(shell).first.is_visible(), shell
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    width = width_after_resize(page, 392)
    assert width <= 392, width
    page.screenshot(path=str(screenshot_dir / "lights-locality-phone.png"), full_page=True)
