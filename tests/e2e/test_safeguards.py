"""A discipline officer reviews a tolerance application line by line and decides it; a red line
leaves only refusal; the public notice appears with consent and goes with its withdrawal.
Screenshots of each page, wide and on a phone, go to ``var/screenshots/``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from saima.safeguards.clarification import services as clarification
from saima.safeguards.models import ToleranceApplication
from tests.e2e.test_smoke import log_in
from tests.safeguards.conftest import build_safe_world

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_an_officer_reviews_each_condition_and_decides(page, live_server, screenshot_dir):
    world = build_safe_world()
    application = world.apply()
    log_in(page, live_server.url, world.users["officer"].username)
    page.goto(live_server.url + reverse("safeguards:application", args=[application.pk]))
    with page.expect_navigation():  # a form POST and its redirect, not the page already shown
        page.get_by_role("button", name="受理并开始逐项审查").click()
    page.wait_for_selector("tr.checklist-row", state="attached")
    rows = page.locator("tr.checklist-row")
    assert rows.count() == 10
    for index in range(10):
        row = page.locator("tr.checklist-row").nth(index)
        red_line = "red-line" in (row.get_attribute("class") or "")
        row.locator("input[type=radio]").nth(1 if red_line else 0).check()
        row.locator("textarea").fill("经查阅会议纪要，符合要求。" if not red_line else "未涉及。")
        with page.expect_navigation():
            row.get_by_role("button", name="记录").click()
    page.screenshot(path=str(screenshot_dir / "safeguards-review.png"), full_page=True)
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    page.get_by_label("予以容错").check()
    page.locator("textarea[name=reason]").last.fill("失误发生在先行先试中，予以容错。")
    with page.expect_navigation():
        page.get_by_role("button", name="作出决定").last.click()
    assert "已作出决定" in page.content()
    assert asked == ["决定作出后不能更改，确定吗？"]
    assert ToleranceApplication.objects.get(pk=application.pk).status == "tolerated"


@pytest.mark.django_db(transaction=True)
def test_a_public_notice_shows_with_consent_and_goes_with_its_withdrawal(
    page, live_server, screenshot_dir
):
    world = build_safe_world()
    officer = world.users["officer"]
    case = clarification.case_open(
        actor=officer, person=world.people["李四"], allegation="信访反映"
    )
    case = clarification.case_verify(
        actor=officer, case=case, finding="false_accusation", verification="系诬告"
    )
    clarification.consent_record(actor=officer, case=case, given_on=dt.date(2026, 11, 1))
    clarification.case_clarify(
        actor=officer, case=case, form="notice", statement="经核实，反映李四同志的问题系诬告陷害。"
    )
    page.goto(live_server.url + reverse("safeguards:notices"))
    assert "反映李四同志的问题" in page.content()
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "safeguards-notices-phone.png"), full_page=True)
    log_in(page, live_server.url, officer.username)
    page.goto(live_server.url + reverse("safeguards:case", args=[case.pk]))
    page.once("dialog", lambda dialog: dialog.accept())
    with page.expect_navigation():
        page.get_by_role("button", name="撤回同意（撤下公开通报）").click()
    page.goto(live_server.url + reverse("safeguards:notices"))
    assert "反映李四同志的问题" not in page.content()
    assert "暂无公开通报" in page.content()
