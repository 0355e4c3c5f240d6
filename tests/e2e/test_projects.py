"""Key projects in a browser: a reporter files a month with a photo; the project page draws its
investment chart, prints without the shell and reads on a phone."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import width_after_resize
from tests.e2e.test_smoke import log_in
from tests.projects.conftest import build_world
from tests.projects.samples import png_bytes

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_reporter_files_a_month_and_the_project_page_shows_it(
    page, live_server, screenshot_dir, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    project = world.samples.project
    log_in(page, live_server, world.users["reporter_a"].username)
    page.goto(f"{live_server.url}/projects/p/{project.code}/2026/3/")
    page.fill("input[name=cumulative_investment]", "320.5")
    page.fill("input[name=physical_progress]", "24")
    page.fill("input[name=milestone_start]", "2026-03-18")
    photo = tmp_path / "site.png"
    photo.write_bytes(png_bytes((120, 80)))
    page.set_input_files("input[name=photos]", str(photo))
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("button[name=submit]")
    page.wait_for_selector(".msg-success, .msg-warning")
    page.screenshot(path=str(screenshot_dir / "projects-report.png"), full_page=True)
    page.goto(f"{live_server.url}/projects/p/{project.code}/?year=2026")
    page.wait_for_selector(".chart svg")
    assert page.locator(".gallery img").count() >= 3
    page.screenshot(path=str(screenshot_dir / "projects-project.png"), full_page=True)
    page.emulate_media(media="print")
    for shell in (".topbar", ".sidenav", ".footer", ".no-print"):
        assert not page.locator(shell).first.is_visible(), shell
    page.emulate_media(media="screen")
    page.set_viewport_size({"width": 390, "height": 844})
    width = width_after_resize(page, 392)
    assert width <= 392, width
    page.screenshot(path=str(screenshot_dir / "projects-project-phone.png"), full_page=True)
