"""A page asked for in English leaves English active in the test's thread (LocaleMiddleware
activates the reader's language and nothing deactivates it after the test client's request);
the autouse reset in tests/conftest.py gives the next test the default language back, so a
message matched in Chinese does not depend on which tests ran before it. The two tests run in
this order: the first leaves English behind, the second must not see it."""

from __future__ import annotations

from django.conf import settings
from django.utils import translation


def test_a_page_in_english_leaves_english_active(client, db):
    client.get("/", headers={"accept-language": "en"})
    assert translation.get_language() == "en"


def test_the_next_test_starts_in_the_default_language(db):
    assert translation.get_language() == settings.LANGUAGE_CODE
