"""Shared fixtures: a small province with one user per role."""

from __future__ import annotations

import os
from dataclasses import dataclass

import pytest
from hypothesis import settings as hypothesis_settings

# CI runs the same examples every time (a red build is reproducible, a green one is not luck);
# a developer's runs explore new ones and keep failures in .hypothesis/ for replay.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


@dataclass
class SmallProvince:
    province: object
    city_a: object
    city_b: object
    county_a1: object
    county_a2: object
    county_b1: object
    town_a1: object
    users: dict[str, object]


@pytest.fixture
def small_province(db) -> SmallProvince:
    from tests.factories import build_small_province

    return SmallProvince(**build_small_province())


@pytest.fixture(autouse=True)
def _language_back_to_the_default():
    """A page asked for in English leaves English active in the thread; the next test expects
    the default language again (messages are matched in Chinese)."""
    yield
    from django.conf import settings
    from django.utils import translation

    if settings.configured:
        translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fast_password_hashing(request):
    """PBKDF2's deliberate slowness is for production, not for a test suite."""
    if not request.config.pluginmanager.hasplugin("django"):
        return  # engine tests may run with -p no:django
    settings = request.getfixturevalue("settings")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language(request):
    """Each test starts in the default language: a request in English (a cookie, a header) leaves
    English active in the thread, and a later test's Chinese messages would come out in English."""
    if not request.config.pluginmanager.hasplugin("django"):
        yield
        return
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache(request):
    """Each test starts with an empty cache: pages kept by the portal (saima.portal.cache) belong
    to the previous test's database, and its publications' on_commit renewals never ran."""
    if not request.config.pluginmanager.hasplugin("django"):
        return
    from django.core.cache import cache

    cache.clear()
