"""Key-project supervision (重点项目): the register and monthly reporting.

A ``ProjectList`` is one year's key-project list of an owner unit (2026年省重点建设项目, a
city's 市重点项目 …). A ``Project`` lives once in the register (its code is global) and enters or
leaves a year's list through ``ListMembership`` rows: an audited decision with a written reason;
a removal closes the row (``removed_at``), it never deletes it, so the history stays.

Each project has an ``AnnualPlan`` per year: planned investment **per month** (12 amounts in
万元, monthly, not cumulative; the engine's ``planned_monthly``) and the planned milestone dates
(签约, 供地, 审批, 开工, 竣工/投产). Each month the project's unit files one ``MonthlyReport``:
investment completed **this year, cumulative** to the month's end (万元), 形象进度 % of the
whole project, problems needing coordination (public only when flagged), a correction reason
when the cumulative figure falls below last month's. ``MilestoneReached`` keeps the date each
milestone was reached (once per project); ``ReportPhoto`` the site photos (re-encoded, stored
privately under generated names). ``ReportingDeadline`` is the due time of one list's month
(by default day ``report_day`` of the next month) and when reminders and chasers went out.

Money is Decimal 万元 (ten thousand yuan), as the lists publish it.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saima.core import models as core_models
from saima.org.models import Person, Unit

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

MONTHS = tuple(range(1, 13))
PLAN_FIELDS = tuple(f"plan_{m:02d}" for m in MONTHS)


class Category(models.TextChoices):
    """Project category (项目类别), as provincial key-project lists group them."""

    TRANSPORT = "transport", _("交通")
    INDUSTRY = "industry", _("产业")
    ENERGY = "energy", _("能源")
    WATER = "water", _("水利")
    URBAN = "urban", _("城建")
    SOCIAL = "social", _("社会民生")
    ECOLOGY = "ecology", _("生态环保")
    DIGITAL = "digital", _("数字基础设施")
    OTHER = "other", _("其他")


class Milestone(models.TextChoices):
    """The milestones a plan dates and a report records (里程碑节点)."""

    SIGNING = "signing", _("签约")
    LAND = "land", _("供地")
    APPROVAL = "approval", _("审批")
    START = "start", _("开工")
    COMPLETION = "completion", _("竣工/投产")


class ProjectList(models.Model):
    """One year's key-project list of an owner unit (年度重点项目清单), e.g. 2026年省重点建设项目.

    The owner unit's organisers manage it (add/remove projects, deadlines, imports). Monthly
    reports fall due on day ``report_day`` of the next month unless a ``ReportingDeadline``
    says otherwise; reminders (催办) go out ``remind_days_before`` days before. The light and
    rating rules are versioned per list by the lights models below the marker.
    """

    code = models.SlugField(_("代码"), max_length=60, unique=True)
    name = models.CharField(_("名称"), max_length=120)
    owner = models.ForeignKey(
        Unit, verbose_name=_("组织单位"), on_delete=models.PROTECT, related_name="project_lists"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    description = models.TextField(_("说明"), blank=True)
    report_day = models.PositiveSmallIntegerField(
        _("每月填报截止日"), default=5, help_text=_("次月几日前报送上月进展（1–28）")
    )
    remind_days_before = models.PositiveSmallIntegerField(_("截止前几天催办"), default=2)
    published_at = models.DateTimeField(_("公开时间"), null=True, blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点项目清单")
        verbose_name_plural = _("重点项目清单")
        ordering = ["-year", "owner__path", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(report_day__gte=1, report_day__lte=28),
                name="projects_list_report_day_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Project(models.Model):
    """A key project in the register (重点项目): who answers for it, where, how big.

    ``owner_unit`` is the responsible unit (责任单位) that reports; ``locality`` the county
    (区/县/市) where it is built, whose parent is its city. ``total_investment`` is the whole
    project's investment (总投资, 万元). A project on a private site (``site_private``) never
    shows photos to the public, whatever the photo's own flag.
    """

    code = models.CharField(_("项目代码"), max_length=40, unique=True)
    name = models.CharField(_("项目名称"), max_length=200)
    owner_unit = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="owned_projects"
    )
    locality = models.ForeignKey(
        Unit, verbose_name=_("所在地"), on_delete=models.PROTECT, related_name="located_projects"
    )
    category = models.CharField(_("类别"), max_length=16, choices=Category.choices)
    total_investment = models.DecimalField(_("总投资（万元）"), max_digits=14, decimal_places=2)
    leader_name = models.CharField(_("责任领导"), max_length=60, blank=True)
    leader = models.ForeignKey(
        Person,
        verbose_name=_("责任领导（干部）"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="led_projects",
    )
    contact_name = models.CharField(_("联系人"), max_length=60, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=40, blank=True)
    description = models.TextField(_("建设内容"), blank=True)
    site_private = models.BooleanField(
        _("场地不公开"), default=False, help_text=_("勾选后现场照片一律不向公众展示")
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("重点项目")
        verbose_name_plural = _("重点项目")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0), name="projects_project_investment_nonneg"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class ListMembership(models.Model):
    """A project's time on a year's list (列入/移出): added with a reason, removed with one.

    At most one open row (``removed_at`` empty) per list and project; removing closes it,
    re-adding opens a new one, so the whole history is kept.
    """

    project_list = models.ForeignKey(
        ProjectList, verbose_name=_("清单"), on_delete=models.PROTECT, related_name="memberships"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="memberships"
    )
    added_at = models.DateTimeField(_("列入时间"))
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("列入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    added_reason = models.TextField(_("列入理由"))
    removed_at = models.DateTimeField(_("移出时间"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("移出人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    removed_reason = models.TextField(_("移出理由"), blank=True)

    class Meta:
        verbose_name = _("清单成员")
        verbose_name_plural = _("清单成员")
        ordering = ["project_list", "project__code", "added_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_list", "project"],
                condition=Q(removed_at__isnull=True),
                name="projects_membership_one_open",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_list} · {self.project.code}"

    @property
    def is_open(self) -> bool:
        return self.removed_at is None


def _money(label: StrOrPromise) -> models.DecimalField[Decimal, Decimal]:
    return models.DecimalField(label, max_digits=14, decimal_places=2, default=Decimal("0"))


class AnnualPlan(models.Model):
    """A project's plan for one year (年度计划): monthly planned investment and milestone dates.

    ``plan_01`` … ``plan_12`` are the amounts planned **for each month** (万元, not
    cumulative); their sum is the year's target. ``invested_before`` is what was invested
    before the year (for the earned-value view). A planned date may fall outside the year (a
    start planned last year and not yet made is overdue from January).
    """

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.CASCADE, related_name="plans"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    plan_01 = _money(_("1月计划投资"))
    plan_02 = _money(_("2月计划投资"))
    plan_03 = _money(_("3月计划投资"))
    plan_04 = _money(_("4月计划投资"))
    plan_05 = _money(_("5月计划投资"))
    plan_06 = _money(_("6月计划投资"))
    plan_07 = _money(_("7月计划投资"))
    plan_08 = _money(_("8月计划投资"))
    plan_09 = _money(_("9月计划投资"))
    plan_10 = _money(_("10月计划投资"))
    plan_11 = _money(_("11月计划投资"))
    plan_12 = _money(_("12月计划投资"))
    invested_before = _money(_("以前年度累计完成投资（万元）"))
    planned_signing = models.DateField(_("计划签约日期"), null=True, blank=True)
    planned_land = models.DateField(_("计划供地日期"), null=True, blank=True)
    planned_approval = models.DateField(_("计划审批完成日期"), null=True, blank=True)
    planned_start = models.DateField(_("计划开工日期"), null=True, blank=True)
    planned_completion = models.DateField(_("计划竣工/投产日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("年度计划")
        verbose_name_plural = _("年度计划")
        ordering = ["project", "year"]
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="projects_plan_unique"),
            models.CheckConstraint(
                condition=Q(
                    plan_01__gte=0,
                    plan_02__gte=0,
                    plan_03__gte=0,
                    plan_04__gte=0,
                    plan_05__gte=0,
                    plan_06__gte=0,
                    plan_07__gte=0,
                    plan_08__gte=0,
                    plan_09__gte=0,
                    plan_10__gte=0,
                    plan_11__gte=0,
                    plan_12__gte=0,
                    invested_before__gte=0,
                ),
                name="projects_plan_nonneg",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project.code} · {self.year}"

    @property
    def monthly(self) -> list[Decimal]:
        """The 12 planned monthly amounts, January first."""
        return [getattr(self, name) for name in PLAN_FIELDS]

    @property
    def year_target(self) -> Decimal:
        return sum(self.monthly, Decimal("0"))

    def planned_date(self, milestone: str) -> date | None:
        value: date | None = getattr(self, f"planned_{milestone}")
        return value


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


def photo_path(instance: ReportPhoto, filename: str) -> str:
    """A generated name: nothing of the uploaded name (or its place) reaches the disk."""
    return f"projects/photos/{instance.report.project_id}/{uuid.uuid4().hex}.{instance.kind}"


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


class ImportKind(models.TextChoices):
    PROJECTS = "projects", _("项目及年度计划")
    REPORTS = "reports", _("月度填报")


def import_path(instance: ImportBatch, filename: str) -> str:
    return f"projects/imports/{instance.project_list_id}/{uuid.uuid4().hex}-{filename}"


class ImportBatch(core_models.ImportBatch):
    """An XLSX/CSV upload into a list (projects + plans, or one month's reports): validated
    whole, previewed, then applied all or nothing when confirmed (``saima.core.models.ImportBatch``)."""

    project_list = models.ForeignKey(
        ProjectList, verbose_name=_("清单"), on_delete=models.CASCADE, related_name="imports"
    )
    kind = models.CharField(_("类型"), max_length=10, choices=ImportKind.choices)
    month = models.PositiveSmallIntegerField(_("月份"), null=True, blank=True)
    file = models.FileField(upload_to=import_path, max_length=255)
    applied_rows = models.PositiveIntegerField(default=0)


# --- lights, ratings, cards (owned by the lights branch) ---
# Rules as versioned data; monthly lights stored with the rule version and the inputs that made
# them; quarterly ratings reviewed and published; cards; the supervision list; incentives.
# docs/projects.md (section "Lights, ratings, cards") describes them.


class LightRuleVersion(models.Model):
    """One version of a list's light and rating rules (TOML, the engine's format). Never edited:
    a change is a new version with a reason. Lights and ratings name the version that made them."""

    project_list = models.ForeignKey(
        ProjectList,
        verbose_name=_("重点项目清单"),
        on_delete=models.PROTECT,
        related_name="rule_versions",
    )
    version = models.PositiveIntegerField(_("版本"))
    rules_toml = models.TextField(_("规则（TOML）"))
    digest = models.CharField(_("规则摘要"), max_length=64)
    preset = models.CharField(_("参照示例"), max_length=20, blank=True)
    reason = models.TextField(_("修订理由"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("创建人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("亮灯规则版本")
        verbose_name_plural = _("亮灯规则版本")
        ordering = ["project_list", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_list", "version"], name="projects_rule_version_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_list} · v{self.version}"


class LightRun(models.Model):
    """One computation of a list's lights for one month (计算批次): the rule version, the inputs
    it read (compressed arrays, with their SHA-256) and the digest of the lights it stored.
    A later run of the same month replaces that month's lights (a correction, with a reason)."""

    project_list = models.ForeignKey(
        ProjectList,
        verbose_name=_("重点项目清单"),
        on_delete=models.PROTECT,
        related_name="light_runs",
    )
    month = models.PositiveSmallIntegerField(_("月份"))
    rule_version = models.ForeignKey(
        LightRuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="runs"
    )
    inputs = models.BinaryField(_("输入数据（压缩）"))
    inputs_digest = models.CharField(_("输入摘要"), max_length=64)
    outputs_digest = models.CharField(_("结果摘要"), max_length=64)
    projects = models.PositiveIntegerField(_("项目数"), default=0)
    reason = models.TextField(_("重算理由"), blank=True)
    computed_at = models.DateTimeField(_("计算时间"), auto_now_add=True)
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("计算人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    is_current = models.BooleanField(_("当前有效"), default=True)

    class Meta:
        verbose_name = _("亮灯计算")
        verbose_name_plural = _("亮灯计算")
        ordering = ["project_list", "-month", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="projects_light_run_month"
            ),
            models.UniqueConstraint(
                fields=["project_list", "month"],
                condition=Q(is_current=True),
                name="projects_light_run_current",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_list} · {self.project_list.year}-{self.month:02d}"


class LightColour(models.IntegerChoices):
    GREEN = 0, _("绿灯")
    YELLOW = 1, _("黄灯")
    RED = 2, _("红灯")
    GREY = 3, _("灰灯（未报送）")


class MonthlyLight(models.Model):
    """A project's light for one month (月亮灯), with the figures behind it and the run (and so
    the rule version) that produced it. A past month keeps its light when a rule changes."""

    project_list = models.ForeignKey(
        ProjectList, verbose_name=_("重点项目清单"), on_delete=models.PROTECT, related_name="+"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="lights"
    )
    month = models.PositiveSmallIntegerField(_("月份"))
    light = models.PositiveSmallIntegerField(_("亮灯"), choices=LightColour.choices)
    reasons = models.PositiveIntegerField(_("原因（位）"), default=0)
    lag = models.FloatField(_("滞后（百分点）"), null=True, blank=True)
    planned_share = models.FloatField(_("计划进度（%）"))
    actual_share = models.FloatField(_("实际进度（%）"), null=True, blank=True)
    spi = models.FloatField(_("进度绩效指数 SPI"), null=True, blank=True)
    start_overdue = models.PositiveSmallIntegerField(_("应开工未开工（月）"), default=0)
    completion_overdue = models.PositiveSmallIntegerField(_("应完工未完工（月）"), default=0)
    run = models.ForeignKey(
        LightRun, verbose_name=_("计算批次"), on_delete=models.PROTECT, related_name="lights"
    )

    class Meta:
        verbose_name = _("月亮灯")
        verbose_name_plural = _("月亮灯")
        ordering = ["project_list", "project", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_list", "project", "month"], name="projects_monthly_light_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="projects_monthly_light_month"
            ),
        ]
        indexes = [models.Index(fields=["run"], name="projects_light_run_idx")]

    def __str__(self) -> str:
        return f"{self.project} · {self.month}月 · {self.get_light_display()}"


