"""Lights: the versioned rules, each month's computation (run) and lights, exemptions.

Rules as versioned data; monthly lights stored with the rule version and the inputs that made
them. docs/projects.md (section "Lights, ratings, cards") describes them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saima.projects.models.register import Project, ProjectList


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
