"""Writes for monthly reports (月度填报), their milestones and photos, deadlines and reminders.

Rules (checked in ``report_problems``, the form and the XLSX import ask the same function):

- 形象进度 0–100 %, investment ≥ 0 (万元);
- the cumulative investment this year never falls below the last earlier month's report of the
  same year (nor rises above the next later month's, for a month filed late) unless a written
  correction reason is given — the message names that month and its value;
- a milestone's date may not lie after the end of the reported month;
- a draft may be saved and changed by the reporting unit; once submitted (报送) it changes only
  as a correction by a manager of the project's list, with a reason;
- ``late`` is set when it is submitted after the month's deadline (``due_for_project``).

Every save is one transaction under a lock on the project (so the same POST sent ten times at
once stores one report and one audit event: the copies find nothing to change, or a report
already submitted).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event
from saima.core.notices import notify
from saima.core.uploads import upload_store
from saima.projects.errors import ProjectError
from saima.projects.models import (
    Milestone,
    MilestoneReached,
    MonthlyReport,
    Project,
    ProjectList,
    ReportingDeadline,
    ReportPhoto,
    ReportStatus,
)
from saima.projects.permissions import may_correct_report, may_manage_list, may_report
from saima.projects.photos import MAX_PHOTO_BYTES, MAX_PHOTOS_PER_REPORT, CleanPhoto, clean_photo
from saima.projects.selectors import reporters_of
from saima.projects.services import MAX_MONEY, require

REPORT_FIELDS = (
    "cumulative_investment",
    "physical_progress",
    "progress_note",
    "problems",
    "problems_public",
    "correction_reason",
)


@dataclass
class ReportInput:
    """What a unit reports for a month (the form, an import row and the API fill one)."""

    cumulative_investment: Decimal
    physical_progress: Decimal
    progress_note: str = ""
    problems: str = ""
    problems_public: bool = False
    correction_reason: str = ""
    milestones: dict[str, dt.date] = field(default_factory=dict)

    def values(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in REPORT_FIELDS}


# ---------------------------------------------------------------- deadlines


def default_due(plist: ProjectList, year: int, month: int) -> dt.datetime:
    """Day ``report_day`` of the next month, at the end of the day (local time)."""
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    end = dt.datetime(y, m, plist.report_day) + dt.timedelta(days=1) - dt.timedelta(minutes=1)
    return timezone.make_aware(end)


def due_at(plist: ProjectList, year: int, month: int) -> dt.datetime:
    row = ReportingDeadline.objects.filter(project_list=plist, year=year, month=month).first()
    return row.due_at if row is not None else default_due(plist, year, month)


def due_for_project(project: Project, year: int, month: int) -> dt.datetime | None:
    """The earliest deadline among the lists of ``year`` the project is on (None: on none)."""
    lists = ProjectList.objects.filter(
        year=year, memberships__project=project, memberships__removed_at__isnull=True
    ).distinct()
    dues = [due_at(plist, year, month) for plist in lists]
    return min(dues) if dues else None


def deadlines_ensure(plist: ProjectList) -> None:
    """A deadline row for each month of the list's year (by the default rule), where missing."""
    ReportingDeadline.objects.bulk_create(
        [
            ReportingDeadline(
                project_list=plist,
                year=plist.year,
                month=month,
                due_at=default_due(plist, plist.year, month),
            )
            for month in range(1, 13)
        ],
        ignore_conflicts=True,
    )


def deadline_set(
    *, actor: Any, plist: ProjectList, month: int, due: dt.datetime
) -> ReportingDeadline:
    """Move one month's deadline (and arm its reminders again)."""
    require(actor, may_manage_list(actor, plist))
    if not 1 <= month <= 12:
        raise ProjectError(_("月份须在 1–12 之间"))
    with transaction.atomic():
        deadlines_ensure(plist)
        row = ReportingDeadline.objects.select_for_update().get(
            project_list=plist, year=plist.year, month=month
        )
        before = {"due_at": row.due_at}
        row.due_at, row.reminded_at = due, None
        row.save(update_fields=["due_at", "reminded_at"])
        record_event(
            actor=actor,
            action="projects.deadline.set",
            obj=row,
            before=before,
            after={"month": month, "due_at": due},
        )
    return row


