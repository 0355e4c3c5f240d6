"""Monthly reports, photos, list membership, deadlines and reminders, through the services."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image

from saima.core.models import AuditEvent, Notice
from saima.core.workflow import ActionForbidden
from saima.projects import reporting, services
from saima.projects.errors import ProjectError
from saima.projects.models import ListMembership, MonthlyReport, ReportingDeadline
from saima.projects.photos import MAX_PHOTO_BYTES, clean_photo
from saima.projects.reporting import ReportInput
from tests.projects.samples import photo_upload


def _save(world, month, invested, progress="10", user="reporter_a", submit=True, **extra):
    return reporting.report_save(
        actor=world.users[user],
        project=world.samples.project,
        year=2026,
        month=month,
        data=ReportInput(Decimal(invested), Decimal(progress), **extra),
        submit=submit,
    )


def test_progress_and_investment_are_bounded(world):
    with pytest.raises(ProjectError, match="0–100"):
        _save(world, 3, "200", "100.5")
    with pytest.raises(ProjectError, match="不小于 0"):
        _save(world, 3, "-1")
    assert not MonthlyReport.objects.filter(month=3).exists()


def test_cumulative_investment_below_last_month_needs_a_reason_naming_that_month(world):
    with pytest.raises(ProjectError, match="低于 2月已报的 150.00 万元"):
        _save(world, 3, "120")
    report = _save(world, 3, "120", correction_reason="2月数据重复统计了设备款")
    assert report.correction_reason == "2月数据重复统计了设备款"


def test_a_submitted_report_changes_only_as_a_managers_correction_with_a_reason(world):
    january = world.samples.report
    with pytest.raises(ProjectError, match="已报送"):
        _save(world, 1, "95")
    with pytest.raises(ProjectError, match="理由"):
        _save(world, 1, "95", user="organiser_a")
    reporting.report_save(
        actor=world.users["organiser_a"],
        project=january.project,
        year=2026,
        month=1,
        data=ReportInput(Decimal("95"), Decimal("8")),
        submit=True,
        reason="统计局核定",
    )
    event = AuditEvent.objects.filter(action="projects.report.correct").get()
    assert event.reason == "统计局核定"
    assert event.before["cumulative_investment"] == "90.00"


def test_a_stranger_may_not_report(world):
    for user in ("reporter_b", "organiser_b", "reporter_a2", "nobody"):
        with pytest.raises(ActionForbidden):
            _save(world, 3, "200", user=user)


def test_lateness_is_set_by_the_deadline_when_submitted(world):
    plist = world.samples.plist
    due = timezone.make_aware(dt.datetime(2026, 4, 5, 23, 59))
    assert reporting.due_at(plist, 2026, 3) == due
    with time_machine.travel(due - dt.timedelta(hours=1)):
        assert not _save(world, 3, "300").late
    with time_machine.travel(due + dt.timedelta(hours=1)):
        report = reporting.report_save(
            actor=world.users["reporter_a2"],
            project=world.samples.other_project,
            year=2026,
            month=3,
            data=ReportInput(Decimal("300"), Decimal("20")),
            submit=True,
        )
        assert report.late


def test_a_future_month_or_a_milestone_after_the_month_is_refused(world):
    with (
        time_machine.travel(dt.datetime(2026, 2, 20, 12, 0, tzinfo=dt.UTC)),
        pytest.raises(ProjectError, match="尚未开始"),
    ):
        _save(world, 3, "300")
    with pytest.raises(ProjectError, match="开工"):
        _save(world, 3, "300", milestones={"start": dt.date(2026, 4, 2)})


def test_a_draft_saved_twice_with_the_same_values_records_one_event(world):
    _save(world, 4, "400", submit=False)
    _save(world, 4, "400", submit=False)
    assert (
        AuditEvent.objects.filter(
            action="projects.report.save", object_id=str(MonthlyReport.objects.get(month=4).pk)
        ).count()
        == 1
    )


# ---------------------------------------------------------------- photos


def _jpeg_with_exif() -> bytes:
    image = Image.new("RGB", (64, 48), "red")
    exif = Image.Exif()
    exif[0x010F] = "SpyCam"  # Make
    exif[0x8825] = {2: (30.0, 15.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_photos_are_reencoded_without_exif_under_a_generated_name(world):
    upload = SimpleUploadedFile("../../我家/IMG 0001.jpg", _jpeg_with_exif())
    photo = clean_photo(upload)
    assert b"SpyCam" not in photo.content
    assert not Image.open(io.BytesIO(photo.content)).getexif()
    stored = reporting.photo_store(
        actor=world.users["reporter_a"], report=world.samples.report, photo=photo
    )
    assert stored.file.name.startswith(f"projects/photos/{world.samples.project.pk}/")
    assert "IMG" not in stored.file.name and stored.file.name.endswith(".jpg")
    assert stored.name == "IMG 0001.jpg"


@pytest.mark.parametrize(
    "content, message",
    [
        (b"GIF89a" + b"\x00" * 100, "JPEG 和 PNG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'></svg>", "JPEG 和 PNG"),
        (b"\x89PNG\r\n\x1a\n" + b"garbage" * 10, "无法读取"),
        (b"\xff\xd8\xff" + b"\x00" * 50, "无法读取"),
    ],
)
def test_other_files_are_refused_by_their_bytes(content, message):
    with pytest.raises(ProjectError, match=message):
        clean_photo(SimpleUploadedFile("photo.png", content))


def test_an_oversize_photo_and_a_pixel_bomb_are_refused():
    with pytest.raises(ProjectError, match="8 MB"):
        clean_photo(SimpleUploadedFile("big.png", b"\x89PNG\r\n\x1a\n" + b"0" * MAX_PHOTO_BYTES))
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, format="PNG")  # 81 megapixels in a few kB
    with pytest.raises(ProjectError, match="像素过多"):
        clean_photo(SimpleUploadedFile("bomb.png", out.getvalue()))


def test_a_bad_photo_leaves_the_report_unsaved(world):
    with pytest.raises(ProjectError):
        reporting.report_save(
            actor=world.users["reporter_a"],
            project=world.samples.project,
            year=2026,
            month=3,
            data=ReportInput(Decimal("300"), Decimal("20")),
            submit=True,
            photos=[photo_upload(), SimpleUploadedFile("x.gif", b"GIF89a....")],
        )
    assert not MonthlyReport.objects.filter(month=3).exists()


# ---------------------------------------------------------------- membership


def test_removing_needs_a_reason_and_keeps_the_history(world):
    plist, project = world.samples.plist, world.samples.other_project
    organiser = world.users["organiser_a"]
    with pytest.raises(ProjectError, match="理由"):
        services.membership_remove(actor=organiser, plist=plist, project=project, reason="  ")
    services.membership_remove(actor=organiser, plist=plist, project=project, reason="停建")
    services.membership_add(actor=organiser, plist=plist, project=project, reason="复工")
    rows = list(ListMembership.objects.filter(project=project, project_list=plist).order_by("pk"))
    assert [(r.removed_reason, r.removed_at is None) for r in rows] == [("停建", False), ("", True)]
    with pytest.raises(ProjectError, match="已在清单"):
        services.membership_add(actor=organiser, plist=plist, project=project, reason="再次")
    with pytest.raises(ActionForbidden):
        services.membership_remove(
            actor=world.users["organiser_b"], plist=plist, project=project, reason="x"
        )
    actions = list(
        AuditEvent.objects.filter(action__startswith="projects.list.").values_list(
            "action", "reason"
        )
    )
    assert ("projects.list.remove", "停建") in actions and ("projects.list.add", "复工") in actions


# ---------------------------------------------------------------- reminders


def test_reminders_go_before_the_deadline_and_chasers_after_it_once_a_day(world):
    plist = world.samples.plist
    reporter = world.users["reporter_a"]
    due = reporting.due_at(plist, 2026, 3)
    with time_machine.travel(due - dt.timedelta(days=1)):
        assert reporting.reminders_send_due() >= 2  # March: both projects missing
        assert reporting.reminders_send_due() == 0  # claimed: not twice
    assert Notice.objects.filter(user=reporter, title__startswith="催办").exists()
    with time_machine.travel(due + dt.timedelta(hours=2)):
        call_command("projects_remind", stdout=io.StringIO())
    with time_machine.travel(due + dt.timedelta(hours=3)):
        before = Notice.objects.count()
        reporting.reminders_send_due()
        march_chasers = Notice.objects.filter(title__contains="3月进展已逾期").count()
        assert Notice.objects.count() >= before
    assert march_chasers >= 1
    row = ReportingDeadline.objects.get(project_list=plist, month=3)
    assert row.chase_count == 1 and row.reminded_at is not None


def test_a_submitted_project_is_not_reminded(world):
    plist = world.samples.plist
    sent = reporting.reminders_send(
        actor=world.users["organiser_a"], plist=plist, month=1, after_deadline=True
    )
    assert sent == 1  # HZ-001 submitted January; HZ-002 did not
    assert not Notice.objects.filter(user=world.users["reporter_a"], title__contains="1月").exists()
    assert Notice.objects.filter(user=world.users["reporter_a2"], title__contains="1月").exists()


def test_moving_a_deadline_is_audited_and_arms_the_reminder_again(world):
    plist = world.samples.plist
    due = timezone.make_aware(dt.datetime(2026, 5, 20, 17, 0))
    reporting.deadline_set(actor=world.users["organiser_a"], plist=plist, month=4, due=due)
    assert reporting.due_at(plist, 2026, 4) == due
    assert AuditEvent.objects.filter(action="projects.deadline.set").exists()
    with pytest.raises(ActionForbidden):
        reporting.deadline_set(actor=world.users["reporter_a"], plist=plist, month=4, due=due)
