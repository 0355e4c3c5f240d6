"""The shell: every role's main pages render, in Chinese by default, loading nothing from other hosts."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from saima.core.middleware import POLICY
from saima.core.navigation import nav_for

EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["'](?:https?:)?//""", re.IGNORECASE)
ROLES = ["superuser", "organiser", "reporter", "judge", "discipline", "viewer", "nobody"]


def external_references(html: str) -> list[str]:
    return EXTERNAL.findall(html)


def test_the_external_reference_check_catches_cdn_links():
    assert external_references('<script src="https://cdn.example.com/x.js">') != []
    assert external_references('<link href="//fonts.example.com/a.css">') != []
    assert external_references('<a href="/races/">') == []


def test_the_home_page_for_the_public_invites_to_log_in(client, small_province):
    response = client.get("/", follow=True)  # a visitor is taken to the public portal
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "登录" in html
    assert response.headers["Content-Security-Policy"] == POLICY


@pytest.mark.parametrize("role", ROLES)
def test_every_page_in_a_roles_navigation_renders_without_other_hosts(client, small_province, role):
    user = small_province.users[role]
    client.force_login(user)
    urls = ["/", reverse("notices")] + [item["url"] for item in nav_for(user)]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert external_references(html) == [], url
        if "/portal/" not in url:  # the public portal's frame is static pages, without htmx
            assert 'src="/static/vendor/htmx/htmx.min.js"' in html


def test_a_user_without_a_role_is_told_what_to_do_next(client, small_province):
    client.force_login(small_province.users["nobody"])
    html = client.get("/").content.decode()
    assert "您还没有任何角色" in html


def test_the_interface_switches_to_english(client, small_province):
    client.force_login(small_province.users["organiser"])
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get("/").content.decode()
    assert '<html lang="en">' in html
    assert "Log out" in html


def test_the_audit_log_lists_events_for_an_organiser(client, small_province):
    client.force_login(small_province.users["organiser"])
    html = client.get(reverse("audit-log")).content.decode()
    assert "org.unit.create" in html


def test_a_notice_can_only_be_opened_by_its_recipient(client, small_province):
    from saima.core.models import Notice

    notice = Notice.objects.create(
        user=small_province.users["reporter"], title="请尽快填报", link="/"
    )
    client.force_login(small_province.users["viewer"])
    assert client.post(reverse("notice-open", args=[notice.pk])).status_code == 404
    client.force_login(small_province.users["reporter"])
    assert client.post(reverse("notice-open", args=[notice.pk])).status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_the_static_vendor_assets_are_served_locally(client, small_province):
    for path in [
        "/static/vendor/htmx/htmx.min.js",
        "/static/vendor/echarts/echarts.min.js",
        "/static/css/saima.css",
    ]:
        response = client.get(path)
        assert response.status_code == 200, path


def test_healthz_reports_the_database(client, db):
    assert client.get("/healthz").json()["status"] == "ok"


def test_a_missing_page_says_so_in_the_shell(client, small_province):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "页面不存在" in html and 'href="/"' in html


def test_the_audit_log_is_refused_to_a_reporter_saying_whom_to_ask(client, small_province):
    client.force_login(small_province.users["reporter"])
    response = client.get("/audit/")
    assert response.status_code == 403
    assert "请联系本级组织者" in response.content.decode()
