"""Quarterly bulletins and annual commendations: content from published results, the official
document as PDF and DOCX, background generation, publishing, permissions, tampering."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from django.urls import reverse
from docx import Document

from saima.bulletins import services
from saima.bulletins.content import Content
from saima.bulletins.models import Bulletin, BulletinStatus
from saima.bulletins.verification import published_files_problems
from saima.core.models import AuditEvent
from saima.races.models import ResultRow
from tests.races.conftest import world  # noqa: F401  (the fixture)

pytestmark = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")


def _draft(world, *, kind="quarterly", year=2026, quarter=1, **extra):  # noqa: F811
    return services.bulletin_create(
        actor=world.users["organiser"],
        owner=world.city_a,
        kind=kind,
        year=year,
        quarter=quarter,
        issuer="杭州市发展和改革委员会",
        doc_number=extra.pop("doc_number", "杭发改〔2026〕7号"),
        addressees="各区、县（市）发展改革局",
        lead="现将评价结果通报如下。",
        closing="希望各地对标先进、奋起直追。",
        **extra,
    )


def _generate(world, bulletin):  # noqa: F811
    """Queue the generation, then run the task's body (a test's on_commit never fires)."""
    services.bulletin_generate(actor=world.users["organiser"], bulletin=bulletin)
    services.run_generation(bulletin.pk, world.users["organiser"])
    bulletin.refresh_from_db()


def _generated(world, **kwargs):  # noqa: F811
    bulletin = _draft(world, **kwargs)
    _generate(world, bulletin)
    assert bulletin.status == BulletinStatus.READY, bulletin.error
    return bulletin


def _pdf_text(field) -> str:
    with field.open("rb") as handle:
        data = handle.read()
    done = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    )
    return done.stdout.decode("utf-8")


def test_the_pdf_carries_the_headings_and_the_units_in_rank_order(world):  # noqa: F811
    result = world.published()
    bulletin = _generated(world)
    version = bulletin.versions.get()
    text = _pdf_text(version.pdf)
    content = Content.from_json(version.content)
    assert content.headings() == ["一、杭州市县区赛马"]
    compact = text.replace(" ", "")
    for heading in (
        "杭州市发展和改革委员会文件",
        "杭发改〔2026〕7号",
        "一、杭州市县区赛马",
        "杭州县区排名",
    ):
        assert heading in compact, heading
    ranked = list(
        ResultRow.objects.filter(result=result)
        .order_by("rank")
        .values_list("unit__name", flat=True)
    )
    table = compact[compact.index("杭州县区排名") :]
    positions = [table.index(name) for name in ranked]
    assert positions == sorted(positions), (ranked, positions)


def test_the_docx_opens_with_the_same_headings_and_table(world):  # noqa: F811
    world.published()
    bulletin = _generated(world)
    version = bulletin.versions.get()
    with version.docx.open("rb") as handle:
        document = Document(io.BytesIO(handle.read()))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == Content.from_json(version.content).headings()
    assert any(p.text == bulletin.title for p in document.paragraphs)
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["名次", "地区", "综合得分", "名次变化", "榜单"]
    assert len(document.inline_shapes) == 1  # the chart, as a picture


def test_publishing_renders_the_final_files_without_the_draft_mark_and_audits_their_hashes(
    world,  # noqa: F811
):
    world.published()
    bulletin = _generated(world)
    assert "草" in _pdf_text(bulletin.versions.get().pdf)
    services.bulletin_publish(actor=world.users["organiser"], bulletin=bulletin)
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.PUBLISHED
    assert "草" not in _pdf_text(bulletin.pdf)
    event = AuditEvent.objects.get(action="bulletins.publish")
    assert event.after["pdf_sha256"] == bulletin.pdf_sha256
    assert event.after["docx_sha256"] == bulletin.docx_sha256
    assert published_files_problems() == []


def test_a_published_file_swapped_on_disk_is_named_by_verify(world):  # noqa: F811
    world.published()
    bulletin = _generated(world)
    services.bulletin_publish(actor=world.users["organiser"], bulletin=bulletin)
    bulletin.refresh_from_db()
    with open(bulletin.pdf.path, "ab") as handle:
        handle.write(b"%tampered")
    problems = published_files_problems()
    assert len(problems) == 1 and "pdf file does not match" in problems[0]


def test_a_published_bulletin_is_frozen(world):  # noqa: F811
    world.published()
    bulletin = _generated(world)
    services.bulletin_publish(actor=world.users["organiser"], bulletin=bulletin)
    organiser = world.users["organiser"]
    with pytest.raises(services.BulletinError, match="已发布"):
        services.bulletin_edit(actor=organiser, bulletin=bulletin, title="改标题")
    with pytest.raises(services.BulletinError, match="已发布"):
        services.bulletin_generate(actor=organiser, bulletin=bulletin)
    with pytest.raises(services.BulletinError, match="已发布"):
        services.bulletin_publish(actor=organiser, bulletin=bulletin)


def test_publishing_needs_a_generated_version(world):  # noqa: F811
    bulletin = _draft(world)
    with pytest.raises(services.BulletinError, match="请先生成"):
        services.bulletin_publish(actor=world.users["organiser"], bulletin=bulletin)


def test_a_second_draft_for_the_same_quarter_is_refused_naming_the_unit(world):  # noqa: F811
    _draft(world)
    with pytest.raises(services.BulletinError, match="杭州市 的这一期通报已经存在"):
        _draft(world, doc_number="杭发改〔2026〕8号")


def test_a_quarterly_draft_needs_its_quarter(world):  # noqa: F811
    with pytest.raises(services.BulletinError, match="1–4 季度"):
        _draft(world, quarter=None)


def test_editing_regenerates_as_a_new_version_and_keeps_the_old(world):  # noqa: F811
    world.published()
    bulletin = _generated(world)
    services.bulletin_edit(actor=world.users["organiser"], bulletin=bulletin, title="新标题")
    _generate(world, bulletin)
    assert list(bulletin.versions.values_list("number", flat=True)) == [2, 1]
    assert bulletin.versions.get(number=2).header["title"] == "新标题"
    assert bulletin.versions.get(number=1).header["title"] != "新标题"


def test_a_quarter_without_published_results_gives_a_document_without_sections(world):  # noqa: F811
    world.published()  # 2026 Q1
    bulletin = _generated(world, quarter=2)
    version = bulletin.versions.get()
    assert Content.from_json(version.content).sections == []
    assert "现将评价结果通报如下" in _pdf_text(version.pdf).replace(" ", "")


def test_the_annual_commendation_counts_the_quarters_on_the_list(world):  # noqa: F811
    world.published(number=1)
    world.published(number=2)
    bulletin = _generated(world, kind="annual", quarter=None, doc_number="杭发改〔2027〕1号")
    content = Content.from_json(bulletin.versions.get().content)
    table = content.sections[0].blocks[1].table
    assert table is not None and table.headers == ["地区", "上榜次数", "上榜期次"]
    assert table.rows[0][1] == "2" and table.rows[0][2] == "2026Q1、2026Q2"


def test_a_failed_generation_is_shown_and_stores_no_version(world, monkeypatch):  # noqa: F811
    world.published()

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("saima.bulletins.generation.render_pdf", broken)
    bulletin = _draft(world)
    _generate(world, bulletin)
    assert bulletin.status == BulletinStatus.FAILED
    assert "disk full" in bulletin.error
    assert not bulletin.versions.exists()


def test_a_stalled_generation_may_be_restarted(world):  # noqa: F811
    import datetime as dt

    from django.utils import timezone

    bulletin = _draft(world)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        status=BulletinStatus.GENERATING, touched_at=timezone.now() - dt.timedelta(minutes=5)
    )
    bulletin.refresh_from_db()
    with pytest.raises(services.BulletinError, match="正在生成"):
        services.bulletin_generate(actor=world.users["organiser"], bulletin=bulletin)
    Bulletin.objects.filter(pk=bulletin.pk).update(
        touched_at=timezone.now() - dt.timedelta(minutes=11)
    )
    bulletin.refresh_from_db()
    assert bulletin.stalled
    _generate(world, bulletin)
    assert bulletin.status == BulletinStatus.READY


def test_drafts_are_hidden_from_the_public_and_other_units(client, world):  # noqa: F811
    world.published()
    bulletin = _generated(world)
    detail = reverse("bulletins:detail", args=[bulletin.pk])
    assert client.get(detail).status_code == 404
    assert bulletin.title not in client.get(reverse("bulletins:index")).content.decode()
    client.force_login(world.users["organiser_other"])
    assert client.get(detail).status_code == 404
    assert client.post(reverse("bulletins:publish", args=[bulletin.pk])).status_code == 404
    bulletin.refresh_from_db()
    assert bulletin.status == BulletinStatus.READY


def test_the_public_reads_and_downloads_a_published_bulletin(client, world):  # noqa: F811
    world.published()
    bulletin = _generated(world)
    services.bulletin_publish(actor=world.users["organiser"], bulletin=bulletin)
    page = client.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert "一、杭州市县区赛马" in page and "上城区" in page
    response = client.get(reverse("bulletins:download", args=[bulletin.pk, "pdf"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "filename*=" in response["Content-Disposition"]
    assert client.get(reverse("bulletins:download", args=[bulletin.pk, "exe"])).status_code == 404


def test_the_organiser_follows_the_progress_page(
    client,
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    world.published()
    bulletin = _draft(world)
    client.force_login(world.users["organiser"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("bulletins:generate", args=[bulletin.pk]))
    page = client.get(reverse("bulletins:detail", args=[bulletin.pk])).content.decode()
    assert "待发布" in page  # the immediate backend ran the task once the request committed
    assert "第 1 版" in page and "一、杭州市县区赛马" in page
    partial = client.get(reverse("bulletins:detail", args=[bulletin.pk]), HTTP_HX_REQUEST="true")
    assert 'id="bulletin-progress"' in partial.content.decode()


def test_the_new_form_names_a_missing_quarter_and_offers_only_own_units(client, world):  # noqa: F811
    client.force_login(world.users["organiser"])
    url = reverse("bulletins:new")
    response = client.post(
        url,
        {
            "owner": world.city_b.pk,
            "kind": "quarterly",
            "year": 2026,
            "issuer": "x",
            "doc_number": "y",
            "issue_date": "2026-04-01",
        },
    )
    form = response.context["form"]
    assert "owner" in form.errors and "quarter" in form.errors
    assert not Bulletin.objects.exists()
