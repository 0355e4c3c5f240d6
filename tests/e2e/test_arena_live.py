"""The host acts in the console; the projector board changes within a second.

pytest-django's live server speaks HTTP only, so the application runs here under daphne (the
server ``make demo`` uses) in a thread of the test process: the same in-memory channel layer
and the same test database (committed data: a transactional test) serve the pages, the
sockets and the services."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.conf import settings
from django.db import connections

from saima.arena.models import TimerState
from tests.arena.live.conftest import session_cookie
from tests.arena.world import ArenaWorld, build_arena, refresh
from tests.factories import build_small_province

pytestmark = pytest.mark.browser


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def asgi_server(django_db_setup, django_db_blocker) -> Iterator[str]:
    """daphne serving the whole application (HTTP and WebSocket) on a free loopback port."""
    from daphne.server import Server, reactor  # installs Twisted's asyncio reactor

    with django_db_blocker.unblock():  # asgi.py checks the database when imported
        from saima.config.asgi import application

    port = _free_port()
    server = Server(
        application,
        endpoints=[f"tcp:port={port}:interface=127.0.0.1"],
        signal_handlers=False,
        verbosity=0,
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            break
        except OSError:
            threading.Event().wait(0.05)
    yield f"http://127.0.0.1:{port}"
    reactor.callFromThread(reactor.stop)
    thread.join(timeout=5)


def _build_world() -> ArenaWorld:
    try:
        base = build_small_province()
        return build_arena(base["city_a"], base["users"]["organiser"])
    finally:
        connections.close_all()


@pytest.fixture
def world(transactional_db) -> ArenaWorld:
    """The arena world, built in a thread of its own: Playwright's loop runs in this one, and
    the services' broadcasts (sent after commit) may not run inside a running loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(_build_world).result()


@pytest.fixture
def organiser_context(browser, asgi_server, world) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 720}, locale="zh-CN")
    name, value = session_cookie(world.organiser).decode().split("=", 1)
    context.add_cookies([{"name": name, "value": value, "url": asgi_server}])
    assert name == settings.SESSION_COOKIE_NAME
    yield context
    context.close()


def test_the_board_follows_the_console_within_a_second(
    organiser_context, asgi_server, world, screenshot_dir
):
    contest = world.running
    board = organiser_context.new_page()
    errors: list[str] = []
    board.on("pageerror", lambda error: errors.append(str(error)))
    board.goto(f"{asgi_server}/arena/live/{contest.pk}/board/")
    console = organiser_context.new_page()
    console.goto(f"{asgi_server}/arena/live/{contest.pk}/console/")
    from playwright.sync_api import expect

    on_stage = board.locator(".stage-unit")
    expect(on_stage).to_have_text(contest.current.unit.name)
    # both pages are connected: a snapshot arrived, the banner is hidden
    expect(board.locator("[data-live-banner]")).to_be_hidden()

    console.locator(".console-stage button[data-action=timer-start]").click()
    expect(board.locator("[data-timer-state]")).to_have_text("计时中", timeout=1000)
    assert refresh(contest).timer_state == TimerState.RUNNING

    nxt = contest.contestants.exclude(pk=contest.current_id).order_by("position").first()
    console.locator(f"button[data-action=call][data-contestant='{nxt.pk}']").click()
    expect(on_stage).to_have_text(nxt.unit.name, timeout=1000)
    expect(board.locator("[data-timer-state]")).to_have_text("未计时", timeout=1000)

    # a refused step says why, on the console, and the board does not move
    console.keyboard.press("c")  # scoring is not open for the new contestant: nothing happens
    expect(on_stage).to_have_text(nxt.unit.name)
    reveal = console.locator("button[data-action=reveal]")
    expect(reveal).to_be_disabled()
    assert reveal.get_attribute("title")
    assert errors == []
    board.screenshot(path=str(screenshot_dir / "arena-live-board.png"))
    console.screenshot(path=str(screenshot_dir / "arena-live-console.png"))


def test_the_board_shows_the_banner_when_the_connection_drops_and_resyncs(
    organiser_context, asgi_server, world
):
    from playwright.sync_api import expect

    contest = world.running
    board = organiser_context.new_page()
    sockets: list[str] = []
    board.on("websocket", lambda ws: sockets.append(ws.url))
    board.goto(f"{asgi_server}/arena/live/{contest.pk}/board/")
    expect(board.locator(".stage-unit")).to_have_text(contest.current.unit.name)
    banner = board.locator("[data-live-banner]")
    expect(banner).to_be_hidden()
    # Record every time the banner shows (a reconnect on loopback can be quicker than a poll).
    board.evaluate(
        """() => {
        window.bannerShown = 0;
        const banner = document.querySelector("[data-live-banner]");
        new MutationObserver(() => { if (!banner.hidden) window.bannerShown += 1; })
            .observe(banner, { attributes: true, attributeFilter: ["hidden"] });
    }"""
    )
    board.evaluate("SaimaLive.connections.forEach(function (c) { c.drop(); })")
    board.wait_for_function("window.bannerShown > 0", timeout=5000)
    expect(banner).to_be_hidden(timeout=20000)  # reconnected: a fresh snapshot hid it
    assert len(sockets) == 2
    # the new connection follows the contest again
    console = organiser_context.new_page()
    console.goto(f"{asgi_server}/arena/live/{contest.pk}/console/")
    console.locator(".console-stage button[data-action=timer-start]").click()
    expect(board.locator("[data-timer-state]")).to_have_text("计时中", timeout=1000)
