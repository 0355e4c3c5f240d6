"""The anonymous intake in a browser (also on a phone's width): submit with a picture, copy the
receipt, read the status, answer the officer's question; the browser keeps no session cookie."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from PIL import Image

from saima.conduct import clues
from saima.conduct.models import Clue, ClueStatus
from tests.conduct.conftest import build_world

pytestmark = pytest.mark.browser


def _photo(path) -> str:
    out = io.BytesIO()
    Image.new("RGB", (60, 40), (180, 40, 40)).save(out, "JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 390], ids=["desktop", "phone"])
def test_a_citizen_reports_and_answers_with_the_receipt(
    page, live_server, tmp_path, width, screenshot_dir
):
    world = build_world()
    page.set_viewport_size({"width": width, "height": 860})
    page.goto(live_server.url + reverse("conduct:report"))
    value = page.eval_on_selector(
        "#id_unit", "s => [...s.options].find(o => o.text.includes('千岛湖镇')).value"
    )
    page.select_option("#id_unit", value)
    page.fill("#id_summary", "审批拖延")
    page.fill("#id_account", "材料交齐三个月无答复")
    page.set_input_files("#id_evidence", _photo(tmp_path / "IMG_0042.jpg"))
    page.get_by_role("button", name="提交", exact=True).click()
    code = page.inner_text("[data-receipt]").strip()
    page.screenshot(path=str(screenshot_dir / f"conduct-receipt-{width}.png"), full_page=True)
    assert len(code) == 24
    assert not [c for c in page.context.cookies() if c["name"] == "sessionid"]

    clue = Clue.objects.get()
    officer = world.users["officer_a"]
    clue = clues.clue_assign(actor=officer, clue=clue, assignee=officer)
    clue = clues.clue_start(actor=officer, clue=clue)
    clues.clue_ask(actor=officer, clue=clue, text="请问是哪个项目？")

    page.goto(live_server.url + reverse("conduct:receipt"))
    page.fill("#id_receipt", code.lower())
    page.get_by_role("button", name="查询", exact=True).click()
    assert "请问是哪个项目？" in page.content()
    page.fill("#id_answer", "园区二期厂房")
    page.get_by_role("button", name="提交答复", exact=True).click()
    assert "已收到您的答复" in page.content()
    assert Clue.objects.get().status == ClueStatus.INVESTIGATING
    page.screenshot(path=str(screenshot_dir / f"conduct-status-{width}.png"), full_page=True)
