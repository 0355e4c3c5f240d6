"""Bulletins (季通报) and commendations (年表彰): a document per scope and quarter or year.

A ``Bulletin`` holds the document's header (issuing office, document number, title, the lead
and closing paragraphs, addressees, issue date) and its state. Each generation freezes the
content read from published results into a new ``BulletinVersion`` with its draft PDF and DOCX;
publishing renders the final files of the newest version, records their SHA-256 in the audit
chain, and freezes the bulletin for good.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saima.org.models import Unit


class BulletinKind(models.TextChoices):
    QUARTERLY = "quarterly", _("季度通报")
    ANNUAL = "annual", _("年度表彰")


class BulletinStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    GENERATING = "generating", _("生成中")
    READY = "ready", _("待发布")
    FAILED = "failed", _("生成失败")
    PUBLISHED = "published", _("已发布")


STALL_AFTER = dt.timedelta(minutes=10)
EDITABLE = (BulletinStatus.DRAFT, BulletinStatus.READY, BulletinStatus.FAILED)


class Bulletin(models.Model):
    owner = models.ForeignKey(
        Unit, verbose_name=_("发文单位"), on_delete=models.PROTECT, related_name="bulletins"
    )
    kind = models.CharField(_("类别"), max_length=10, choices=BulletinKind.choices)
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"), null=True, blank=True)
    issuer = models.CharField(_("发文机关"), max_length=60)
    doc_number = models.CharField(_("发文字号"), max_length=40)
    title = models.CharField(_("标题"), max_length=120)
    addressees = models.CharField(_("主送机关"), max_length=200, blank=True)
    lead = models.TextField(_("导语"), blank=True)
    closing = models.TextField(_("结语"), blank=True)
    issue_date = models.DateField(_("成文日期"))
    copies_to = models.CharField(_("抄送"), max_length=200, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=BulletinStatus.choices, default=BulletinStatus.DRAFT
    )
    progress = models.PositiveSmallIntegerField(_("进度"), default=0)
    step = models.CharField(_("当前步骤"), max_length=100, blank=True)
    error = models.TextField(_("错误"), blank=True)
    touched_at = models.DateTimeField(null=True, blank=True)  # last progress of a generation
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(_("发布时间"), null=True, blank=True)
    pdf = models.FileField(upload_to="bulletins/published/", blank=True, max_length=255)
    docx = models.FileField(upload_to="bulletins/published/", blank=True, max_length=255)
    pdf_sha256 = models.CharField(max_length=64, blank=True)
    docx_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-year", "-quarter", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "kind", "year", "quarter"],
                condition=Q(quarter__isnull=False),
                name="bulletins_one_per_owner_and_quarter",
            ),
            models.UniqueConstraint(
                fields=["owner", "kind", "year"],
                condition=Q(quarter__isnull=True),
                name="bulletins_one_per_owner_and_year",
            ),
            models.CheckConstraint(
                condition=(Q(kind="quarterly") & Q(quarter__gte=1) & Q(quarter__lte=4))
                | (Q(kind="annual") & Q(quarter__isnull=True)),
                name="bulletins_quarter_matches_kind",
            ),
            models.UniqueConstraint(
                fields=["doc_number"],
                condition=Q(status="published"),
                name="bulletins_published_doc_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.doc_number} {self.title}"

    @property
    def period_label(self) -> str:
        if self.kind == BulletinKind.ANNUAL:
            return _("%(year)s年度") % {"year": self.year}
        return _("%(year)s年第%(n)s季度") % {"year": self.year, "n": self.quarter}

    @property
    def editable(self) -> bool:
        return self.status in EDITABLE

    @property
    def busy(self) -> bool:
        return self.status == BulletinStatus.GENERATING and not self.stalled

    @property
    def stalled(self) -> bool:
        """A generation that made no progress for STALL_AFTER (its worker died): may restart."""
        if self.status != BulletinStatus.GENERATING or self.touched_at is None:
            return False
        return timezone.now() - self.touched_at > STALL_AFTER


class BulletinVersion(models.Model):
    """One generation: the content frozen from published results, and its draft files."""

    bulletin = models.ForeignKey(Bulletin, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("版本"))
    header = models.JSONField(default=dict)  # the header fields as they were at generation
    content = models.JSONField(default=dict)
    pdf = models.FileField(upload_to="bulletins/drafts/", max_length=255)
    docx = models.FileField(upload_to="bulletins/drafts/", max_length=255)
    pdf_sha256 = models.CharField(max_length=64)
    docx_sha256 = models.CharField(max_length=64)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["bulletin", "number"], name="bulletins_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.bulletin} v{self.number}"
