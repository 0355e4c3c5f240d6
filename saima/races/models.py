"""Indicator races (指标赛马): races with their scheme, periods, reports, frozen results, objections.

A ``Race`` holds its scheme as TOML text (the engine's format) plus the settings the engine does
not know about (rewards per listing, objection window, reminders). Each scheme group code names
an ``org.PeerGroup`` by code; that group's members are the race's units in that group.

A ``Period`` moves open → closed → computed → published. Every unit taking part has one
``Report`` per period (its status at a glance) holding one ``ReportedValue`` per indicator.
``Result`` rows are frozen computations: inputs, scheme text, engine version, outputs and their
SHA-256; a correction is a new version with a reason, linked to the version it supersedes.
``ResultRow`` denormalises a result's outputs per unit so pages read a handful of rows.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saima.core import models as core_models
from saima.org.models import Unit


class Cadence(models.TextChoices):
    MONTH = "month", _("月度")
    QUARTER = "quarter", _("季度")
    YEAR = "year", _("年度")


class Race(models.Model):
    """A race run by an organising unit (赛马): the scheme and the race's own settings."""

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    owner = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="races"
    )
    cadence = models.CharField(
        _("周期"), max_length=8, choices=Cadence.choices, default=Cadence.QUARTER
    )
    scheme_toml = models.TextField(_("方案（TOML）"))
    description = models.TextField(_("说明"), blank=True)
    reward_land_mu = models.DecimalField(
        _("每次上榜奖励用地指标（亩）"), max_digits=10, decimal_places=2, default=Decimal("100")
    )
    reward_funds_yuan = models.DecimalField(
        _("每次上榜奖励资金（元）"), max_digits=14, decimal_places=2, default=Decimal("5000000")
    )
    objection_window_days = models.PositiveSmallIntegerField(_("异议期（工作日）"), default=5)
    reminder_hours_before = models.PositiveSmallIntegerField(
        _("截止前自动催办（小时）"), default=48
    )
    robustness_draws = models.PositiveIntegerField(_("稳健性抽样次数"), default=1000)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("赛马")
        verbose_name_plural = _("赛马")
        ordering = ["owner__path", "code"]

    def __str__(self) -> str:
        return self.name


class PeriodStatus(models.TextChoices):
    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已截止")
    COMPUTED = "computed", _("已计算")
    PUBLISHED = "published", _("已发布")


