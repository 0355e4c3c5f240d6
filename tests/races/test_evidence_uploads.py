"""Evidence files of reports and of objections go through core's one upload store: a hostile
name is reduced to a safe one, a file too big or of a refused type is refused by name, and a
refused file leaves nothing behind (no row, no file, no audit event)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from saima.core.models import AuditEvent
from saima.races.errors import RaceError
from saima.races.models import Evidence, Objection, ReportStatus
from saima.races.objections import services as objection_services
from saima.races.objections.forms import ObjectionForm
from saima.races.reporting import services as reporting
from saima.races.reporting.evidence import EVIDENCE_SUFFIXES, MAX_EVIDENCE_BYTES


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _files(root: Path) -> list[str]:
    """The evidence files stored (the data of the world's published results is imported from
    files of its own, under races/imports)."""
    stored = [*root.glob("races/evidence/**/*"), *root.glob("races/objections/**/*")]
    return sorted(p.name for p in stored if p.is_file())


def _add_to_report(world, upload):
    period = world.period()
    return reporting.evidence_add(
        actor=world.users["reporter"], report=world.report(period, "上城区"), upload=upload
    )


def _submit_with_report(world, upload):
    period = world.period()
    return reporting.report_save(
        actor=world.users["reporter"],
        report=world.report(period, "上城区"),
        values={"fai": 9.0, "projects": 5.0, "snails": 0.0},
        submit=True,
        evidence=upload,
    )


def _object(world, upload):
    result = world.published()
    return objection_services.objection_submit(
        actor=world.users["reporter"],
        result=result,
        unit=world.counties["上城区"],
        reasons="重大项目数漏报 1 个",
        evidence=upload,
    )


def _stored_name(world, media, path, upload):
    if path == "objection":
        return Path(_object(world, upload).evidence.name).name
    if path == "report":
        return _add_to_report(world, upload).name
    _submit_with_report(world, upload)
    return Evidence.objects.get().name


PATHS = ["report", "report_save", "objection"]
HOSTILE = [
    ("../../etc/快报.pdf", "快报.pdf"),
    ("..\\..\\windows\\快报.pdf", "快报.pdf"),
    ('快<报>:"|?*.pdf', "快报.pdf"),
    ("快\x00报\n.pdf", "快报.pdf"),
    ("a" * 300 + ".pdf", "a" * 116 + ".pdf"),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("name", "safe"), HOSTILE)
def test_a_hostile_name_is_stored_under_a_safe_one(world, media, path, name, safe):
    stored = _stored_name(world, media, path, SimpleUploadedFile(name, b"%PDF-1.4"))
    assert stored == safe
    assert _files(media) == [safe]


def _refused(world, path, upload):
    action = {"report": _add_to_report, "report_save": _submit_with_report, "objection": _object}
    return action[path](world, upload)


REFUSED = [
    (SimpleUploadedFile("快报.pdf", b"x" * (MAX_EVIDENCE_BYTES + 1)), "不能超过 20 MB"),
    (SimpleUploadedFile("快报.exe", b"MZ"), "只支持 .pdf"),
    (SimpleUploadedFile("快报.pdf.html", b"<script>"), "只支持 .pdf"),
    (SimpleUploadedFile("快报", b"%PDF"), "只支持 .pdf"),
]


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize(("upload", "reason"), REFUSED, ids=["oversize", "exe", "html", "bare"])
def test_a_refused_file_leaves_nothing_behind(world, media, path, upload, reason):
    if path == "objection":
        world.published()  # the result to object to exists before the refusal is counted
    events = AuditEvent.objects.count()
    upload.seek(0)
    with pytest.raises(RaceError, match=f"佐证材料：.*{reason}"):
        if path == "objection":
            objection_services.objection_submit(
                actor=world.users["reporter"],
                result=world.race.periods.get().results.get(),
                unit=world.counties["上城区"],
                reasons="漏报",
                evidence=upload,
            )
        else:
            _refused(world, path, upload)
    assert not Evidence.objects.exists()
    assert not Objection.objects.exists()
    assert _files(media) == []
    if path == "report_save":
        assert world.report(world.race.periods.get(), "上城区").status == ReportStatus.NOT_STARTED
    assert AuditEvent.objects.count() == events or path != "objection"
    written = ["races.evidence.add", "races.report.submit", "races.objection.submit"]
    assert not AuditEvent.objects.filter(action__in=written).exists()


def test_the_report_and_objection_forms_offer_only_the_accepted_types(client, world):
    period = world.period()
    client.force_login(world.users["reporter"])
    url = reverse("races:report", args=[period.pk, world.counties["上城区"].code])
    accept = 'accept="' + ",".join(EVIDENCE_SUFFIXES) + '"'
    assert accept in client.get(url).content.decode()
    assert accept in str(ObjectionForm()["evidence"])
