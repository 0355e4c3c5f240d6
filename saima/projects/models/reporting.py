"""Monthly reporting: reports, milestones reached, site photos, deadlines and reminders."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# From the package, not moved here: the migrations reference it as saima.projects.models.photo_path.
from saima.projects.models import photo_path
from saima.projects.models.register import Milestone, Project, ProjectList


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")


class MonthlyReport(models.Model):
    """A project's report for one month (月度填报), filed by its responsible unit.

    ``cumulative_investment``: investment completed this year up to the month's end (本年累计
    完成投资, 万元, ≥ 0); it may fall below last month's only with ``correction_reason``.
    ``physical_progress``: 形象进度, % of the whole project (0–100). ``late``: submitted after
    the month's deadline (set when submitted). ``problems`` (需协调解决的问题) are shown to the
    public only when ``problems_public``.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    cumulative_investment = models.DecimalField(
        _("本年累计完成投资（万元）"), max_digits=14, decimal_places=2
    )
    physical_progress = models.DecimalField(_("形象进度（%）"), max_digits=5, decimal_places=2)
    progress_note = models.TextField(_("本月进展"), blank=True)
    problems = models.TextField(_("需协调解决的问题"), blank=True)
    problems_public = models.BooleanField(_("问题可公开"), default=False)
    correction_reason = models.TextField(_("累计投资下调说明"), blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    late = models.BooleanField(_("逾期报送"), default=False)
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报送人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度填报")
        verbose_name_plural = _("月度填报")
        ordering = ["project", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="projects_report_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="projects_report_month_range"
            ),
            models.CheckConstraint(
                condition=Q(physical_progress__gte=0, physical_progress__lte=100),
                name="projects_report_progress_range",
            ),
            models.CheckConstraint(
                condition=Q(cumulative_investment__gte=0),
                name="projects_report_investment_nonneg",
            ),
        ]
        indexes = [models.Index(fields=["year", "month"], name="projects_report_ym")]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.year}-{self.month:02d}"


class MilestoneReached(models.Model):
    """The date a project reached a milestone (节点完成), once per project and milestone."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="milestones"
    )
    milestone = models.CharField(_("节点"), max_length=12, choices=Milestone.choices)
    reached_on = models.DateField(_("完成日期"))
    report = models.ForeignKey(
        MonthlyReport,
        verbose_name=_("填报"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="milestones",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("记录时间"), auto_now=True)

    class Meta:
        verbose_name = _("节点完成")
        verbose_name_plural = _("节点完成")
        ordering = ["project", "reached_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "milestone"], name="projects_milestone_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.get_milestone_display()} {self.reached_on}"


class ReportPhoto(models.Model):
    """A site photo of a monthly report (现场照片): re-encoded (no EXIF/GPS), stored privately.

    Served only through a view that checks who may see it; the public sees it only when
    ``public`` is set and the project's site is not private.
    """

    report = models.ForeignKey(
        MonthlyReport, verbose_name=_("填报"), on_delete=models.CASCADE, related_name="photos"
    )
    file = models.FileField(_("文件"), upload_to=photo_path, max_length=255)
    kind = models.CharField(_("格式"), max_length=4)  # "jpg" or "png", from the decoded image
    name = models.CharField(_("原文件名"), max_length=200)
    caption = models.CharField(_("说明"), max_length=200, blank=True)
    width = models.PositiveIntegerField(_("宽"))
    height = models.PositiveIntegerField(_("高"))
    public = models.BooleanField(_("可公开"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("现场照片")
        verbose_name_plural = _("现场照片")
        ordering = ["report", "uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.caption or self.name


class ReportingDeadline(models.Model):
    """When one list's reports for a month fall due (填报截止), and the reminders sent.

    ``reminded_at``: the reminder (催办) before the deadline went out; ``chased_at`` the last
    chaser after it, ``chase_count`` how many.
    """

    project_list = models.ForeignKey(
        ProjectList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="deadlines"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    month = models.PositiveSmallIntegerField(_("月份"))
    due_at = models.DateTimeField(_("截止时间"))
    reminded_at = models.DateTimeField(_("催办时间"), null=True, blank=True)
    chased_at = models.DateTimeField(_("最近督促时间"), null=True, blank=True)
    chase_count = models.PositiveSmallIntegerField(_("督促次数"), default=0)

    class Meta:
        verbose_name = _("填报截止")
        verbose_name_plural = _("填报截止")
        ordering = ["project_list", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_list", "year", "month"], name="projects_deadline_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="projects_deadline_month_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_list} · {self.year}-{self.month:02d}"
