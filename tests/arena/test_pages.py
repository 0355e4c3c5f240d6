"""The organiser's pages end to end: forms refuse other units' ids, the QR sheet, pledges
followed up, exports neutralised, the record section, English."""

from __future__ import annotations

from django.urls import reverse

from saima.arena.models import Contest, Contestant, Criterion, JudgeLink, JudgeSeat, PledgeItem
from saima.arena.records import contest_entries
from saima.core.records import record_of
from saima.core.verification import registered_verifiers
from saima.org.models import Person, UnitLevel
from tests.arena.world import refresh
from tests.factories import make_unit


def _as(client, user):
    client.force_login(user)
    return client


def test_create_a_contest_in_ones_own_scope_only(world, client):
    _as(client, world.organiser)
    data = {
        "title": "新擂台",
        "date": "2027-01-05",
        "level": "city",
        "method": "mean",
        "trim": 1,
        "min_kept": 3,
        "outlier_below": 0,
        "slot_minutes": 8,
        "order_mode": "draw",
    }
    foreign = world.users["organiser_b"].grants.get().unit
    response = client.post(reverse("arena:contest_new"), {**data, "owner": foreign.pk})
    assert response.status_code == 200 and "owner" in response.context["form"].errors
    assert not Contest.objects.filter(title="新擂台").exists()
    own = world.draft.owner
    response = client.post(reverse("arena:contest_new"), {**data, "owner": own.pk})
    contest = Contest.objects.get(title="新擂台")
    assert response.url == reverse("arena:contest", args=[contest.pk])
    assert contest.created_by == world.organiser and contest.method == "mean"


def test_setup_forms_refuse_objects_of_other_units_and_contests(world, client):
    _as(client, world.organiser)
    draft = world.draft
    elsewhere = make_unit(
        "丽水市财政局", UnitLevel.DEPARTMENT, world.users["organiser_b"].grants.get().unit
    )
    url = reverse("arena:part_add", args=[draft.pk, "contestant"])
    response = client.post(url, {"contestant-unit": elsewhere.pk, "contestant-topic": "x"})
    assert "unit" in response.context["form"].errors
    other_panel = world.running.panels.first()
    url = reverse("arena:part_add", args=[draft.pk, "seat"])
    response = client.post(
        url,
        {
            "seat-name": "王五",
            "seat-unit": draft.owner.pk,
            "seat-panel": other_panel.pk,
            "seat-position": 0,
        },
    )
    assert "panel" in response.context["form"].errors
    assert not JudgeSeat.objects.filter(name="王五").exists()
    # an object of another contest is not found through this contest's URL
    foreign = world.running.criteria.first()
    edit = reverse("arena:part_edit", args=[draft.pk, "criterion", foreign.pk])
    assert client.get(edit).status_code == 404


def test_add_a_criterion_and_fix_the_order(world, client):
    _as(client, world.organiser)
    draft = world.draft
    client.post(
        reverse("arena:part_add", args=[draft.pk, "criterion"]),
        {
            "criterion-name": "群众满意",
            "criterion-code": "people",
            "criterion-maximum": "10",
            "criterion-weight": "10",
            "criterion-position": "3",
        },
    )
    assert Criterion.objects.filter(contest=draft, code="people").exists()
    ids = list(draft.contestants.order_by("pk").values_list("pk", flat=True))
    client.post(
        reverse("arena:order_fix", args=[draft.pk]),
        {f"pos-{pk}": str(len(ids) - i) for i, pk in enumerate(ids)},
    )
    assert list(draft.contestants.order_by("position").values_list("pk", flat=True)) == ids[::-1]
    response = client.post(
        reverse("arena:order_fix", args=[draft.pk]), {f"pos-{pk}": "1" for pk in ids}, follow=True
    )
    assert "顺序须不同" in response.content.decode()


def test_the_qr_sheet_issues_new_links_for_everyone(world, client):
    _as(client, world.organiser)
    old = set(JudgeLink.objects.filter(seat__contest=world.running, revoked_at__isnull=True))
    response = client.post(reverse("arena:qr_sheet", args=[world.running.pk]))
    assert response["Content-Type"] == "application/pdf" and response.content.startswith(b"%PDF")
    assert "filename" in response["Content-Disposition"]
    live = JudgeLink.objects.filter(seat__contest=world.running, revoked_at__isnull=True)
    assert live.count() == world.running.seats.count() and not (set(live) & old)
    assert client.get(reverse("arena:judge", args=[world.tokens["县长"]])).status_code == 410


