"""``saima verify`` and the audit page's verification: the chain plus every registered verifier."""

from __future__ import annotations

import pytest
from django.db import connection

from saima.cli import main as saima_main
from saima.core.audit import record_event
from saima.core.models import AuditEvent
from saima.core.verification import (
    register_verifier,
    registered_verifiers,
    unregister_verifier,
    verification_run,
)


@pytest.fixture
def verifier():
    """A verifier defined here, as an app would register one in ``ready()``."""
    found: list[str] = []
    register_verifier("tests.sample", lambda: list(found))
    yield found
    unregister_verifier("tests.sample")


@pytest.fixture
def broken_verifier():
    def explode() -> list[str]:
        raise RuntimeError("cannot reach the results")

    register_verifier("tests.broken", explode)
    yield
    unregister_verifier("tests.broken")


def test_a_registered_verifier_runs_and_its_problems_fail_the_run(db, verifier):
    record_event(actor=None, action="test.one")
    assert "tests.sample" in registered_verifiers()
    assert verification_run().ok
    verifier.append("结果 #3: stored outputs do not match their digest")
    report = verification_run()
    assert report.chain.ok and not report.ok
    sample = next(item for item in report.findings if item.name == "tests.sample")
    assert sample.problems == ["结果 #3: stored outputs do not match their digest"]


def test_a_verifier_that_raises_is_a_finding_not_a_pass(db, broken_verifier):
    report = verification_run()
    assert not report.ok
    broken = next(item for item in report.findings if item.name == "tests.broken")
    assert "RuntimeError: cannot reach the results" in broken.problems[0]


def test_saima_verify_runs_the_chain_and_every_verifier(db, verifier, capsys):
    record_event(actor=None, action="test.one")
    assert saima_main(["verify"]) == 0
    out = capsys.readouterr().out
    assert "OK: 1 audit events" in out and "OK: tests.sample" in out
    verifier.append("结果 #3 differs from a re-run")
    assert saima_main(["verify"]) == 1
    err = capsys.readouterr().err
    assert "PROBLEMS in tests.sample: 1" in err and "结果 #3 differs from a re-run" in err


def test_saima_verify_fails_on_a_broken_chain(db, capsys):
    record_event(actor=None, action="test.one")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_auditevent SET action = 'x' WHERE seq = 1")
    assert saima_main(["verify"]) == 1
    assert "BROKEN at event #1" in capsys.readouterr().err


@pytest.mark.parametrize("role", ["discipline", "superuser"])
def test_discipline_officers_run_the_verification_from_the_audit_page(
    client, small_province, verifier, role
):
    verifier.append("结果 #3 differs from a re-run")
    client.force_login(small_province.users[role])
    assert "运行校验" in client.get("/audit/").content.decode()
    before = AuditEvent.objects.count()
    page = client.post("/audit/verify/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "结果 #3 differs from a re-run" in html and "tests.sample" in html
    assert page.context["report"].chain.ok
    event = AuditEvent.objects.get(seq=before + 1)
    assert event.action == "core.audit.verify"
    assert event.actor_label == small_province.users[role].username
    assert event.after["problems"]["tests.sample"] == 1  # apps register verifiers of their own


@pytest.mark.parametrize("role", ["organiser", "reporter", "viewer", "nobody"])
def test_others_cannot_run_the_verification(client, small_province, role):
    client.force_login(small_province.users[role])
    before = AuditEvent.objects.count()
    assert client.post("/audit/verify/").status_code == 403
    assert AuditEvent.objects.count() == before
    if role == "organiser":  # reads the log, but no verify button
        assert "运行校验" not in client.get("/audit/").content.decode()


def test_verification_needs_a_post(client, small_province):
    client.force_login(small_province.users["discipline"])
    assert client.get("/audit/verify/").status_code == 405


def test_the_audit_page_names_each_verifier_in_words(client, small_province):
    register_verifier("tests.labelled", list, "样例核验")
    try:
        client.force_login(small_province.users["discipline"])
        html = client.post("/audit/verify/").content.decode()
    finally:
        unregister_verifier("tests.labelled")
    assert "样例核验" in html and "tests.labelled" in html
    assert "已发布的指标赛马结果" in html  # the races app's own check, by its name
