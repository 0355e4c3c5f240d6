"""The register (项目库): year lists, projects, their list memberships and annual plans."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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
    rating rules are versioned per list by the lights models (``lights``).
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