def test_issuing_one_link_shows_it_once(world, client):
    _as(client, world.organiser)
    seat = world.seats["县长"]
    response = client.post(reverse("arena:link_issue", args=[world.running.pk, seat.pk]))
    html = response.content.decode()
    assert "<svg" in html and "/arena/j/" in html and response["Referrer-Policy"] == "no-referrer"
    token = html.split("/arena/j/")[1].split("/")[0]
    client.logout()
    assert client.get(reverse("arena:judge", args=[token])).status_code == 200
    _as(client, world.organiser)
    assert (
        token not in client.get(reverse("arena:judges", args=[world.running.pk])).content.decode()
    )


def test_pledges_followed_up_on_the_next_contest(world, client):
    _as(client, world.organiser)
    entry = world.released.contestants.get(unit=world.departments["商务局"])
    pledge = entry.pledges.get()
    client.post(
        reverse("arena:pledge_deliver", args=[pledge.pk]),
        {"delivered": "2", "note": "一个项目顺延"},
    )
    assert refresh(pledge).delivered == 2
    html = client.get(reverse("arena:contest", args=[world.running.pk])).content.decode()
    assert "军令状对账" in html and "一个项目顺延" in html and "未兑现" in html
    now = world.running.contestants.get(unit=world.departments["商务局"])
    html = client.get(reverse("arena:contestant", args=[world.running.pk, now.pk])).content.decode()
    assert "上一期军令状兑现情况" in html
    bad = client.post(reverse("arena:pledge_deliver", args=[pledge.pk]), {"delivered": "abc"})
    assert bad.status_code == 302 and refresh(pledge).delivered == 2


def test_pledge_items_are_added_on_the_contestant_page(world, client):
    _as(client, world.organiser)
    entry = world.running.current
    client.post(
        reverse("arena:contestant", args=[world.running.pk, entry.pk]),
        {
            "pledge-item": "亿元项目开工",
            "pledge-target": "3",
            "pledge-measure": "个",
            "pledge-due": "2027-03-31",
        },
    )
    assert PledgeItem.objects.filter(contestant=entry, item="亿元项目开工").exists()
    _as(client, world.users["viewer"])
    denied = client.post(
        reverse("arena:contestant", args=[world.running.pk, entry.pk]),
        {"pledge-item": "x", "pledge-target": "1"},
    )
    assert denied.status_code == 403


def test_exports_neutralise_formulas(world, client):
    entry = world.released.contestants.get(unit=world.departments["住建局"])
    Person.objects.filter(pk=entry.person_id).update(name='=HYPERLINK("http://x")')
    _as(client, world.organiser)
    body = client.get(reverse("arena:results", args=[world.released.pk]) + "?format=csv").content
    text = body.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "\n=HYPERLINK" not in text and ",=HYPERLINK" not in text


def test_the_record_section_lists_presentations_with_rank_after_reveal(world):
    person = world.presenter.person
    entries = contest_entries(person)
    by_contest = {e.title.split("：")[0]: e for e in entries}
    released = by_contest[world.released.title]
    entry = Contestant.objects.get(contest=world.released, person=person)
    assert (
        f"第 {entry.rank} 名" in released.outcome and released.ref == f"arena.contestant:{entry.pk}"
    )
    assert by_contest[world.running.title].outcome == "尚未揭晓"
    assert any(s.key == "arena.contests" and s.entries for s in record_of(person))


def test_the_verifier_is_registered():
    assert "arena.results" in registered_verifiers()


def test_pages_in_english(world, client):
    _as(client, world.organiser)
    client.cookies["django_language"] = "en"
    html = client.get(
        reverse("arena:contest", args=[world.running.pk]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Contestants and order" in html and "Next step" in html
    state = client.get(
        reverse("arena:judge", args=[world.tokens["县长"]]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "Connected" in state.content.decode()
