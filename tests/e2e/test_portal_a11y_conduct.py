"""axe-core on the portal's 作风建设 and 澄清正名 pages (the section's index, a scope with the
rotating flag, a round, the notices and one notice): no serious or critical violation, in
Chinese and in English, on a desktop and on a 375 px phone."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from saima.safeguards.clarification import services as clarification
from tests.conduct.conftest import build_world
from tests.e2e.test_portal_a11y import RUN, axe_source
from tests.portal.test_conduct import _q3, _q4

pytestmark = pytest.mark.browser


def _notice(world) -> int:
    officer = world.users["officer_a"]
    case = clarification.case_open(actor=officer, person=world.cadre, allegation="信访反映")
    case = clarification.case_verify(
        actor=officer, case=case, finding="false_accusation", verification="查无实据"
    )
    clarification.consent_record(actor=officer, case=case, given_on=dt.date(2026, 11, 1))
    case = clarification.case_clarify(
        actor=officer, case=case, form="notice", statement="经核实，反映周建同志的问题系诬告陷害。"
    )
    return case.pk


def section_pages(world, round_pk: int, notice_pk: int) -> list[str]:
    pages = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            pages += [
                reverse("portal:front"),
                reverse("portal:conduct:index"),
                reverse("portal:conduct:scope", args=[world.city_a.code]),
                reverse("portal:conduct:round", args=[round_pk]),
                reverse("portal:clarification:list"),
                reverse("portal:clarification:notice", args=[notice_pk]),
            ]
    return pages


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 375])
def test_no_conduct_or_clarification_page_has_a_serious_violation(browser, live_server, width):
    world = build_world()
    award_round = _q3(world)
    _q4(world, world.county)
    pages = section_pages(world, award_round.pk, _notice(world))
    source = axe_source()
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True)
    page = context.new_page()
    found = {}
    try:
        for path in pages:
            response = page.goto(live_server.url + path)
            assert response is not None and response.status == 200, path
            page.wait_for_load_state("load")
            page.evaluate(source)
            serious = [v for v in page.evaluate(RUN) if v["impact"] in ("serious", "critical")]
            if serious:
                found[path] = serious
    finally:
        context.close()
    assert not found, found