# ---------------------------------------------------------------- reports


def previous_report(project: Project, year: int, month: int) -> MonthlyReport | None:
    """The latest earlier report of the same year (draft or submitted)."""
    return (
        MonthlyReport.objects.filter(project=project, year=year, month__lt=month)
        .order_by("-month")
        .first()
    )


def next_report(project: Project, year: int, month: int) -> MonthlyReport | None:
    """The earliest later report of the same year (draft or submitted): a month filed late."""
    return (
        MonthlyReport.objects.filter(project=project, year=year, month__gt=month)
        .order_by("month")
        .first()
    )


def report_problems(
    data: ReportInput,
    *,
    year: int,
    month: int,
    previous: MonthlyReport | None,
    following: MonthlyReport | None = None,
) -> dict[str, str]:
    """Field name → what is wrong (empty when the report may be stored)."""
    problems: dict[str, str] = {}
    if not 1 <= month <= 12:
        problems["month"] = _("月份须在 1–12 之间")
    if not Decimal("0") <= data.physical_progress <= Decimal("100"):
        problems["physical_progress"] = _("形象进度须在 0–100 之间，不是 %(v)s") % {
            "v": data.physical_progress
        }
    if not Decimal("0") <= data.cumulative_investment <= MAX_MONEY:
        problems["cumulative_investment"] = _("本年累计完成投资须不小于 0，不是 %(v)s") % {
            "v": data.cumulative_investment
        }
    elif (
        previous is not None
        and data.cumulative_investment < previous.cumulative_investment
        and not data.correction_reason.strip()
    ):
        problems["correction_reason"] = _(
            "本年累计完成投资 %(new)s 万元低于 %(m)s月已报的 %(old)s 万元；"
            "如确需下调，请填写下调说明"
        ) % {
            "new": data.cumulative_investment,
            "m": previous.month,
            "old": previous.cumulative_investment,
        }
    elif (
        following is not None
        and data.cumulative_investment > following.cumulative_investment
        and not data.correction_reason.strip()
    ):  # an earlier month filed late: the later month's total would fall below it
        problems["correction_reason"] = _(
            "本年累计完成投资 %(new)s 万元高于 %(m)s月已报的 %(old)s 万元；如确需，请填写说明"
        ) % {
            "new": data.cumulative_investment,
            "m": following.month,
            "old": following.cumulative_investment,
        }
    if 1 <= month <= 12:
        last_day = dt.date(year, month, calendar.monthrange(year, month)[1])
        for code, reached in data.milestones.items():
            if code not in Milestone.values:
                problems[f"milestone_{code}"] = _("未知节点「%(code)s」") % {"code": code}
            elif reached > last_day or reached.year < year - 30:
                problems[f"milestone_{code}"] = _(
                    "%(name)s日期 %(date)s 不在本月月底（%(end)s）之前"
                ) % {"name": Milestone(code).label, "date": reached, "end": last_day}
    return problems


