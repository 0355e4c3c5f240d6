"""Hardening of the shell: private pages are not cached, a refusal is logged in one line."""

from __future__ import annotations

import logging

import pytest
from django.urls import reverse

from tests.races.conftest import build_world


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_every_page_for_a_signed_in_user_is_private_and_not_stored(client, small_province):
    client.force_login(small_province.users["organiser"])
    for url in ["/", reverse("notices"), reverse("audit-log"), reverse("races:index")]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["Cache-Control"] == "private, no-store", url


def test_a_private_download_is_not_stored(client, world):
    period = world.period()
    client.force_login(world.users["organiser"])
    response = client.get(reverse("races:import_template", args=[period.pk, "csv"]))
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "private, no-store"


def test_a_public_board_stays_cacheable_for_the_public(client, world):
    result = world.published()
    response = client.get(reverse("races:board", args=[result.pk]))
    assert response.status_code == 200
    assert "no-store" not in response.headers.get("Cache-Control", "")


def test_a_refusal_is_logged_in_one_line_without_a_traceback(client, small_province, caplog):
    client.force_login(small_province.users["reporter"])
    with caplog.at_level(logging.WARNING, logger="django.request"):
        assert client.get(reverse("audit-log")).status_code == 403
    records = [r for r in caplog.records if r.name == "django.request"]
    assert len(records) == 1
    (record,) = records
    assert record.exc_info is None
    line = caplog.handler.format(record)
    assert line.count("\n") == 0, line
    assert "/audit/" in line
    assert small_province.users["reporter"].get_username() in line