class Exemption(models.Model):
    """A force-majeure exemption (不可抗力豁免) of one project-month, with its written reason."""

    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="exemptions"
    )
    year = models.PositiveSmallIntegerField(_("年份"))
    month = models.PositiveSmallIntegerField(_("月份"))
    reason = models.TextField(_("理由"))
    granted_at = models.DateTimeField(_("批准时间"), auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("批准人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("不可抗力豁免")
        verbose_name_plural = _("不可抗力豁免")
        ordering = ["project", "year", "month"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "year", "month"], name="projects_exemption_unique"
            ),
            models.CheckConstraint(
                condition=Q(month__gte=1, month__lte=12), name="projects_exemption_month"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.year}-{self.month:02d}"


class RatingStatus(models.TextChoices):
    PROPOSED = "proposed", _("待审定")
    PUBLISHED = "published", _("已发布")


class QuarterRating(models.Model):
    """A quarter's red flags and snails (季通报): proposed by the rules, reviewed, published."""

    project_list = models.ForeignKey(
        ProjectList,
        verbose_name=_("重点项目清单"),
        on_delete=models.PROTECT,
        related_name="ratings",
    )
    quarter = models.PositiveSmallIntegerField(_("季度"))
    rule_version = models.ForeignKey(
        LightRuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=RatingStatus.choices, default=RatingStatus.PROPOSED
    )
    proposed_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("季度通报")
        verbose_name_plural = _("季度通报")
        ordering = ["project_list", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_list", "quarter"], name="projects_rating_unique"
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="projects_rating_quarter"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.project_list} · {self.label}"

    @property
    def label(self) -> str:
        return str(_("%(year)s年第%(q)s季度") % {"year": self.project_list.year, "q": self.quarter})


class RatingKind(models.TextChoices):
    RED_FLAG = "red_flag", _("红旗项目")
    SNAIL = "snail", _("蜗牛项目")


class RatingOrigin(models.TextChoices):
    PROPOSED = "proposed", _("按规则提出")
    ADDED = "added", _("审定增列")


class RatingEntry(models.Model):
    """One project named a red flag or a snail in a quarter: by the rules or added on review;
    a removal on review keeps the row with its written reason."""

    rating = models.ForeignKey(
        QuarterRating, verbose_name=_("季度通报"), on_delete=models.CASCADE, related_name="entries"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="rating_entries"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=RatingKind.choices)
    origin = models.CharField(_("来源"), max_length=10, choices=RatingOrigin.choices)
    composite = models.FloatField(_("综合得分"), null=True, blank=True)
    rank = models.PositiveIntegerField(_("名次"), null=True, blank=True)
    reasons = models.CharField(_("依据"), max_length=200, blank=True)
    removed = models.BooleanField(_("已审定删除"), default=False)
    note = models.TextField(_("审定理由"), blank=True)

    class Meta:
        verbose_name = _("通报项目")
        verbose_name_plural = _("通报项目")
        ordering = ["rating", "kind", "rank", "project__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["rating", "project", "kind"], name="projects_rating_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.rating} · {self.get_kind_display()} · {self.project}"


class CardState(models.TextChoices):
    """The engine's card states (saima.engine.progress.CardState), in words."""

    NONE = "none", _("无")
    SNAIL = "snail", _("蜗牛项目")
    YELLOW_CARD = "yellow_card", _("黄牌警告")
    CLEARED = "cleared", _("整改到位")
    RED_CARD = "red_card", _("红牌退场")


class Card(models.Model):
    """A project's card (黄牌警告、红牌退场): its state and, for a yellow card, the rectification
    plan (整改方案) and deadline month. Every transition is a ``CardEvent``."""

    project_list = models.ForeignKey(
        ProjectList, verbose_name=_("重点项目清单"), on_delete=models.PROTECT, related_name="cards"
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="cards"
    )
    state = models.CharField(
        _("状态"), max_length=12, choices=CardState.choices, default=CardState.NONE
    )
    plan = models.TextField(_("整改方案"), blank=True)
    deadline_year = models.PositiveSmallIntegerField(_("整改期限（年）"), null=True, blank=True)
    deadline_month = models.PositiveSmallIntegerField(_("整改期限（月）"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("黄牌红牌")
        verbose_name_plural = _("黄牌红牌")
        ordering = ["project_list", "project__code"]
        constraints = [
            models.UniqueConstraint(fields=["project_list", "project"], name="projects_card_unique")
        ]

    def __str__(self) -> str:
        return f"{self.project} · {self.get_state_display()}"


class CardEvent(models.Model):
    """One transition of a card, as it happened: from, to, who, why (kept for ever)."""

    card = models.ForeignKey(
        Card, verbose_name=_("牌"), on_delete=models.CASCADE, related_name="events"
    )
    from_state = models.CharField(_("原状态"), max_length=12, choices=CardState.choices)
    to_state = models.CharField(_("新状态"), max_length=12, choices=CardState.choices)
    reason = models.TextField(_("理由"), blank=True)
    plan = models.TextField(_("整改方案"), blank=True)
    deadline = models.CharField(_("整改期限"), max_length=7, blank=True)
    rating_entry = models.ForeignKey(
        RatingEntry,
        verbose_name=_("通报依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("牌变更记录")
        verbose_name_plural = _("牌变更记录")
        ordering = ["card", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.card.project} · {self.from_state} → {self.to_state}"


class SupervisionStatus(models.TextChoices):
    OPEN = "open", _("督办中")
    CLOSED = "closed", _("已销号")


class SupervisionItem(models.Model):
    """A supervision item (督查事项) for a snail project: responsible person, required actions,
    due date, progress notes, until closed (销号). Its letter (督办函) prints from this row."""

    project_list = models.ForeignKey(
        ProjectList,
        verbose_name=_("重点项目清单"),
        on_delete=models.PROTECT,
        related_name="supervision_items",
    )
    project = models.ForeignKey(
        Project, verbose_name=_("项目"), on_delete=models.PROTECT, related_name="supervision_items"
    )
    rating_entry = models.OneToOneField(
        RatingEntry,
        verbose_name=_("通报依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_item",
    )
    number = models.CharField(_("督办编号"), max_length=40, unique=True)
    responsible = models.CharField(_("责任人"), max_length=120)
    required_actions = models.TextField(_("督办要求"))
    due_date = models.DateField(_("办结时限"))
    status = models.CharField(
        _("状态"), max_length=8, choices=SupervisionStatus.choices, default=SupervisionStatus.OPEN
    )
    opened_at = models.DateTimeField(_("立项时间"), auto_now_add=True)
    closed_at = models.DateTimeField(_("销号时间"), null=True, blank=True)
    closing_note = models.TextField(_("销号说明"), blank=True)

    class Meta:
        verbose_name = _("督查事项")
        verbose_name_plural = _("督查事项")
        ordering = ["status", "due_date", "number"]

    def __str__(self) -> str:
        return f"{self.number} · {self.project}"


class SupervisionNote(models.Model):
    """A progress note (进展情况) on a supervision item."""

    item = models.ForeignKey(
        SupervisionItem, verbose_name=_("督查事项"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("进展情况"))
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填写人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("督办进展")
        verbose_name_plural = _("督办进展")
        ordering = ["item", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.item.number} · {self.at:%Y-%m-%d}"


class IncentiveProposal(models.Model):
    """A locality's next-year proposal (下一年度中央预算内资金、用地指标) from the year's published
    ratings: counts, amounts and every term of the derivation, with the rule version."""

    project_list = models.ForeignKey(
        ProjectList,
        verbose_name=_("重点项目清单"),
        on_delete=models.PROTECT,
        related_name="incentives",
    )
    locality = models.ForeignKey(
        Unit, verbose_name=_("地区"), on_delete=models.PROTECT, related_name="+"
    )
    rule_version = models.ForeignKey(
        LightRuleVersion, verbose_name=_("规则版本"), on_delete=models.PROTECT, related_name="+"
    )
    red_flags = models.PositiveIntegerField(_("红旗项目"), default=0)
    snails = models.PositiveIntegerField(_("蜗牛项目"), default=0)
    red_cards = models.PositiveIntegerField(_("红牌退场"), default=0)
    funds = models.DecimalField(_("中央预算内资金（万元）"), max_digits=14, decimal_places=2)
    land = models.DecimalField(_("用地指标（亩）"), max_digits=12, decimal_places=2)
    terms = models.JSONField(_("计算过程"), default=dict)
    computed_at = models.DateTimeField(_("计算时间"), auto_now=True)

    class Meta:
        verbose_name = _("激励建议")
        verbose_name_plural = _("激励建议")
        ordering = ["project_list", "locality__path"]
        constraints = [
            models.UniqueConstraint(
                fields=["project_list", "locality"], name="projects_incentive_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_list} · {self.locality}"
