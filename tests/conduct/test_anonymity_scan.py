"""The anonymity scan (issue 11 §7): 200 scripted anonymous submissions from known addresses
and user agents — half direct, half behind the trusted proxy (X-Forwarded-For) — each then
reading its status with the receipt; afterwards no address and no user agent appears anywhere:
not in any row of any table (``dumpdata`` and a raw scan of every table), not in the logs, not
in the cache's keys or values."""

from __future__ import annotations

import io
import logging

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from saima.conduct.models import Clue, ClueEvidence
from tests.conduct.conftest import jpeg, post_clue, receipt_of, upload

SUBMISSIONS = 200


def _address(i: int) -> str:
    return f"198.18.{i // 100}.{i % 100 + 100}"


def _agent(i: int) -> str:
    return f"ScanAgent/{i:03d} (Saima anonymity probe; X11; Linux)"


def _every_stored_text() -> str:
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                for cell in row:
                    if isinstance(cell, bytes | memoryview):
                        parts.append(bytes(cell).decode("latin-1"))
                    else:
                        parts.append(str(cell))
    return "\n".join(parts)


def _cache_contents() -> str:
    store = getattr(cache, "_cache", {})  # LocMemCache: key → pickled value
    return "\n".join(f"{key} {value!r}" for key, value in store.items())


@pytest.mark.parametrize("behind_proxy", [False, True], ids=["direct", "proxied"])
def test_no_address_or_user_agent_is_kept_anywhere(world, settings, caplog, capsys, behind_proxy):
    settings.CONDUCT_CLUES_PER_TARGET = 10_000
    settings.TRUSTED_PROXY_COUNT = 1 if behind_proxy else 0
    caplog.set_level(logging.DEBUG)
    half = SUBMISSIONS // 2
    offset = half if behind_proxy else 0
    for i in range(offset, offset + half):
        address, agent = _address(i), _agent(i)
        headers = {"HTTP_USER_AGENT": agent, "HTTP_REFERER": f"http://{address}/from"}
        if behind_proxy:
            client = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=address, **headers)
        else:
            client = Client(REMOTE_ADDR=address, **headers)
        extra = {"evidence": upload(jpeg(), f"{address}.jpg")} if i % 10 == 0 else {}
        code = receipt_of(post_clue(client, world, summary=f"线索 {i}", **extra))
        assert client.post(reverse("conduct:receipt"), {"receipt": code}).status_code == 200
        if i % 4 == 0:  # a failed guess is counted, by key only
            guess = code[:-1] + ("0" if code[-1] != "0" else "1")
            wrong = client.post(reverse("conduct:receipt"), {"receipt": guess})
            assert wrong.status_code == 200
    assert Clue.objects.count() == half and ClueEvidence.objects.count() == half // 10

    dump = io.StringIO()
    call_command("dumpdata", stdout=dump)
    captured = capsys.readouterr()
    haystacks = {
        "dumpdata": dump.getvalue(),
        "tables": _every_stored_text(),
        "logs": "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records),
        "stdout/stderr": captured.out + captured.err,
        "cache": _cache_contents(),
    }
    for i in range(offset, offset + half):
        for where, text in haystacks.items():
            assert _address(i) not in text, f"address {_address(i)} found in {where}"
            assert _agent(i) not in text, f"user agent {_agent(i)} found in {where}"
    assert "ScanAgent" not in "".join(haystacks.values())
