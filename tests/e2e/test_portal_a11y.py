"""axe-core (npm, pinned in package.json) in Chromium on every portal page: no serious or
critical violation, in Chinese and in English, on a desktop and on a 375 px phone."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

from tests.races.conftest import build_world

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
# node_modules after `npm ci` (make setup); .axe/ is a developer's own install beside it
AXE = [ROOT / "node_modules/axe-core/axe.min.js", ROOT / ".axe/node_modules/axe-core/axe.min.js"]
RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))}));
}"""


def axe_source() -> str:
    found = next((path for path in AXE if path.is_file()), None)
    assert found, "axe-core is missing: `npm ci` installs it (package.json devDependencies)"
    return found.read_text(encoding="utf-8")


def portal_pages(world, result) -> list[str]:
    pages = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            pages += [
                reverse("portal:front"),
                reverse("portal:archive"),
                reverse("portal:open_data"),
                reverse("portal:verify"),
                reverse("portal:races:board", args=[result.pk]),
                reverse("portal:races:race", args=[world.race.code]),
            ]
    return pages


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_no_portal_page_has_a_serious_or_critical_violation(browser, live_server, width):
    world = build_world()
    world.published(2026, 1)
    result = world.published(2026, 2)
    source = axe_source()
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for path in portal_pages(world, result):
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            page.evaluate(source)
            serious = [v for v in page.evaluate(RUN) if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
    finally:
        context.close()
    assert not found, found


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_the_arena_pages_have_no_serious_or_critical_violation(browser, live_server, width):
    from tests.e2e.test_arena_judge import _off_loop, _world
    from tests.portal.test_arena import _sequel

    arena = _off_loop(_world)  # the arena's broadcasts may not run inside Playwright's loop
    sequel = _off_loop(lambda: _sequel(arena))  # its page checks the previous pledges
    pages = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            pages += [
                reverse("portal:front"),
                reverse("portal:arena:contest", args=[arena.released.pk]),
                reverse("portal:arena:contest", args=[sequel.pk]),
            ]
    source = axe_source()
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for path in pages:
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            assert page.locator(".arena-bars, #section-arena").count() == 1, path
            page.evaluate(source)
            serious = [v for v in page.evaluate(RUN) if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
    finally:
        context.close()
    assert not found, found
