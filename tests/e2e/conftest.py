"""Headless Chromium (Debian's package) driven by Playwright, against pytest-django's live server."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself (building data) are still synchronous and safe.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    assert executable, "Debian's chromium is missing: `make system-deps` installs it"
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, live_server) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot_dir() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


def width_after_resize(page, limit: int) -> int:
    """The page's scroll width once it has settled at a new viewport: charts redraw on the
    window's resize event, which comes after the viewport changes, so wait (up to 5 s) for the
    width to fit ``limit``; a page that really overflows still returns its width."""
    import contextlib

    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    fits = f"() => document.documentElement.scrollWidth <= {limit}"
    with contextlib.suppress(PlaywrightTimeout):
        page.wait_for_function(fits, timeout=5000)
    return int(page.evaluate("() => document.documentElement.scrollWidth"))
