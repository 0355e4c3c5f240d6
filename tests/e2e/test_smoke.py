"""A person logs in as each role and sees their dashboard; nothing is fetched from other hosts."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from tests.factories import build_small_province

pytestmark = pytest.mark.browser
ROLES = ["superuser", "organiser", "reporter", "judge", "discipline", "viewer", "nobody"]


UNLABELLED_CONTROLS = """
() => Array.from(document.querySelectorAll('input:not([type=hidden]), select, textarea'))
  .filter(el => !(el.labels && el.labels.length) && !el.getAttribute('aria-label') && !el.getAttribute('aria-labelledby'))
  .map(el => el.name || el.id || el.outerHTML.slice(0, 60))
"""


def log_in(page, base_url: str, username: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill("pw-for-tests")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{base_url}/")


@pytest.mark.django_db(transaction=True)
def test_every_role_logs_in_and_sees_a_dashboard(page, live_server, screenshot_dir):
    province = build_small_province()
    requested_hosts: set[str] = set()
    page.on("request", lambda request: requested_hosts.add(urlparse(request.url).netloc))
    console_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)

    for role in ROLES:
        user = province["users"][role]
        log_in(page, live_server.url, user.username)
        assert page.locator("h1").first.inner_text().startswith("您好")
        assert page.evaluate(UNLABELLED_CONTROLS) == [], f"unlabelled form controls for {role}"
        page.screenshot(path=str(screenshot_dir / f"dashboard-{role}.png"), full_page=True)
        page.get_by_role("button", name="退出").click()
        page.wait_for_url(f"{live_server.url}/zh-hans/portal/")  # signed out: the public portal
        assert page.get_by_role("link", name="登录").first.is_visible()

    assert requested_hosts == {urlparse(live_server.url).netloc}
    assert console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_wrong_password_is_refused_with_a_message(page, live_server):
    build_small_province()
    page.goto(f"{live_server.url}/login/")
    page.get_by_label("用户名").fill("org_hz")
    page.get_by_label("密码").fill("wrong")
    page.get_by_role("button", name="登录").click()
    assert page.get_by_role("alert").inner_text() == "用户名或密码不正确，请重试。"


@pytest.mark.django_db(transaction=True)
def test_the_navigation_folds_into_a_menu_on_a_phone(browser, live_server, screenshot_dir):
    province = build_small_province()
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    page = context.new_page()
    log_in(page, live_server.url, province["users"]["organiser"].username)
    nav = page.locator("#mainnav")
    assert not nav.is_visible()
    page.get_by_role("button", name="菜单").click()
    assert nav.is_visible()
    page.screenshot(path=str(screenshot_dir / "phone-menu-organiser.png"), full_page=True)
    context.close()


@pytest.mark.django_db(transaction=True)
def test_the_keyboard_reaches_the_skip_link_first_and_it_moves_focus_to_the_content(
    page, live_server
):
    build_small_province()
    page.goto(f"{live_server.url}/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
