"""A refused request is logged in one line naming the user once, even when the logging
configuration ran twice and the filter is installed twice (dictConfig adds filters, never
removes them)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from saima.config.logfilters import ForbiddenInOneLine


def _record():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/audit/",), None
    )
    user = SimpleNamespace(is_authenticated=True, get_username=lambda: "org_hz")
    record.status_code = 403
    record.request = SimpleNamespace(user=user)
    return record


def test_a_refusal_names_the_user_once_however_often_the_filter_runs():
    record = _record()
    for _ in range(3):
        assert ForbiddenInOneLine().filter(record)
    assert record.getMessage() == "Forbidden: /audit/ (user org_hz)"
    assert record.exc_info is None
