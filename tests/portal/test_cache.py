"""Whole public pages kept in the cache, renewed when something is published, and answered
before Django for cookie-less visitors."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from saima.portal.cache import forget_pages, generation
from saima.portal.kept import KeptPages, KeptPageStore, full_key
from tests.portal.conftest import computed


def test_a_page_is_rendered_once_then_served_from_the_cache(client, world):
    result = world.published()
    url = reverse("portal:races:board", args=[result.pk])
    first = client.get(url)
    with CaptureQueriesContext(connection) as queries:
        second = client.get(url)
    assert first["X-Saima-Cache"] == "miss" and second["X-Saima-Cache"] == "hit"
    assert second.content == first.content
    assert len(queries) == 0


def test_each_language_is_kept_apart(client, world):
    client.get(reverse("portal:front"))
    english = client.get("/en/portal/")
    assert english["X-Saima-Cache"] == "miss"
    assert '<html lang="en">' in english.content.decode()


def test_publishing_renews_the_kept_pages(client, world, django_capture_on_commit_callbacks):
    from saima.races.results import services as result_services

    world.published(2026, 1)
    front = reverse("portal:front")
    assert "2026年第2季度" not in client.get(front).content.decode()
    draft = computed(world, 2026, 2)
    assert client.get(front)["X-Saima-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        result_services.result_publish(actor=world.users["organiser"], result=draft)
    response = client.get(front)
    assert response["X-Saima-Cache"] == "miss"
    assert "2026年第2季度" in response.content.decode()


def test_a_rolled_back_publication_renews_nothing(world, django_capture_on_commit_callbacks):
    token = generation()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        pass
    assert not callbacks and generation() == token
    forget_pages()
    assert generation() != token


def test_query_strings_do_not_make_new_copies(client, world):
    result = world.published()
    url = reverse("portal:races:board", args=[result.pk])
    client.get(url)
    for junk in ("?a=1", "?group=x", "?" + "z" * 500):
        assert client.get(url + junk)["X-Saima-Cache"] == "hit", junk


def test_a_page_that_is_not_found_is_not_kept(client, world):
    draft = computed(world)
    url = reverse("portal:races:board", args=[draft.pk])
    assert client.get(url).status_code == 404
    assert client.get(url).status_code == 404


# ---------------------------------------------------------------- answered before Django


def _scope(path, headers=(), query=b"", scheme="http", method="GET"):
    return {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": query,
        "scheme": scheme,
        "headers": [(b"host", b"testserver"), *headers],
    }


def _call(app, scope):
    sent = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    # a thread of its own: Playwright's browser fixture may hold an event loop in this one
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return sent


class Inner:
    """The Django application behind: counts what reaches it."""

    def __init__(self):
        self.calls = 0

    async def __call__(self, scope, receive, send):
        self.calls += 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"from django"})


def _keep(path, language="zh-hans", secure=False):
    """What the outermost middleware does for a visitor's page (asked over HTTPS if ``secure``)."""
    response = HttpResponse(b"<p>kept</p>", headers={"Content-Security-Policy": "default-src"})
    response.saima_public_language = language
    request = RequestFactory().get(path, secure=secure)
    KeptPageStore(lambda r: response)(request)


def test_a_visitors_page_is_answered_from_the_kept_copy_with_its_headers(settings):
    settings.SECURE_SSL_REDIRECT = False
    _keep("/zh-hans/portal/")
    inner = Inner()
    sent = _call(KeptPages(inner), _scope("/zh-hans/portal/"))
    assert inner.calls == 0
    assert sent[1]["body"] == b"<p>kept</p>"
    headers = dict(sent[0]["headers"])
    assert headers[b"content-security-policy"] == b"default-src"
    assert headers[b"x-saima-cache"] == b"kept"


def test_requests_with_cookies_queries_or_other_methods_go_to_django(settings):
    settings.SECURE_SSL_REDIRECT = False
    _keep("/zh-hans/portal/")
    inner = Inner()
    app = KeptPages(inner)
    _call(app, _scope("/zh-hans/portal/", headers=[(b"cookie", b"sessionid=x")]))
    _call(app, _scope("/zh-hans/portal/", query=b"a=1"))
    _call(app, _scope("/zh-hans/portal/", method="POST"))
    _call(app, _scope("/races/"))
    _call(app, _scope("/en/portal/"))  # kept in Chinese only
    assert inner.calls == 5


