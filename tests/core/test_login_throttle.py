"""Guessing passwords is throttled per account and client, and every lock ends by itself."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

PASSWORD = "pw-for-tests"


def sign_in(client: Client, username: str, password: str):
    return client.post(reverse("login"), {"username": username, "password": password})


def signed_in(response) -> bool:
    return response.status_code == 302


def client_at(address: str) -> Client:
    return Client(REMOTE_ADDR=address)


@pytest.fixture
def reporter(small_province):
    return small_province.users["reporter"].get_username()


def test_the_sixth_try_after_five_wrong_passwords_is_refused_even_when_right(reporter):
    guesser = client_at("10.0.0.66")
    for _ in range(4):
        assert sign_in(guesser, reporter, "wrong").status_code == 200
    assert sign_in(guesser, reporter, "wrong").status_code == 429, "the fifth failure locks"
    response = sign_in(guesser, reporter, PASSWORD)
    assert response.status_code == 429
    assert "登录失败次数过多，已暂时锁定" in response.content.decode()
    assert "_auth_user_id" not in guesser.session


def test_the_real_user_on_another_machine_can_still_sign_in(reporter):
    guesser = client_at("10.0.0.66")
    for _ in range(6):
        sign_in(guesser, reporter, "wrong")
    assert signed_in(sign_in(client_at("10.0.0.7"), reporter, PASSWORD))


def test_a_client_guessing_across_many_accounts_is_stopped(small_province, reporter):
    guesser = client_at("10.0.0.66")
    names = [f"guess{n:02d}" for n in range(20)]
    for name in names[:-1]:
        assert sign_in(guesser, name, "wrong").status_code == 200
    assert sign_in(guesser, names[-1], "wrong").status_code == 429
    assert sign_in(guesser, reporter, PASSWORD).status_code == 429


def test_a_client_is_not_stopped_for_a_few_typos_across_accounts(small_province, reporter):
    office = client_at("10.0.0.9")
    for name in ("zhangsan", "lisi", "wangwu"):
        for _ in range(4):
            sign_in(office, name, "wrong")
    assert signed_in(sign_in(office, reporter, PASSWORD))


def test_the_lock_ends_after_the_cool_off(reporter, settings):
    guesser = client_at("10.0.0.66")
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False):
        for _ in range(5):
            sign_in(guesser, reporter, "wrong")
        assert sign_in(guesser, reporter, PASSWORD).status_code == 429
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, 10, tzinfo=dt.UTC), tick=False):
        assert sign_in(guesser, reporter, PASSWORD).status_code == 429
    later = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC) + settings.AXES_COOLOFF_TIME
    with time_machine.travel(later + dt.timedelta(minutes=11), tick=False):
        assert signed_in(sign_in(guesser, reporter, PASSWORD))


def test_a_lock_is_logged_once_in_one_line(reporter, caplog):
    guesser = client_at("10.0.0.66")
    with caplog.at_level(logging.WARNING, logger="saima.security"):
        for _ in range(5):
            sign_in(guesser, reporter, "wrong")
    locks = [r for r in caplog.records if r.name == "saima.security"]
    assert len(locks) == 1
    line = locks[0].getMessage()
    assert "\n" not in line
    assert reporter in line and "10.0.0.66" in line


def test_the_lock_message_is_in_english_for_english_readers(reporter):
    guesser = client_at("10.0.0.66")
    guesser.cookies["django_language"] = "en"
    for _ in range(6):
        response = sign_in(guesser, reporter, "wrong")
    assert "Too many failed sign-ins" in response.content.decode()


def test_an_account_guessed_from_many_clients_is_locked_everywhere(reporter, settings):
    limit = settings.LOGIN_FAILURE_LIMITS[("username",)]
    for n in range(limit):
        sign_in(client_at(f"10.1.{n // 200}.{n % 200}"), reporter, "wrong")
    assert sign_in(client_at("10.0.0.7"), reporter, PASSWORD).status_code == 429


def test_behind_a_proxy_the_client_is_the_address_the_proxy_saw(rf, settings):
    from saima.core.security import client_ip

    settings.TRUSTED_PROXY_COUNT = 1
    forged = rf.get("/", REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="6.6.6.6, 10.0.0.66")
    assert client_ip(forged) == "10.0.0.66"
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(forged) == "10.9.9.9"


def test_administrators_find_the_locks_in_the_admin_in_chinese(client, small_province):
    client.force_login(small_province.users["superuser"])
    html = client.get("/admin/").content.decode()
    assert "登录保护" in html and "访问尝试" in html and "Axes" not in html
    assert client.get("/admin/axes/accessattempt/").status_code == 200
