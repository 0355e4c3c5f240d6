"""Public pages show only published versions (issue 7, §4): a board links a correction, or an
earlier version, only where the reader may open it."""

from __future__ import annotations

from django.urls import reverse

from saima.races.reporting import services as reporting
from saima.races.results import services as result_services


def _correct(world, result, *, publish: bool):
    organiser = world.users["organiser"]
    reporting.value_correct(
        actor=organiser,
        report=world.report(result.period, "淳安县"),
        values={"fai": 6.5},
        reason="统计局快报更正",
    )
    newer = result_services.result_compute(
        actor=organiser, period=result.period, reason="淳安县投资增速更正"
    )
    if publish:
        newer = result_services.result_publish(actor=organiser, result=newer)
    return newer


def test_a_board_does_not_link_the_public_to_an_unpublished_correction(client, world):
    first = world.published()
    second = _correct(world, first, publish=False)
    page = client.get(reverse("races:board", args=[first.pk])).content.decode()
    assert reverse("races:board", args=[second.pk]) not in page
    assert "更正正在审核中" in page
    assert client.get(reverse("races:board", args=[second.pk])).status_code == 404


def test_the_organiser_is_linked_to_the_unpublished_correction(client, world):
    first = world.published()
    second = _correct(world, first, publish=False)
    client.force_login(world.users["organiser"])
    page = client.get(reverse("races:board", args=[first.pk])).content.decode()
    assert reverse("races:board", args=[second.pk]) in page


def test_a_board_links_the_public_to_a_published_correction(client, world):
    first = world.published()
    second = _correct(world, first, publish=True)
    page = client.get(reverse("races:board", args=[first.pk])).content.decode()
    assert reverse("races:board", args=[second.pk]) in page
    assert "本结果已被第 2 版更正" in page


def test_a_published_correction_does_not_link_an_unpublished_earlier_version(client, world):
    organiser = world.users["organiser"]
    period = world.period()
    world.fill(period)
    reporting.period_close(actor=organiser, period=period)
    draft = result_services.result_compute(actor=organiser, period=period)
    reporting.value_correct(
        actor=organiser,
        report=world.report(period, "淳安县"),
        values={"fai": 6.5},
        reason="统计局快报更正",
    )
    final = result_services.result_compute(actor=organiser, period=period, reason="核对后重算")
    result_services.result_publish(actor=organiser, result=final)
    page = client.get(reverse("races:board", args=[final.pk])).content.decode()
    assert reverse("races:board", args=[draft.pk]) not in page
    assert client.get(reverse("races:board", args=[draft.pk])).status_code == 404
