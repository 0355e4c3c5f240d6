"""An organiser uploads a data file: the bar fills, the file is checked whole, the page moves to
the batch's preview and the organiser confirms it — or the page names what is wrong."""

from __future__ import annotations

import pytest

from tests.e2e.test_smoke import log_in
from tests.races.conftest import build_world

pytestmark = pytest.mark.browser
WATCH_PROGRESS = """
() => {
  const block = document.getElementById('upload-progress');
  new MutationObserver(() => {
    if (!block.hidden) sessionStorage.setItem('progress-shown', block.querySelector('p').textContent);
  }).observe(block, {attributes: true, subtree: true, childList: true, characterData: true});
}
"""
HEADER = "单位代码,单位名称,固定资产投资增速（%）,重大项目数（个）,蜗牛项目数（个）"


@pytest.mark.django_db(transaction=True)
def test_an_upload_shows_progress_and_lands_on_the_batch(page, live_server, tmp_path):
    world = build_world()
    period = world.period()
    rows = [HEADER] + [
        f"{unit.code},{name},{8 + i},{i + 1},0"
        for i, (name, unit) in enumerate(world.counties.items())
    ]
    data = tmp_path / "第一季度.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    log_in(page, live_server.url, world.users["organiser"].username)
    page.goto(f"{live_server.url}/races/periods/{period.pk}/import/")
    assert page.locator("#upload-progress").is_hidden()
    page.get_by_label("数据文件（.xlsx 或 .csv）").set_input_files(str(data))
    page.evaluate(WATCH_PROGRESS)
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url(f"{live_server.url}/races/imports/*/")
    assert "预览：确认后才会写入" in page.locator("main").inner_text()
    assert page.locator("#import-preview tbody tr").count() == 6
    page.get_by_role("button", name="确认导入").click()
    page.wait_for_load_state()
    assert "已导入 6 个单位的数据" in page.locator("main").inner_text()
    shown = page.evaluate("sessionStorage.getItem('progress-shown')")
    assert shown is not None and shown.startswith(("正在上传", "已上传，正在校验整份文件"))
    assert errors == []


@pytest.mark.django_db(transaction=True)
def test_a_refused_file_is_explained_in_place(page, live_server, tmp_path):
    world = build_world()
    period = world.period()
    data = tmp_path / "wrong.txt"
    data.write_text("not a table", encoding="utf-8")
    log_in(page, live_server.url, world.users["organiser"].username)
    url = f"{live_server.url}/races/periods/{period.pk}/import/"
    page.goto(url)
    page.get_by_label("数据文件（.xlsx 或 .csv）").set_input_files(str(data))
    page.get_by_role("button", name="上传并校验").click()
    page.wait_for_url(f"{live_server.url}/races/imports/*/")
    assert "整份文件未导入" in page.locator(".msg-error").inner_text()
    assert "只支持 .xlsx 和 .csv 文件" in page.locator("#import-progress table").inner_text()
    assert not period.reports.filter(status="submitted").exists()
