"""Ratings: a quarter's red flags and snails, proposed, reviewed and published."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saima.projects.models.lights import LightRuleVersion
from saima.projects.models.register import Project, ProjectList


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
