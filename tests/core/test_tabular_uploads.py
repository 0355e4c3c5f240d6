"""Storing an upload (core.uploads): the size limit, a safe name, the file and its audit event
together — and nothing at all when the file is refused."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from saima.core.models import AuditEvent
from saima.core.uploads import UploadRefused, safe_upload_name, upload_check, upload_store
from saima.races.models import ImportBatch
from tests.races.conftest import build_world

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("given", "stored"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\张三\\数据.xlsx", "数据.xlsx"),
        ('a<b>:"c"|?*.csv', "abc.csv"),
        ("\x00\x1f名单.csv", "名单.csv"),
        ("...", "file"),
        ("x" * 200 + ".csv", "x" * 116 + ".csv"),
    ],
)
def test_names_keep_only_a_safe_last_component(given, stored):
    assert safe_upload_name(given) == stored


def test_a_file_over_the_limit_or_of_another_type_is_refused():
    with pytest.raises(UploadRefused, match="文件不能超过 1 MB"):
        upload_check(SimpleUploadedFile("a.csv", b"x" * (1024 * 1024 + 1)), max_bytes=1024 * 1024)
    with pytest.raises(UploadRefused, match="只支持 .xlsx、.csv 文件"):
        upload_check(SimpleUploadedFile("a.exe", b"x"), max_bytes=10, suffixes=(".xlsx", ".csv"))


def test_the_file_the_record_and_the_audit_event_are_stored_together():
    world = build_world()
    period = world.period()
    batch = ImportBatch(period=period, uploaded_by=world.users["organiser"])
    name = upload_store(
        actor=world.users["organiser"],
        instance=batch,
        field="file",
        name_field="filename",
        upload=SimpleUploadedFile("../第一季度.csv", b"a,b\n"),
        max_bytes=100,
        action="races.import.upload",
    )
    batch.refresh_from_db()
    assert name == batch.filename == "第一季度.csv"
    assert batch.file.read() == b"a,b\n"
    event = AuditEvent.objects.get(action="races.import.upload")
    assert event.object_repr == "第一季度.csv" and event.after["size"] == 4


def test_a_refused_upload_leaves_nothing_behind():
    world = build_world()
    batch = ImportBatch(period=world.period(), uploaded_by=world.users["organiser"])
    with pytest.raises(UploadRefused):
        upload_store(
            actor=world.users["organiser"],
            instance=batch,
            field="file",
            upload=SimpleUploadedFile("big.csv", b"x" * 101),
            max_bytes=100,
            action="races.import.upload",
        )
    assert not ImportBatch.objects.exists()
    assert not AuditEvent.objects.filter(action="races.import.upload").exists()