def test_a_request_production_would_redirect_to_https_goes_to_django(settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    _keep("/zh-hans/portal/", secure=True)  # the copy an HTTPS visitor got
    inner = Inner()
    app = KeptPages(inner)
    _call(app, _scope("/zh-hans/portal/"))
    assert inner.calls == 1
    sent = _call(app, _scope("/zh-hans/portal/", headers=[(b"x-forwarded-proto", b"https")]))
    assert inner.calls == 1 and sent[1]["body"] == b"<p>kept</p>"


def test_a_publication_ends_the_kept_copies(settings):
    settings.SECURE_SSL_REDIRECT = False
    _keep("/zh-hans/portal/")
    inner = Inner()
    app = KeptPages(inner)
    app.GENERATION_SECONDS = 0.0  # re-read the generation on every request
    _call(app, _scope("/zh-hans/portal/"))
    assert inner.calls == 0
    forget_pages()
    _call(app, _scope("/zh-hans/portal/"))
    assert inner.calls == 1


def test_a_page_rendered_while_a_publication_commits_is_not_kept_as_the_new_copy(settings):
    # The page was read from the data before the publication; keeping it under the generation
    # the publication starts would serve the old result for an hour.
    settings.SECURE_SSL_REDIRECT = False

    def render_during_a_publication(request):
        response = HttpResponse(b"<p>before the publication</p>")
        response.saima_public_language = "zh-hans"
        forget_pages()  # the publication commits while this page is being rendered
        return response

    KeptPageStore(render_during_a_publication)(RequestFactory().get("/zh-hans/portal/"))
    assert cache.get(full_key("testserver", "/zh-hans/portal/", "zh-hans")) is None
    inner = Inner()
    _call(KeptPages(inner), _scope("/zh-hans/portal/"))
    assert inner.calls == 1


def test_only_cookie_less_successful_gets_are_kept():
    response = HttpResponse(b"x")
    response.saima_public_language = "zh-hans"
    factory = RequestFactory()
    with_cookie = factory.get("/zh-hans/portal/", HTTP_COOKIE="sessionid=x")
    KeptPageStore(lambda r: response)(with_cookie)
    assert cache.get(full_key("testserver", "/zh-hans/portal/", "zh-hans")) is None
    response.set_cookie("csrftoken", "x")
    KeptPageStore(lambda r: response)(factory.get("/zh-hans/portal/"))
    assert cache.get(full_key("testserver", "/zh-hans/portal/", "zh-hans")) is None


def test_a_signed_out_api_read_is_kept_per_negotiated_language(settings):
    settings.SECURE_SSL_REDIRECT = False
    english = HttpResponse(b'{"en": 1}', content_type="application/json")
    english["Content-Language"] = "en"
    request = RequestFactory().get("/api/v1/results", HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    KeptPageStore(lambda r: english)(request)
    inner = Inner()
    app = KeptPages(inner)
    sent = _call(app, _scope("/api/v1/results", headers=[(b"accept-language", b"en-GB,en")]))
    assert inner.calls == 0 and sent[1]["body"] == b'{"en": 1}'
    _call(app, _scope("/api/v1/results"))  # Chinese by default: not kept yet
    _call(app, _scope("/api/v1/results", headers=[(b"authorization", b"Bearer x")]))
    assert inner.calls == 2


def test_an_api_read_with_a_token_is_never_kept():
    response = HttpResponse(b"{}", content_type="application/json")
    response["Content-Language"] = "zh-hans"
    request = RequestFactory().get("/api/v1/results", HTTP_AUTHORIZATION="Bearer secret")
    KeptPageStore(lambda r: response)(request)
    assert cache.get(full_key("testserver", "/api/v1/results", "zh-hans")) is None


def test_a_failing_listener_does_not_undo_a_publication(world, django_capture_on_commit_callbacks):
    from saima.core import publications
    from saima.races.models import Result

    def broken(kind, object_id):
        raise RuntimeError("cache unreachable")

    before = publications.publication_listeners()
    publications._LISTENERS.clear()
    publications._LISTENERS.update({"test.broken": broken, **before})  # the broken one first
    try:
        token = generation()
        with django_capture_on_commit_callbacks(execute=True):
            result = world.published()
        assert Result.objects.get(pk=result.pk).published_at is not None
        assert generation() != token  # the portal's listener still ran
    finally:
        publications._LISTENERS.clear()
        publications._LISTENERS.update(before)
