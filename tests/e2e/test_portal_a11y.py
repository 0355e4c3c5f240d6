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


def _published_bulletin(world):
    """A published quarterly bulletin with a version whose content has a heading and a table."""
    import datetime as dt

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from saima.bulletins.models import Bulletin, BulletinStatus, BulletinVersion
    from saima.bulletins.services import header_of

    bulletin = Bulletin(
        owner=world.city_a,
        kind="quarterly",
        year=2026,
        quarter=2,
        issuer="杭州市发展和改革委员会",
        doc_number="杭发改〔2026〕12号",
        title="关于2026年第2季度赛马激励评价结果的通报",
        addressees="各区、县（市）发展改革局",
        lead="现将评价结果通报如下。",
        closing="希望各地对标先进。",
        issue_date=dt.date(2026, 7, 10),
        created_by=world.users["organiser"],
        status=BulletinStatus.PUBLISHED,
        published_at=timezone.now(),
        pdf_sha256="a" * 64,
        docx_sha256="b" * 64,
    )
    bulletin.pdf.save("a11y.pdf", ContentFile(b"%PDF-1.4"), save=False)
    bulletin.docx.save("a11y.docx", ContentFile(b"PK"), save=False)
    bulletin.save()
    content = {
        "sections": [
            {
                "key": "races",
                "heading": "一、杭州市县区赛马",
                "blocks": [
                    {"text": "入选激励地区：上城区、余杭区。", "table": None, "chart": None},
                    {
                        "text": "",
                        "table": {
                            "caption": "杭州县区排名",
                            "headers": ["名次", "地区", "综合得分"],
                            "rows": [["1", "上城区", "91.20"], ["2", "余杭区", "88.40"]],
                            "numeric": [0, 2],
                        },
                        "chart": None,
                    },
                ],
            }
        ]
    }
    version = BulletinVersion(
        bulletin=bulletin,
        number=1,
        header=header_of(bulletin).to_json(),
        content=content,
        pdf_sha256="c" * 64,
        docx_sha256="d" * 64,
    )
    version.pdf.save("v1.pdf", ContentFile(b"%PDF-1.4 draft"), save=False)
    version.docx.save("v1.docx", ContentFile(b"PK draft"), save=False)
    version.save()
    return bulletin


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390])
def test_the_bulletin_pages_have_no_serious_or_critical_violation(
    browser, live_server, settings, tmp_path, width
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    world.published(2026, 1)
    bulletin = _published_bulletin(world)
    source = axe_source()
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    shots = ROOT / "var/screenshots"
    shots.mkdir(parents=True, exist_ok=True)
    found = {}
    try:
        for language in ("zh-hans", "en"):
            with translation.override(language):
                paths = {
                    "front": reverse("portal:front"),
                    "archive": reverse("portal:archive"),
                    "index": reverse("portal:bulletins:index"),
                    "bulletin": reverse("portal:bulletins:bulletin", args=[bulletin.pk]),
                }
            for name, path in paths.items():
                page.goto(live_server.url + path)
                page.wait_for_load_state("load")
                assert bulletin.title in page.content(), path
                page.screenshot(
                    path=str(shots / f"portal-bulletins-{name}-{language}-{width}.png"),
                    full_page=True,
                )
                page.evaluate(source)
                serious = [v for v in page.evaluate(RUN) if v["impact"] in ("serious", "critical")]
                if serious:
                    found[path] = serious
                if width <= 390:  # nothing wider than a phone
                    overflow = page.evaluate(
                        "document.documentElement.scrollWidth - window.innerWidth"
                    )
                    assert overflow <= 1, (path, overflow)
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
