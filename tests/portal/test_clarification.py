"""澄清正名 on the portal: a notice is public only while the person's consent stands, shows only
what the notice publishes, and a withdrawal ends every copy of it at once."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from saima.portal.kept import KeptPages, full_key
from saima.safeguards.clarification import services
from saima.safeguards.models import ClarificationCase, Finding
from tests.safeguards.conftest import World, build_safe_world

STATEMENT = "经核实，反映张三同志违规审批的问题系诬告陷害，予以澄清正名。"
ALLEGATION = "信访反映其违规审批、收受好处"
HOSTILE = ("=1+1", "@SUM(A1)", "<script>alert(1)</script>")


@pytest.fixture
def world(db) -> World:
    cache.clear()
    yield build_safe_world()
    cache.clear()


def _case(world: World, form: str = "notice", consent: bool = True, **extra) -> ClarificationCase:
    officer = world.users["officer"]
    case = services.case_open(
        actor=officer, person=world.people["张三"], allegation=ALLEGATION, petitions=7
    )
    case = services.case_verify(
        actor=officer, case=case, finding=Finding.FALSE_ACCUSATION, verification="查无实据"
    )
    if consent:
        services.consent_record(actor=officer, case=case, given_on=dt.date(2026, 11, 1))
    return services.case_clarify(
        actor=officer, case=case, form=form, statement=extra.get("statement", STATEMENT)
    )


def _notice(case: ClarificationCase) -> str:
    return reverse("portal:clarification:notice", args=[case.pk])


LIST = "/zh-hans/portal/clarification/"


def _everywhere(case: ClarificationCase) -> list[str]:
    """Every portal address that could show a notice, in both languages."""
    urls = [LIST, _notice(case), reverse("portal:front"), reverse("portal:archive")]
    urls += [u.replace("/zh-hans/", "/en/", 1) for u in urls]
    return [*urls, reverse("data:feed"), reverse("data:catalogue")]


# ---------------------------------------------------------------- what a notice shows


def test_a_notice_shows_its_title_text_date_and_issuing_unit_only(client, world):
    case = _case(world)
    page = client.get(_notice(case)).content.decode()
    assert "关于为张三同志澄清正名的通报" in page and STATEMENT in page
    assert "通报单位：杭州市" in page  # the officer who cleared him is of 杭州市's commission
    assert timezone.localdate(case.clarified_at).isoformat() in page  # the day in China
    for private in (ALLEGATION, "查无实据", "区长", "上城区", "诬告陷害（", "信访件数", "7 件"):
        assert private not in page, private
    listing = client.get(LIST).content.decode()
    assert "关于为张三同志澄清正名的通报" in listing and "通报单位：杭州市" in listing
    assert ALLEGATION not in listing and "区长" not in listing


@pytest.mark.parametrize("state", ["no consent", "letter", "face to face", "withdrawn"])
def test_a_notice_without_standing_consent_is_not_found_even_for_the_office(world, state):
    if state == "no consent":
        case = _case(world, form="letter", consent=False)
    elif state in ("letter", "face to face"):
        case = _case(world, form="letter" if state == "letter" else "face")
    else:
        case = _case(world)
        services.consent_withdraw(actor=world.users["cadre"], case=case)
    for who in (None, world.users["officer"], world.users["cadre"], world.users["superuser"]):
        visitor = Client()
        if who is not None:
            visitor.force_login(who)
        assert visitor.get(_notice(case)).status_code == 404
        assert "张三" not in visitor.get(LIST).content.decode()


def test_the_front_archive_and_feed_say_a_notice_exists_but_never_whose(client, world):
    case = _case(world)
    front = client.get(reverse("portal:front")).content.decode()
    assert "现有公开通报 1 篇" in front and LIST in front
    archive = client.get(reverse("portal:archive")).content.decode()
    year = case.clarified_at.year
    assert "澄清正名公开通报（1 篇）" in archive and f"{LIST}#year-{year}" in archive
    feed = client.get(reverse("data:feed")).content.decode()
    assert "澄清正名公开通报 · 杭州市" in feed and _notice(case) in feed
    for text in (front, archive, feed):
        assert "张三" not in text and STATEMENT not in text


def test_there_is_no_open_data_table_of_notices(client, world):
    _case(world)
    assert not [
        t
        for t in client.get(reverse("data:catalogue")).json()["tables"]
        if t["section"] == "clarification"
    ]
    assert "张三" not in client.get(reverse("portal:open_data")).content.decode()
    for guess in ("notices.json", "notices.csv", "1.json"):
        assert client.get(f"/data/clarification/{guess}").status_code == 404


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_in_a_notice_is_shown_as_text(client, world, hostile):
    world.people["张三"].__class__.objects.filter(pk=world.people["张三"].pk).update(name=hostile)
    case = _case(world, statement=f"{hostile}\n{STATEMENT}")
    for url in (_notice(case), LIST):
        page = client.get(url).content.decode()
        assert "<script>alert(1)</script>" not in page
        assert hostile.replace("<", "&lt;").replace(">", "&gt;") in page
    feed = client.get(reverse("data:feed")).content.decode()
    assert hostile not in feed and "alert(1)" not in feed


# ---------------------------------------------------------------- consent withdrawn


def test_withdrawing_consent_removes_the_notice_from_every_kept_page_at_once(
    client, world, django_capture_on_commit_callbacks
):
    case = _case(world)
    urls = _everywhere(case)
    for url in urls:  # every page is now kept
        assert client.get(url).status_code == 200, url
    assert client.get(_notice(case))["X-Saima-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(actor=world.users["cadre"], case=case)
    assert client.get(_notice(case)).status_code == 404
    assert client.get(_notice(case).replace("/zh-hans/", "/en/", 1)).status_code == 404
    for url in urls:
        text = client.get(url).content.decode()
        assert STATEMENT not in text and "张三" not in text, url
    front = client.get(reverse("portal:front")).content.decode()
    assert 'id="section-clarification"' not in front  # the block is gone
    assert "#section-clarification" not in front  # and its entry in the jump list
    assert _notice(case) not in client.get(reverse("data:feed")).content.decode()


def test_a_notice_page_is_never_kept_in_front_of_django_nor_by_browsers(client, world, settings):
    settings.ALLOWED_HOSTS = ["*"]
    case = _case(world)
    for url in (_notice(case), LIST):
        response = Client().get(url)  # a visitor with no cookie: what would be kept
        assert response.status_code == 200
        assert response["Cache-Control"] == "no-cache", url
        assert cache.get(full_key("testserver", url, "zh-hans")) is None, url
    # the front page, which names nobody, is kept as any portal page
    Client().get(reverse("portal:front"))
    assert cache.get(full_key("testserver", reverse("portal:front"), "zh-hans")) is not None


def test_after_a_withdrawal_the_layer_in_front_of_django_serves_no_copy(
    world, django_capture_on_commit_callbacks
):
    """The ASGI layer answers kept pages before Django: the notice must reach it never."""
    case = _case(world)
    Client().get(_notice(case))
    Client().get(LIST)
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(actor=world.users["officer"], case=case)
    answered: list[str] = []

    async def app(scope, receive, send):
        answered.append(scope["path"])

    async def send(message):
        raise AssertionError(f"answered from a kept copy: {message}")

    kept = KeptPages(app)
    for url in (_notice(case), LIST):
        scope = {"type": "http", "method": "GET", "path": url, "query_string": b""}
        scope["headers"] = [(b"host", b"testserver")]
        asyncio.run(kept(scope, None, send))
    assert answered == [_notice(case), LIST]


def test_consent_recorded_again_brings_the_notice_back_and_renews_the_pages(
    client, world, django_capture_on_commit_callbacks
):
    case = _case(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_withdraw(actor=world.users["cadre"], case=case)
    assert client.get(LIST)["X-Saima-Cache"] == "miss"
    assert client.get(LIST)["X-Saima-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.consent_record(
            actor=world.users["officer"], case=case, given_on=dt.date(2026, 11, 20)
        )
    response = client.get(LIST)
    assert response["X-Saima-Cache"] == "miss" and STATEMENT in response.content.decode()


def test_publishing_a_notice_renews_the_kept_list(
    client, world, django_capture_on_commit_callbacks
):
    assert "暂无公开通报" in client.get(LIST).content.decode()
    assert client.get(LIST)["X-Saima-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        _case(world)
    response = client.get(LIST)
    assert response["X-Saima-Cache"] == "miss" and STATEMENT in response.content.decode()


# ---------------------------------------------------------------- the old addresses


def test_the_apps_old_notice_pages_send_visitors_to_the_portal(client, world):
    case = _case(world)
    response = client.get(reverse("safeguards:notices"))
    assert response.status_code == 301 and response["Location"] == LIST
    moved = client.get(reverse("safeguards:notice", args=[case.pk]))
    assert moved.status_code == 301 and moved["Location"] == _notice(case)
    services.consent_withdraw(actor=world.users["cadre"], case=case)
    assert client.get(reverse("safeguards:notice", args=[case.pk])).status_code == 404
