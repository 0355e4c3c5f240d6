"""The supervision list (督查事项) and its progress notes."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saima.projects.models.ratings import RatingEntry
from saima.projects.models.register import Project, ProjectList


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
