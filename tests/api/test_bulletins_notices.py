"""Published bulletins and clarification notices in the API: what is published, to everybody;
drafts and withdrawn notices to nobody; kept copies renewed when a notice goes."""

from __future__ import annotations

import hashlib

from saima.bulletins.models import Bulletin
from saima.portal.cache import generation
from saima.safeguards.clarification import services as clarification


def test_published_bulletins_are_listed_with_their_files_and_hashes(api, world, client):
    s = world.s
    with s.bulletin_published.pdf.open("rb") as handle:
        pdf = handle.read()
    Bulletin.objects.filter(pk=s.bulletin_published.pk).update(
        pdf_sha256=hashlib.sha256(pdf).hexdigest(), docx_sha256="b" * 64
    )
    listed = api().get("/bulletins").json()
    assert [b["id"] for b in listed["items"]] == [s.bulletin_published.pk]
    assert listed["count"] == 1
    item = listed["items"][0]
    assert item["doc_number"] == "杭发改〔2026〕1号" and item["kind"] == "annual"
    assert item["quarter"] is None and item["year"] == 2025 and item["owner"] == s.city_a.code
    assert item["period"] == "2025年度"
    assert item["pdf"]["url"] == f"http://testserver/data/bulletins/{s.bulletin_published.pk}.pdf"
    assert item["pdf"]["sha256"] == hashlib.sha256(pdf).hexdigest()
    assert item["docx"]["sha256"] == "b" * 64
    download = client.get(item["pdf"]["url"])
    assert (
        hashlib.sha256(b"".join(download.streaming_content)).hexdigest() == (item["pdf"]["sha256"])
    )
    one = api().get(f"/bulletins/{s.bulletin_published.pk}").json()
    assert one == item


def test_a_draft_bulletin_is_in_nobodys_api(api, world):
    s = world.s
    for who in (None, "organiser", "observer"):
        ids = {b["id"] for b in api(who).get("/bulletins").json()["items"]}
        assert s.bulletin_draft.pk not in ids
        assert api(who).get(f"/bulletins/{s.bulletin_draft.pk}").status_code == 404


def test_bulletins_filter_by_owner_kind_and_year_and_refuse_odd_values(api, world):
    s = world.s
    pk = s.bulletin_published.pk

    def ids(**params):
        response = api().get("/bulletins", **params)
        assert response.status_code == 200, response.content
        return [b["id"] for b in response.json()["items"]]

    assert ids(owner=s.city_a.code, kind="annual", year=2025) == [pk]
    assert ids(kind="quarterly") == [] and ids(year=2026) == []
    assert ids(owner=s.city_b.code) == [] and ids(owner="no-such") == []
    nul = api().get("/bulletins", owner="a\x00b")  # refused before the view (PostgreSQL: 500)
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "owner"
    assert api().get("/bulletins", kind="monthly").status_code == 422
    assert api().get("/bulletins", year=99999).status_code == 422
    assert api().get(f"/bulletins/{2**64}").status_code in (404, 422)
    assert api().get("/bulletins/0").status_code == 422


def test_only_consented_notices_are_read_and_never_the_allegation(api, world):
    sg = world.s.safeguards
    listed = api().get("/clarification-notices").json()["items"]
    assert [n["id"] for n in listed] == [sg.public.pk]
    notice = listed[0]
    assert notice["person"] == "张三" and notice["position"] == "区长"
    assert notice["unit"] == world.s.unit_a.code and notice["finding"] == "false_accusation"
    assert notice["statement"] == "通报"
    assert "allegation" not in notice and "反映其违规" not in str(notice)
    assert api().get(f"/clarification-notices/{sg.public.pk}").json() == notice
    for hidden in (sg.verified, sg.opened, sg.substantiated):
        assert api("observer").get(f"/clarification-notices/{hidden.pk}").status_code == 404


def test_notices_filter_by_unit_subtree_and_year(api, world):
    s = world.s
    pk = s.safeguards.public.pk

    def ids(**params):
        response = api().get("/clarification-notices", **params)
        assert response.status_code == 200, response.content
        return [n["id"] for n in response.json()["items"]]

    year = s.safeguards.public.clarified_at.year
    assert ids(unit=s.city_a.code) == [pk] and ids(unit=s.unit_a.code) == [pk]
    assert ids(unit=s.city_b.code) == [] and ids(unit="no-such") == []
    nul = api().get("/clarification-notices", unit="\x00")  # refused before the view
    assert nul.status_code == 422 and nul.json()["errors"][0]["field"] == "unit"
    assert ids(year=year) == [pk] and ids(year=year - 1) == []


def test_a_withdrawn_consent_takes_the_notice_out_and_renews_kept_copies(
    api, world, django_capture_on_commit_callbacks
):
    s = world.s
    case = s.safeguards.public
    assert api().get(f"/clarification-notices/{case.pk}").status_code == 200
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        clarification.consent_withdraw(actor=s.users["discipline_a"], case=case)
    assert generation() != before  # signed-out API reads and portal pages kept are stale
    assert api().get(f"/clarification-notices/{case.pk}").status_code == 404
    assert api().get("/clarification-notices").json()["items"] == []
    again = generation()
    with django_capture_on_commit_callbacks(execute=True):
        clarification.consent_record(
            actor=s.users["discipline_a"], case=case, given_on=case.clarified_at.date()
        )
    assert generation() != again
    assert api().get(f"/clarification-notices/{case.pk}").status_code == 200


def test_a_notice_clarified_in_public_renews_kept_copies(world, django_capture_on_commit_callbacks):
    s = world.s
    officer = s.users["discipline_a"]
    case = s.safeguards.verified
    clarification.consent_record(actor=officer, case=case, given_on=case.verified_at.date())
    before = generation()
    with django_capture_on_commit_callbacks(execute=True):
        clarification.case_clarify(actor=officer, case=case, form="notice", statement="澄清")
    assert generation() != before
