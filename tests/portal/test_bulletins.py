"""通报与表彰 on the portal: the latest published bulletin and commendation on the front page,
every published one in the archive, the feed and the open-data index, the final files for
everyone, and nothing of a draft."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import shutil

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from saima.bulletins import services
from saima.bulletins.models import Bulletin, BulletinStatus
from saima.portal.sections import SECTIONS

PDF_BYTES = b"%PDF-1.4 final bulletin"
DOCX_BYTES = b"PK final bulletin"


def _bulletin(world, *, published: bool = True, kind="quarterly", year=2026, quarter=1, **extra):
    """A bulletin stored directly (rendering real documents is tested in tests/bulletins)."""
    values = {
        "owner": world.city_a,
        "kind": kind,
        "year": year,
        "quarter": quarter if kind == "quarterly" else None,
        "issuer": "杭州市发展和改革委员会",
        "doc_number": f"杭发改〔{year}〕{quarter if kind == 'quarterly' else 9}号",
        "title": f"关于{year}年第{quarter}季度的通报"
        if kind == "quarterly"
        else f"关于{year}年度的表彰",
        "issue_date": dt.date(year, 4, 10),
        "created_by": world.users["organiser"],
        "status": BulletinStatus.PUBLISHED if published else BulletinStatus.READY,
        "published_at": timezone.now() if published else None,
        **extra,
    }
    bulletin = Bulletin(**values)
    if published:
        bulletin.pdf.save("b.pdf", ContentFile(PDF_BYTES), save=False)
        bulletin.docx.save("b.docx", ContentFile(DOCX_BYTES), save=False)
        bulletin.pdf_sha256 = hashlib.sha256(PDF_BYTES).hexdigest()
        bulletin.docx_sha256 = hashlib.sha256(DOCX_BYTES).hexdigest()
    bulletin.save()
    return bulletin


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_section_is_the_last_on_the_front_page():
    assert SECTIONS[-1].code == "bulletins"


def test_the_front_page_shows_the_latest_bulletin_and_commendation_with_their_hashes(client, world):
    _bulletin(world, quarter=1, title="第一季度通报")
    latest = _bulletin(world, quarter=2, title="第二季度通报")
    annual = _bulletin(world, kind="annual", year=2025, title="年度表彰通报")
    _bulletin(world, quarter=3, published=False, title="第三季度草稿")
    page = _page(client, reverse("portal:front"))
    block = page[page.index('id="section-bulletins"') :]
    assert "第二季度通报" in block and "年度表彰通报" in block
    assert "第一季度通报" not in block and "第三季度草稿" not in page
    for bulletin in (latest, annual):
        assert reverse("data:bulletins:file", args=[bulletin.pk, "pdf"]) in block
        assert reverse("data:bulletins:file", args=[bulletin.pk, "docx"]) in block
    assert latest.pdf_sha256 in block and latest.docx_sha256 in block


def test_nothing_published_adds_no_block(client, world):
    _bulletin(world, published=False)
    assert 'id="section-bulletins"' not in _page(client, reverse("portal:front"))


def test_the_archive_lists_published_bulletins_by_year_and_never_a_draft(client, world):
    q1 = _bulletin(world, quarter=1, title="第一季度通报")
    annual = _bulletin(world, kind="annual", year=2025, title="二〇二五年度表彰")
    draft = _bulletin(world, quarter=2, published=False, title="第二季度草稿")
    page = _page(client, reverse("portal:archive"))
    assert reverse("portal:bulletins:bulletin", args=[q1.pk]) in page
    assert reverse("portal:bulletins:bulletin", args=[annual.pk]) in page
    assert "第一季度通报" in page and q1.doc_number in page
    assert "第二季度草稿" not in page
    assert reverse("portal:bulletins:bulletin", args=[draft.pk]) not in page
    assert page.index("2026 年") < page.index("第一季度通报") < page.index("2025 年")
    assert page.index("2025 年") < page.index("二〇二五年度表彰")


def test_the_section_page_lists_every_published_one_with_its_files(client, world):
    q1 = _bulletin(world, quarter=1, title="第一季度通报")
    q2 = _bulletin(world, quarter=2, title="第二季度通报")
    _bulletin(world, quarter=3, published=False, title="第三季度草稿")
    page = _page(client, reverse("portal:bulletins:index"))
    assert page.index("第二季度通报") < page.index("第一季度通报")
    assert "第三季度草稿" not in page
    for b in (q1, q2):
        assert reverse("data:bulletins:file", args=[b.pk, "docx"]) in page


def test_the_feed_announces_a_published_bulletin_and_not_a_draft(client, world):
    published = _bulletin(world, title="第一季度通报")
    _bulletin(world, quarter=2, published=False, title="第二季度草稿")
    feed = client.get(reverse("data:feed")).content.decode()
    assert "第一季度通报" in feed and "第二季度草稿" not in feed
    assert f"bulletins.bulletin.{published.pk}" in feed
    assert published.pdf_sha256 in feed


def test_the_feed_names_the_period_and_the_kind_once_each(client, world):
    _bulletin(world, kind="annual", year=2025, title="年度表彰")
    _bulletin(world, quarter=3, title="三季度通报")
    feed = client.get(reverse("data:feed")).content.decode()
    assert "2025年度 · 年度表彰" in feed and "年度年度" not in feed
    assert "2026年第3季度 · 季度通报" in feed


def test_a_draft_is_not_found_on_the_portal_even_for_its_organiser(client, world):
    draft = _bulletin(world, published=False)
    draft.pdf.save("d.pdf", ContentFile(b"%PDF draft"), save=True)
    draft.docx.save("d.docx", ContentFile(b"PK draft"), save=True)
    urls = [
        reverse("portal:bulletins:bulletin", args=[draft.pk]),
        reverse("data:bulletins:file", args=[draft.pk, "pdf"]),
        reverse("data:bulletins:file", args=[draft.pk, "docx"]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    client.force_login(world.users["organiser"])
    for url in urls:
        assert client.get(url).status_code == 404, url


def test_the_final_files_download_without_login_and_hash_as_published(client, world):
    bulletin = _bulletin(world)
    for fmt, body, sha in (
        ("pdf", PDF_BYTES, bulletin.pdf_sha256),
        ("docx", DOCX_BYTES, bulletin.docx_sha256),
    ):
        response = client.get(reverse("data:bulletins:file", args=[bulletin.pk, fmt]))
        assert response.status_code == 200
        data = b"".join(response.streaming_content)
        assert data == body and hashlib.sha256(data).hexdigest() == sha
        assert "attachment" in response["Content-Disposition"]
        assert "public" in response["Cache-Control"]
        assert not response.cookies
    # and the app's own download is public too, once published
    assert client.get(reverse("bulletins:download", args=[bulletin.pk, "pdf"])).status_code == 200


@pytest.mark.parametrize("fmt", ["exe", "PDF", "pdf.", "..%2f", "pdf%00"])
def test_odd_file_formats_are_not_found(client, world, fmt):
    bulletin = _bulletin(world)
    assert client.get(f"/data/bulletins/{bulletin.pk}.{fmt}").status_code == 404
    assert client.get(f"/data/bulletins/{bulletin.pk}.json").status_code == 404
    assert client.get(f"/data/bulletins/index.{fmt}").status_code == 404
    assert client.get("/data/bulletins/index.pdf").status_code == 404


def test_huge_or_unknown_ids_are_not_found(client, world):
    assert client.get(f"/data/bulletins/{2**70}.pdf").status_code == 404
    assert client.get(f"/zh-hans/portal/bulletins/{2**70}/").status_code == 404
    assert client.get("/zh-hans/portal/bulletins/999999/").status_code == 404


def test_the_bulletin_page_shows_its_text_and_escapes_what_it_quotes(client, world):
    bulletin = _bulletin(world, title="<script>alert(1)</script>通报")
    page = _page(client, reverse("portal:bulletins:bulletin", args=[bulletin.pk]))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    assert bulletin.pdf_sha256 in page and bulletin.doc_number in page


def test_the_index_as_json_keeps_numbers_as_numbers_and_absolute_file_addresses(client, world):
    q1 = _bulletin(world)
    _bulletin(world, quarter=2, published=False)
    annual = _bulletin(world, kind="annual", year=2025)
    response = client.get(reverse("data:bulletins:index", args=["json"]), HTTP_ACCEPT_LANGUAGE="en")
    document = json.loads(response.content)
    assert document["schema"] == "saima.bulletins.index/1"
    rows = {row["id"]: row for row in document["rows"]}
    assert set(rows) == {q1.pk, annual.pk}
    row = rows[q1.pk]
    assert row["year"] == 2026 and row["quarter"] == 1 and rows[annual.pk]["quarter"] is None
    assert row["kind"] == "quarterly" and row["kind_name"] == "季度通报"  # default language
    assert row["doc_number"] == q1.doc_number and row["period"] == "2026年第1季度"
    assert row["pdf_sha256"] == q1.pdf_sha256 and row["docx_sha256"] == q1.docx_sha256
    assert row["pdf_url"] == "http://testserver" + reverse(
        "data:bulletins:file", args=[q1.pk, "pdf"]
    )
    assert client.get(row["pdf_url"]).status_code == 200
    assert document["columns"] == list(row)


def test_the_index_as_csv_neutralises_formulas(client, world):
    _bulletin(world, title='=HYPERLINK("http://evil","点我")')
    response = client.get(reverse("data:bulletins:index", args=["csv"]))
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    header = rows[0]
    titles = [r[header.index("标题")] for r in rows[1:] if len(r) == len(header)]
    assert titles and not titles[0].startswith("=")


def test_the_catalogue_and_open_data_page_list_the_index(client, world):
    _bulletin(world)
    catalogue = json.loads(client.get(reverse("data:catalogue")).content)
    mine = [t for t in catalogue["tables"] if t["section"] == "bulletins"]
    assert [t["json"] for t in mine] == [
        "http://testserver" + reverse("data:bulletins:index", args=["json"])
    ]
    assert reverse("data:bulletins:index", args=["csv"]) in _page(
        client, reverse("portal:open_data")
    )


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="renders a real bulletin")
def test_publishing_renews_the_kept_front_page_and_archive(
    client, world, django_capture_on_commit_callbacks
):
    world.published(2026, 1)
    organiser = world.users["organiser"]
    bulletin = services.bulletin_create(
        actor=organiser,
        owner=world.city_a,
        kind="quarterly",
        year=2026,
        quarter=1,
        issuer="杭州市发展和改革委员会",
        doc_number="杭发改〔2026〕77号",
        title="关于第一季度赛马结果的通报（门户测试）",
    )
    services.bulletin_generate(actor=organiser, bulletin=bulletin)
    services.run_generation(bulletin.pk, organiser)
    bulletin.refresh_from_db()
    front, archive = reverse("portal:front"), reverse("portal:archive")
    assert "门户测试" not in client.get(front).content.decode()
    assert "门户测试" not in client.get(archive).content.decode()
    assert client.get(front)["X-Saima-Cache"] == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.bulletin_publish(actor=organiser, bulletin=bulletin)
    response = client.get(front)
    assert response["X-Saima-Cache"] == "miss"
    bulletin.refresh_from_db()
    assert "门户测试" in response.content.decode()
    assert bulletin.pdf_sha256 in response.content.decode()
    assert "门户测试" in client.get(archive).content.decode()
    pdf = client.get(reverse("data:bulletins:file", args=[bulletin.pk, "pdf"]))
    assert hashlib.sha256(b"".join(pdf.streaming_content)).hexdigest() == bulletin.pdf_sha256


def test_a_published_file_gone_from_storage_answers_404_not_500(client, world):
    bulletin = _bulletin(world)
    bulletin.pdf.storage.delete(bulletin.pdf.name)
    assert client.get(reverse("data:bulletins:file", args=[bulletin.pk, "pdf"])).status_code == 404
    assert client.get(reverse("data:bulletins:file", args=[bulletin.pk, "docx"])).status_code == 200
