"""Submitting a report (报送) asks for confirmation in the browser: dismissed, nothing is sent."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saima.races.models import Report, ReportStatus
from tests.e2e.test_smoke import log_in
from tests.races.conftest import build_world

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_submitting_asks_first_and_a_refusal_sends_nothing(page, live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    period = world.period()
    unit = world.counties["上城区"]
    log_in(page, live_server.url, world.users["reporter"].username)
    page.goto(live_server.url + reverse("races:report", args=[period.pk, unit.code]))
    for code, value in (("fai", "9"), ("projects", "5"), ("snails", "0")):
        page.fill(f"input[name={code}]", value)
    asked: list[str] = []

    def dismiss(dialog) -> None:
        asked.append(dialog.message)
        dialog.dismiss()

    page.once("dialog", dismiss)
    page.get_by_role("button", name="报送", exact=True).click()
    page.wait_for_timeout(500)
    assert asked and "确定报送吗" in asked[0]
    assert Report.objects.get(period=period, unit=unit).status == ReportStatus.NOT_STARTED

    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="报送", exact=True).click()
    page.wait_for_load_state()
    page.wait_for_timeout(500)
    assert Report.objects.get(period=period, unit=unit).status == ReportStatus.SUBMITTED
