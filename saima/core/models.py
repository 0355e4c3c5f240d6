"""The audit log: an append-only, hash-chained record of every change and decision.

Each event stores the SHA-256 of the previous event (``prev_hash``) and its own ``hash`` over
its sequence number, time, actor, action, object, before/after and reason. Altering, deleting,
inserting or reordering any row breaks the chain at that row; ``saima audit verify`` names it.
``AuditHead`` keeps the last sequence number and hash, so deleting the newest rows is caught
too, and serialises appends (``SELECT … FOR UPDATE`` on PostgreSQL).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AppendOnlyError(RuntimeError):
    """Raised on any attempt to change or remove an audit event through the application."""


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only: they cannot be updated")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only: they cannot be deleted")

    def bulk_update(self, *args: Any, **kwargs: Any) -> int:
        raise AppendOnlyError("audit events are append-only: they cannot be updated")


class AuditEvent(models.Model):
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    at = models.DateTimeField(_("时间"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        # DO_NOTHING: deleting a user must not rewrite the events that name them (the id is
        # hashed into the chain); ``actor_label`` keeps the name. Deactivate users instead.
        on_delete=models.DO_NOTHING,
        related_name="+",
        db_constraint=False,
    )
    actor_label = models.CharField(_("操作人"), max_length=150)
    action = models.CharField(_("动作"), max_length=80, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=80, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True, db_index=True)
    object_repr = models.CharField(_("对象"), max_length=255, blank=True)
    # The path of the unit the event concerns ("" for platform-wide events): who may read it.
    scope = models.CharField(_("所属单位路径"), max_length=255, blank=True, db_index=True)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.action} {self.object_repr}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            raise AppendOnlyError("audit events are append-only: they cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise AppendOnlyError("audit events are append-only: they cannot be deleted")


class AuditHead(models.Model):
    """The chain's newest link; one row (pk=1)."""

    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("审计链头")
        verbose_name_plural = _("审计链头")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]}"


class Notice(models.Model):
    """An in-app notice to a user (催办 reminders, decisions, returns)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return self.title


class CalendarDay(models.Model):
    """An exception to the Monday-to-Friday week: a public holiday (休) on a weekday, or a
    make-up working day (调休上班) on a weekend, as the State Council publishes them each year."""

    date = models.DateField(_("日期"), unique=True)
    workday = models.BooleanField(_("上班"), help_text=_("勾选：调休上班日；不勾选：放假"))
    name = models.CharField(_("名称"), max_length=60, help_text=_("如 国庆节、春节调休"))

    class Meta:
        verbose_name = _("工作日历")
        verbose_name_plural = _("工作日历")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class ImportStatus(models.TextChoices):
    """Where an uploaded XLSX/CSV batch stands (the shared import path, ``saima.core.tabular``)."""

    PENDING = "pending", _("排队中")
    RUNNING = "running", _("校验中")
    PREVIEW = "preview", _("待确认")
    FAILED = "failed", _("有错误，未导入")
    CANCELLED = "cancelled", _("已取消")
    APPLIED = "applied", _("已导入")


class ImportBatch(models.Model):
    """What every app's upload keeps: the file, who sent it, where validation stands, the
    problems found (by sheet, row and column), the preview of what confirming would change, and
    ``fingerprint``, the stored state that preview was computed against (a stale preview is
    refused). An app's concrete batch adds what the upload goes into and its own ``file`` path."""

    file = models.FileField(max_length=255)
    filename = models.CharField(_("文件名"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(
        max_length=10, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    total_rows = models.PositiveIntegerField(default=0)
    done_rows = models.PositiveIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=dict, blank=True)
    fingerprint = models.CharField(max_length=64, blank=True)

    class Meta:
        abstract = True
        verbose_name = _("导入")
        verbose_name_plural = _("导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    @property
    def percent(self) -> int:
        """How far validation has gone (100 once it has ended, whichever way)."""
        if self.status not in (ImportStatus.PENDING, ImportStatus.RUNNING):
            return 100
        return int(100 * self.done_rows / self.total_rows) if self.total_rows else 0