class Period(models.Model):
    """One round of a race (2026年第3季度): reporting until ``deadline``, then close, compute, publish."""

    race = models.ForeignKey(
        Race, verbose_name=_("赛马"), on_delete=models.PROTECT, related_name="periods"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    number = models.PositiveSmallIntegerField(
        _("序号"), help_text=_("季度 1–4、月份 1–12，年度为 0")
    )
    deadline = models.DateTimeField(_("填报截止时间"))
    status = models.CharField(
        _("状态"), max_length=10, choices=PeriodStatus.choices, default=PeriodStatus.OPEN
    )
    opened_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("截止时间"), null=True, blank=True)
    auto_reminded_at = models.DateTimeField(_("自动催办时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("赛马周期")
        verbose_name_plural = _("赛马周期")
        ordering = ["race", "-year", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["race", "year", "number"], name="races_period_unique"),
            models.CheckConstraint(condition=Q(number__lte=12), name="races_period_number_range"),
        ]

    def __str__(self) -> str:
        return f"{self.race.name} · {self.label}"

    @property
    def label(self) -> str:
        if self.race.cadence == Cadence.QUARTER:
            return _("%(year)s年第%(n)s季度") % {"year": self.year, "n": self.number}
        if self.race.cadence == Cadence.MONTH:
            return _("%(year)s年%(n)s月") % {"year": self.year, "n": self.number}
        return _("%(year)s年度") % {"year": self.year}

    @property
    def short_label(self) -> str:
        if self.race.cadence == Cadence.QUARTER:
            return f"{self.year}Q{self.number}"
        if self.race.cadence == Cadence.MONTH:
            return f"{self.year}-{self.number:02d}"
        return str(self.year)


class ReportStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未填报")
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已报送")
    RETURNED = "returned", _("已退回")
    VERIFIED = "verified", _("已审核")


class Report(models.Model):
    """One unit's report for one period (填报): its values, evidence and where it stands."""

    period = models.ForeignKey(
        Period, verbose_name=_("周期"), on_delete=models.CASCADE, related_name="reports"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="race_reports"
    )
    group_code = models.CharField(_("同类组"), max_length=40)
    status = models.CharField(
        _("状态"), max_length=12, choices=ReportStatus.choices, default=ReportStatus.NOT_STARTED
    )
    submitted_at = models.DateTimeField(_("报送时间"), null=True, blank=True)
    verified_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    comment = models.TextField(_("审核意见"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("填报")
        verbose_name_plural = _("填报")
        ordering = ["period", "group_code", "unit__path"]
        constraints = [
            models.UniqueConstraint(fields=["period", "unit"], name="races_report_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit.name} · {self.period.short_label}"


class ReportedValue(models.Model):
    """One indicator value of one report; ``value`` None = not (yet) given."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="values")
    indicator = models.CharField(_("指标"), max_length=60)
    value = models.FloatField(_("数值"), null=True, blank=True)
    note = models.CharField(_("审核意见"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("指标值")
        verbose_name_plural = _("指标值")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="races_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.indicator}={self.value}"


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"races/evidence/{instance.report.period_id}/{instance.report.unit_id}/{filename}"


class Evidence(models.Model):
    """An attachment backing a report (佐证材料)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("文件"), upload_to=evidence_path, max_length=255)
    name = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("佐证材料")
        verbose_name_plural = _("佐证材料")
        ordering = ["uploaded_at"]

    def __str__(self) -> str:
        return self.name


def import_path(instance: ImportBatch, filename: str) -> str:
    return f"races/imports/{instance.period_id}/{filename}"


class ImportBatch(core_models.ImportBatch):
    """An organiser's XLSX/CSV upload of a period's values: validated whole, previewed, then on
    confirmation applied all or nothing (``saima.core.models.ImportBatch``)."""

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="imports")
    file = models.FileField(upload_to=import_path, max_length=255)
    applied_units = models.PositiveIntegerField(default=0)


class Reminder(models.Model):
    """A reminder (催办) sent to a unit's reporters: automatic before the deadline or by hand."""

    class Kind(models.TextChoices):
        AUTO = "auto", _("自动")
        MANUAL = "manual", _("人工")

    period = models.ForeignKey(Period, on_delete=models.CASCADE, related_name="reminders")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    sent_at = models.DateTimeField(auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recipients = models.PositiveSmallIntegerField(default=0)
    emails = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("催办")
        verbose_name_plural = _("催办")
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.unit} · {self.sent_at:%Y-%m-%d}"


HEAVY = ("inputs", "outputs")


class Result(models.Model):
    """A frozen computation of a period (冻结结果). Never changed once written, except the
    publication stamp; a correction is a new version that names what it supersedes and why."""

    period = models.ForeignKey(Period, on_delete=models.PROTECT, related_name="results")
    version = models.PositiveSmallIntegerField(_("版本"))
    supersedes = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="superseded_by"
    )
    reason = models.TextField(_("修正原因"), blank=True)
    scheme_toml = models.TextField()
    engine_version = models.CharField(max_length=20)
    explain = models.BooleanField(default=True)
    robustness_draws = models.PositiveIntegerField(default=0)
    seed = models.BigIntegerField(default=0)
    inputs = models.JSONField()
    outputs = models.JSONField()
    excluded = models.JSONField(default=list, blank=True, help_text="units left out (not verified)")
    digest = models.CharField(_("SHA-256"), max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    is_current = models.BooleanField(_("现行版本"), default=False)

    class Meta:
        verbose_name = _("结果")
        verbose_name_plural = _("结果")
        ordering = ["period", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "version"], name="races_result_version_unique"
            ),
            models.CheckConstraint(
                condition=Q(version__gte=1), name="races_result_version_positive"
            ),
            models.UniqueConstraint(
                fields=["period"], condition=Q(is_current=True), name="races_result_one_current"
            ),
            models.CheckConstraint(
                condition=Q(is_current=False) | Q(published_at__isnull=False),
                name="races_result_current_is_published",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} · v{self.version}"


class ResultRow(models.Model):
    """One unit's line of a result, for fast pages (copied from ``Result.outputs``)."""

    result = models.ForeignKey(Result, on_delete=models.CASCADE, related_name="rows")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    unit_name = models.CharField(
        _("发布时的单位名称"),
        max_length=100,
        blank=True,
        help_text=_("冻结时的名称：单位日后更名（如撤县设区），已发布的榜单仍显示当时的名称"),
    )
    group_code = models.CharField(max_length=40)
    score = models.FloatField()
    rank = models.PositiveIntegerField()
    selected = models.BooleanField()
    tie_at_boundary = models.BooleanField(default=False)
    rank_p05 = models.FloatField(null=True)
    rank_p95 = models.FloatField(null=True)
    p_selected = models.FloatField(null=True)
    detail = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["result", "unit"], name="races_resultrow_unique")
        ]
        indexes = [
            models.Index(fields=["result", "group_code", "rank"], name="races_row_board"),
            models.Index(fields=["unit", "result"], name="races_row_unit"),
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} #{self.rank}"

    @property
    def name(self) -> str:
        """The unit's name as frozen with the result (rows frozen before names were kept: the
        unit's name now)."""
        return self.unit_name or self.unit.name


class ObjectionStatus(models.TextChoices):
    PENDING = "pending", _("待答复")
    UPHELD = "upheld", _("成立")
    REJECTED = "rejected", _("不成立")


def objection_path(instance: Objection, filename: str) -> str:
    return f"races/objections/{instance.result_id}/{filename}"


class Objection(models.Model):
    """An objection (异议) a unit raises against a published result, answered in writing."""

    result = models.ForeignKey(Result, on_delete=models.PROTECT, related_name="objections")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(auto_now_add=True)
    reasons = models.TextField(_("异议理由"))
    evidence = models.FileField(_("佐证材料"), upload_to=objection_path, blank=True, max_length=255)
    status = models.CharField(
        max_length=10, choices=ObjectionStatus.choices, default=ObjectionStatus.PENDING
    )
    answer = models.TextField(_("书面答复"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    correction = models.ForeignKey(
        Result, null=True, blank=True, on_delete=models.PROTECT, related_name="answered_objections"
    )

    class Meta:
        verbose_name = _("异议")
        verbose_name_plural = _("异议")
        ordering = ["-submitted_at"]
        constraints = [
            # One open objection per unit and result: a double submit never files it twice.
            models.UniqueConstraint(
                fields=["result", "unit"],
                condition=models.Q(status="pending"),
                name="races_objection_one_pending_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.unit} · {self.result}"

    @property
    def evidence_filename(self) -> str:
        return (self.evidence.name or "").rsplit("/", 1)[-1]
