"""A reporter makes an API token in the browser, sees it once, and a program submits with it;
the API's documentation page loads everything from this host."""

from __future__ import annotations

import httpx
import pytest
from django.urls import reverse

from saima.races.models import Report, ReportStatus
from tests.e2e.test_smoke import log_in
from tests.races.conftest import build_world

pytestmark = pytest.mark.browser


@pytest.mark.django_db(transaction=True)
def test_a_reporter_makes_a_token_and_a_program_submits_with_it(
    page, live_server, settings, tmp_path, screenshot_dir
):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    period = world.period()
    unit = world.counties["上城区"]
    log_in(page, live_server.url, world.users["reporter"].username)
    page.goto(live_server.url + reverse("api:tokens"))
    page.get_by_role("link", name="新建令牌").first.click()
    page.fill("input[name=name]", "统计报送系统")
    page.get_by_role("button", name="创建令牌").click()
    token = page.inner_text("#token-value").strip()
    assert token.startswith("saima_")
    page.screenshot(path=str(screenshot_dir / "api-token-created.png"), full_page=True)

    page.goto(live_server.url + reverse("api:tokens"))
    assert token not in page.content() and token.split("_")[1] in page.content()

    response = httpx.post(
        f"{live_server.url}/api/v1/periods/{period.pk}/reports/{unit.code}/submit",
        json={"values": {"fai": 9, "projects": 5, "snails": 0}},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.text
    assert Report.objects.get(period=period, unit=unit).status == ReportStatus.SUBMITTED


def test_the_api_documentation_renders_without_other_hosts(page, live_server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(live_server.url + reverse("api-docs"))
    page.get_by_text("/api/v1/races", exact=True).first.wait_for()
    assert all(url.startswith(live_server.url) or url.startswith("data:") for url in requested)
