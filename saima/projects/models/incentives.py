"""Incentives: a locality's next-year proposal from the year's ratings."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from saima.org.models import Unit
from saima.projects.models.lights import LightRuleVersion
from saima.projects.models.register import ProjectList


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