def _locked_project(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("owner_unit").get(pk=project.pk)


def report_save(
    *,
    actor: Any,
    project: Project,
    year: int,
    month: int,
    data: ReportInput,
    submit: bool,
    photos: Sequence[UploadedFile[Any]] = (),
    photo_caption: str = "",
    reason: str = "",
) -> MonthlyReport:
    """Save a month's report as a draft, or submit it (报送), with milestones and photos: all of
    it or nothing. A submitted report changes only as a manager's correction with ``reason``."""
    require(actor, may_report(actor, project))
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ProjectError(_("%(y)s年%(m)s月尚未开始，不能填报") % {"y": year, "m": month})
    cleaned = [clean_photo(upload) for upload in photos]  # refuse a bad photo before writing
    with transaction.atomic():
        project = _locked_project(project)
        report = MonthlyReport.objects.filter(project=project, year=year, month=month).first()
        correcting = report is not None and report.status == ReportStatus.SUBMITTED
        if correcting:
            assert report is not None
            if not may_correct_report(actor, report) and actor is not None:
                raise ProjectError(_("本月已报送，不能再修改；如需更正，请联系重点项目办"))
            if not reason.strip():
                raise ProjectError(_("更正已报送的数据须写明理由"))
        problems = report_problems(
            data,
            year=year,
            month=month,
            previous=previous_report(project, year, month),
            following=next_report(project, year, month),
        )
        if problems:
            raise ProjectError("；".join(problems.values()))
        if report is not None and len(cleaned) + report.photos.count() > MAX_PHOTOS_PER_REPORT:
            raise ProjectError(_("每月最多 %(n)s 张照片") % {"n": MAX_PHOTOS_PER_REPORT})
        report = _write_report(actor, project, year, month, report, data, submit, reason)
        for photo in cleaned:
            photo_store(actor=actor, report=report, photo=photo, caption=photo_caption)
    return report


def _milestone_state(project: Project) -> dict[str, str]:
    return {m.milestone: m.reached_on.isoformat() for m in project.milestones.all()}


def _write_report(
    actor: Any,
    project: Project,
    year: int,
    month: int,
    report: MonthlyReport | None,
    data: ReportInput,
    submit: bool,
    reason: str,
) -> MonthlyReport:
    created = report is None
    report = report or MonthlyReport(project=project, year=year, month=month)
    before = None if created else _report_state(report, project)
    for name, value in data.values().items():
        setattr(report, name, value.strip() if isinstance(value, str) else value)
    if submit and report.status != ReportStatus.SUBMITTED:
        now = timezone.now()
        due = due_for_project(project, year, month)
        report.status, report.submitted_at = ReportStatus.SUBMITTED, now
        report.submitted_by = actor if getattr(actor, "is_authenticated", False) else None
        report.late = due is not None and now > due
    report.save()
    _write_milestones(actor, project, report, data.milestones)
    after = _report_state(report, project)
    if before != after:
        was_submitted = before is not None and before["status"] == ReportStatus.SUBMITTED
        action = "projects.report.correct" if was_submitted else "projects.report.save"
        if submit and (before is None or before["status"] != ReportStatus.SUBMITTED):
            action = "projects.report.submit"
        record_event(
            actor=actor,
            action=action,
            obj=report,
            before=before,
            after=after,
            reason=reason if was_submitted else "",
        )
    return report


def _report_state(report: MonthlyReport, project: Project) -> dict[str, Any]:
    return {
        **{name: getattr(report, name) for name in REPORT_FIELDS},
        "status": report.status,
        "late": report.late,
        "milestones": _milestone_state(project),
    }


def _write_milestones(
    actor: Any, project: Project, report: MonthlyReport, reached: Mapping[str, dt.date]
) -> None:
    existing = {m.milestone: m for m in project.milestones.all()}
    user = actor if getattr(actor, "is_authenticated", False) else None
    for code, date in reached.items():
        row = existing.get(code)
        if row is None:
            MilestoneReached.objects.create(
                project=project, milestone=code, reached_on=date, report=report, recorded_by=user
            )
        elif row.reached_on != date:
            row.reached_on, row.report, row.recorded_by = date, report, user
            row.save(update_fields=["reached_on", "report", "recorded_by", "recorded_at"])


def photo_store(
    *, actor: Any, report: MonthlyReport, photo: CleanPhoto, caption: str = ""
) -> ReportPhoto:
    """Store a checked, re-encoded photo under a generated name (audited)."""
    instance = ReportPhoto(
        report=report,
        caption=caption.strip()[:200],
        kind=photo.kind,
        width=photo.width,
        height=photo.height,
        uploaded_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    upload = SimpleUploadedFile(photo.name, photo.content)
    upload_store(
        actor=actor,
        instance=instance,
        field="file",
        name_field="name",
        upload=upload,
        max_bytes=MAX_PHOTO_BYTES,
        action="projects.photo.add",
        after={"report": report.pk, "kind": photo.kind},
        fallback="photo",
    )
    return instance


def photo_publish(*, actor: Any, photo: ReportPhoto, public: bool) -> ReportPhoto:
    """Mark a photo as one the public may see (or not); the site's privacy still rules."""
    require(actor, may_report(actor, photo.report.project))
    with transaction.atomic():
        photo = ReportPhoto.objects.select_for_update().get(pk=photo.pk)
        if photo.public != public:
            photo.public = public
            photo.save(update_fields=["public"])
            record_event(
                actor=actor,
                action="projects.photo.public",
                obj=photo,
                before={"public": not public},
                after={"public": public},
            )
    return photo


# ---------------------------------------------------------------- reminders (催办) and chasers


def missing_projects(plist: ProjectList, year: int, month: int) -> list[Project]:
    """Projects on the list without a submitted report for the month."""
    submitted = MonthlyReport.objects.filter(
        year=year, month=month, status=ReportStatus.SUBMITTED
    ).values("project_id")
    return list(
        Project.objects.filter(
            memberships__project_list=plist, memberships__removed_at__isnull=True
        )
        .exclude(pk__in=submitted)
        .select_related("owner_unit")
        .distinct()
        .order_by("code")
    )


def reminders_send(
    *,
    actor: Any,
    plist: ProjectList,
    month: int,
    after_deadline: bool,
    projects: Iterable[Project] | None = None,
) -> int:
    """催办 (before the deadline) or 督促 (after it): notify the reporters of the responsible
    units of the projects still missing the month's report; return how many projects."""
    require(actor, may_manage_list(actor, plist))
    year = plist.year
    missing = missing_projects(plist, year, month)
    if projects is not None:
        wanted = {p.pk for p in projects}
        missing = [p for p in missing if p.pk in wanted]
    if not missing:
        return 0
    due = timezone.localtime(due_at(plist, year, month))
    if after_deadline:
        title = _("督促：%(list)s %(m)s月进展已逾期未报") % {"list": plist.name, "m": month}
    else:
        title = _("催办：%(list)s %(m)s月进展请于 %(due)s 前报送") % {
            "list": plist.name,
            "m": month,
            "due": due.strftime("%Y-%m-%d %H:%M"),
        }
    people = reporters_of({p.owner_unit_id for p in missing})
    with transaction.atomic():
        for project in missing:
            link = reverse("projects:report", args=[project.code, year, month])
            body = _("%(code)s %(name)s：%(m)s月进展尚未报送。") % {
                "code": project.code,
                "name": project.name,
                "m": month,
            }
            notify(people.get(project.owner_unit_id, []), title, body, link)
        record_event(
            actor=actor,
            action="projects.reminder.chase" if after_deadline else "projects.reminder.remind",
            obj=plist,
            after={"month": month, "projects": [p.code for p in missing]},
        )
    return len(missing)


CHASE_EVERY = dt.timedelta(days=1)
CHASE_FOR = dt.timedelta(days=45)  # chasing stops this long after the deadline


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Automatic reminders for every list: once ``remind_days_before`` days before each month's
    deadline, then a chaser a day after it while reports are missing (for 45 days)."""
    now = now or timezone.now()
    count = 0
    for plist in ProjectList.objects.all():
        deadlines_ensure(plist)
        rows = ReportingDeadline.objects.filter(project_list=plist, year=plist.year).filter(
            Q(reminded_at__isnull=True, due_at__gt=now)
            | Q(due_at__lte=now, due_at__gt=now - CHASE_FOR)
        )
        for row in rows:
            count += _remind_or_chase(plist, row, now)
    return count


def _remind_or_chase(plist: ProjectList, row: ReportingDeadline, now: dt.datetime) -> int:
    if row.due_at > now:
        if row.due_at - dt.timedelta(days=plist.remind_days_before) > now:
            return 0
        claim = Q(reminded_at__isnull=True)
        update: dict[str, Any] = {"reminded_at": now}
    else:
        claim = Q(chased_at__isnull=True) | Q(chased_at__lte=now - CHASE_EVERY)
        update = {"chased_at": now, "chase_count": F("chase_count") + 1}
    with transaction.atomic():
        # Claim the row first: of two runs at once (cron on two machines), one wins.
        if not ReportingDeadline.objects.filter(claim, pk=row.pk).update(**update):
            return 0
        return reminders_send(
            actor=None, plist=plist, month=row.month, after_deadline=row.due_at <= now
        )
