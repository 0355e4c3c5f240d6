"""Boards print without the shell, with what identifies them; on a phone every name can be read."""

from __future__ import annotations

import re

import pytest

from tests.e2e.test_smoke import log_in
from tests.races.conftest import build_world

pytestmark = pytest.mark.browser

TEXT_FITS = """
() => Array.from(document.querySelectorAll('.btn')).filter(b => b.offsetWidth).filter(b => {
  const range = document.createRange(); range.selectNodeContents(b);
  const text = range.getBoundingClientRect(), box = b.getBoundingClientRect();
  return text.left < box.left - 0.5 || text.right > box.right + 0.5;
}).map(b => b.textContent.trim())
"""


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", data))


@pytest.mark.django_db(transaction=True)
def test_a_board_prints_its_identity_and_no_navigation(page, live_server, screenshot_dir):
    world = build_world()
    result = world.published()
    page.goto(f"{live_server.url}/races/results/{result.pk}/")
    page.wait_for_selector(".chart svg")
    page.emulate_media(media="print")
    page.wait_for_timeout(200)
    for shell in (".topbar", ".sidenav", ".footer", ".breadcrumbs", ".actions"):
        assert not page.locator(shell).first.is_visible(), shell
    meta = page.locator(".print-meta")
    assert meta.is_visible()
    text = meta.inner_text()
    for part in (world.race.name, result.period.label, f"v{result.version}", result.digest):
        assert part in text, part
    widths = page.evaluate(
        "() => [document.querySelector('main').clientWidth,"
        " ...Array.from(document.querySelectorAll('.chart svg')).filter(s => s.getBoundingClientRect().width)"
        ".map(s => s.getBoundingClientRect().width)]"
    )
    main, *charts = widths
    assert charts and all(w <= main + 1 for w in charts), widths
    pdf = page.pdf(format="A4")
    (screenshot_dir / "board-print.pdf").write_bytes(pdf)
    assert pdf_pages(pdf) <= 2


@pytest.mark.django_db(transaction=True)
def test_ninety_names_are_listed_down_a_phone(browser, live_server, screenshot_dir):
    world = build_world(extra_units=84)
    values = {
        name: (5.0 + i % 17, 1.0 + i % 5, float(i % 3)) for i, name in enumerate(world.counties)
    }
    result = world.published(values=values)
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="zh-CN")
    phone = context.new_page()
    phone.goto(f"{live_server.url}/races/results/{result.pk}/")
    phone.wait_for_selector(".narrow-only svg")
    assert not phone.locator(".wide-only").is_visible()
    names = set(
        phone.evaluate(
            "() => Array.from(document.querySelectorAll('.narrow-only svg text'), t => t.textContent)"
        )
    )
    expected = {unit.name for unit in world.counties.values()}
    assert len(expected) == 90 and expected <= names
    box = phone.locator(".narrow-only").bounding_box()
    assert box and box["height"] >= 18 * 90 and box["width"] <= 390
    phone.screenshot(path=str(screenshot_dir / "board-phone-90.png"), full_page=True)
    context.close()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_button_labels_fit_their_buttons_on_the_status_board(browser, live_server, width):
    world = build_world()
    period = world.period()
    context = browser.new_context(viewport={"width": width, "height": 900}, locale="zh-CN")
    board = context.new_page()
    log_in(board, live_server.url, world.users["organiser"].username)
    board.goto(f"{live_server.url}/races/periods/{period.pk}/")
    assert board.get_by_role("button", name="向选中单位发送催办").is_visible()
    assert board.evaluate(TEXT_FITS) == []
    context.close()
