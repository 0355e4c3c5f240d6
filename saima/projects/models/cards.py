"""Cards (黄牌警告、红牌退场) and their transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saima.projects.models.ratings import RatingEntry
from saima.projects.models.register import Project, ProjectList


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
