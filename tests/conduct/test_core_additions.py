"""The small pieces added to core and config for the anonymous intake: day-only audit events
still verify, the scrub removes every identifying header (WSGI and ASGI), daphne's access log
leaves the anonymous pages out, referrals come back newest first."""

from __future__ import annotations

import datetime as dt

from django.test import RequestFactory
from django.utils import timezone

from saima.config.serve import without_anonymous_pages
from saima.core import anonymity, referrals
from saima.core.audit import record_event, verify_chain
from saima.core.models import AuditEvent


def test_a_day_only_event_keeps_the_chain_verifiable(db):
    record_event(actor=None, action="test.exact", object_type="t", object_id="1")
    event = record_event(
        actor=None, action="test.day", object_type="t", object_id="2", day_only=True
    )
    record_event(actor=None, action="test.exact", object_type="t", object_id="3")
    stored = timezone.localtime(AuditEvent.objects.get(pk=event.pk).at)
    assert (stored.hour, stored.minute, stored.second, stored.microsecond) == (0, 0, 0, 0)
    assert stored.date() == timezone.localdate()
    report = verify_chain()
    assert report.ok and report.events == 3


def test_the_scrub_leaves_only_an_opaque_key(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    request = RequestFactory().post(
        "/conduct/report/",
        REMOTE_ADDR="10.0.0.1",
        HTTP_X_FORWARDED_FOR="203.0.113.9, 10.0.0.1",
        HTTP_USER_AGENT="Probe/1.0",
        HTTP_REFERER="http://203.0.113.9/",
        HTTP_X_REAL_IP="203.0.113.9",
    )
    request.scope = {"client": ("203.0.113.9", 5555), "headers": [(b"user-agent", b"Probe/1.0")]}
    key_before = anonymity.client_key(request)
    anonymity.scrub(request)
    text = repr(request.META) + repr(request.scope)
    assert "203.0.113.9" not in text and "Probe/1.0" not in text and "10.0.0.1" not in text
    assert request.anonymous_client == key_before and len(key_before) == 32
    other = RequestFactory().get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.8")
    assert anonymity.client_key(other) != key_before


def test_daphne_access_lines_for_anonymous_pages_are_dropped():
    lines: list[str] = []
    log = without_anonymous_pages(lambda p, a, d: lines.append(d["path"]))
    log("http", "complete", {"path": "/conduct/report/"})
    log("http", "complete", {"path": "/conduct/report/receipt/"})
    log("http", "complete", {"path": "/conduct/report"})  # before the slash is appended
    log("http", "complete", {"path": "/conduct/awards/"})
    log("http", "complete", {"path": "/conduct/reports-archive/"})
    assert lines == ["/conduct/awards/", "/conduct/reports-archive/"]


def test_referrals_are_gathered_newest_first(db):
    old = referrals.Referral(1, "x.y:1", dt.date(2026, 1, 1), "old")
    new = referrals.Referral(1, "x.y:2", dt.date(2026, 5, 1), "new")

    def source(person_id: int | None) -> list[referrals.Referral]:
        return [old, new] if person_id in (None, 1) else []

    referrals.register_referral_source(source)
    try:
        found = referrals.false_accusations(1)
        assert [r.ref for r in found][:2] == ["x.y:2", "x.y:1"]
        assert all(r.person_id == 1 for r in referrals.false_accusations(1))
        assert not [r for r in referrals.false_accusations(2) if r.ref.startswith("x.y")]
    finally:
        referrals._SOURCES.remove(source)
