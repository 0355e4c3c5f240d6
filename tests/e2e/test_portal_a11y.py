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


def projects_pages(s) -> list[str]:
    """The key projects' section: a list's light map (latest and a given month), a city's and a
    county's month × project grid, a published quarter's red flags and snails."""
    code = s.plist.code
    pages = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            pages += [
                reverse("portal:front"),
                reverse("portal:projects:list", args=[code]),
                reverse("portal:projects:month", args=[code, 3]),
                reverse("portal:projects:locality", args=[code, s.world.units["city_a"].code]),
                reverse("portal:projects:locality", args=[code, s.locality.code]),
                reverse("portal:projects:rating", args=[code, s.published.quarter]),
            ]
    return pages


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_no_key_projects_page_has_a_serious_or_critical_violation(browser, live_server, width):
    from tests.factories import build_small_province
    from tests.projects_lights.samples import build_lights_samples

    s = build_lights_samples(build_small_province())
    source = axe_source()
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for path in projects_pages(s):
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            page.wait_for_load_state("load")
            page.evaluate(source)
            serious = [v for v in page.evaluate(RUN) if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
            width_used = page.evaluate("() => document.documentElement.scrollWidth")
            assert width_used <= width + 2, (path, width_used)  # tables scroll, the page does not
    finally:
        context.close()
    assert not found, found
