"""Clues about cadres' conduct (线索), their verification, and the awards that follow.

作风建设 in Jinyun's manner (docs/conduct.md): anyone may report a clue about a unit or a
person; discipline officers (纪检监察) verify it; a quarterly round (评定) gives the snail award
(蜗牛奖) from substantiated clues and the red-flag award (红旗奖) with the rotating red flag
(流动红旗); a snail unit rectifies until its item is verified and closed (销号). A round with no
award is recorded as zero harvest (零收获).

Anonymity: a clue keeps the DAY it was received (``received_on``), never a time, and nothing
about the submitter's connection; answers from the submitter likewise. No field here has
``auto_now``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saima.org.models import Person, Unit


class ClueSource(models.TextChoices):
    SOLICITATION = "solicitation", _("公开征集")  # the public form
    INSPECTION = "inspection", _("专项督查")
    REFERRAL = "referral", _("上级转办")
    PUBLIC_REPORT = "public_report", _("群众举报")


OFFICER_SOURCES = (ClueSource.INSPECTION, ClueSource.REFERRAL, ClueSource.PUBLIC_REPORT)


class ClueStatus(models.TextChoices):
    NEW = "new", _("待分派")
    ASSIGNED = "assigned", _("已分派")
    INVESTIGATING = "investigating", _("核查中")
    AWAITING_ANSWER = "awaiting_answer", _("待举报人答复")
    SUBSTANTIATED = "substantiated", _("属实")
    UNSUBSTANTIATED = "unsubstantiated", _("不属实")
    FALSE_ACCUSATION = "false_accusation", _("诬告陷害")


DECISIONS = (ClueStatus.SUBSTANTIATED, ClueStatus.UNSUBSTANTIATED, ClueStatus.FALSE_ACCUSATION)

# Every allowed move of a clue, and no other (tests walk every pair).
TRANSITIONS: frozenset[tuple[str, str]] = frozenset(
    {
        (ClueStatus.NEW, ClueStatus.ASSIGNED),
        (ClueStatus.ASSIGNED, ClueStatus.ASSIGNED),  # handed to another officer
        (ClueStatus.ASSIGNED, ClueStatus.INVESTIGATING),
        (ClueStatus.INVESTIGATING, ClueStatus.ASSIGNED),
        (ClueStatus.INVESTIGATING, ClueStatus.AWAITING_ANSWER),
        (ClueStatus.AWAITING_ANSWER, ClueStatus.INVESTIGATING),  # answered, or question withdrawn
        *((ClueStatus.INVESTIGATING, decision) for decision in DECISIONS),
    }
)


def may_move(current: str, target: str) -> bool:
    return (current, target) in TRANSITIONS


class Clue(models.Model):
    """A clue (线索) about a unit, or a person in it."""

    unit = models.ForeignKey(
        Unit, verbose_name=_("被反映单位"), on_delete=models.PROTECT, related_name="clues"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("被反映人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="clues",
    )
    summary = models.CharField(_("标题"), max_length=120)
    account = models.TextField(_("反映的问题"), max_length=5000)
    happened = models.CharField(_("发生时间"), max_length=60, blank=True)
    source = models.CharField(_("来源"), max_length=16, choices=ClueSource.choices)
    anonymous = models.BooleanField(_("匿名"), default=True)
    submitter_name = models.CharField(_("反映人姓名"), max_length=60, blank=True)
    submitter_contact = models.CharField(_("联系方式"), max_length=100, blank=True)
    received_on = models.DateField(_("收到日期"))  # the day only, by design
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("状态"), max_length=20, choices=ClueStatus.choices, default=ClueStatus.NEW
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承办人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conduct_clues",
    )
    findings = models.TextField(_("核查结论"), blank=True)
    decided_on = models.DateField(_("办结日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办结人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The receipt: a public locator (to find the row) and an Argon2id hash of the secret part.
    receipt_locator = models.CharField(max_length=4, unique=True, null=True, blank=True)
    receipt_hash = models.CharField(max_length=128, blank=True)

    class Meta:
        verbose_name = _("线索")
        verbose_name_plural = _("线索")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["status", "received_on"])]

    def __str__(self) -> str:
        return f"线索 #{self.pk}"

    @property
    def decided(self) -> bool:
        return self.status in DECISIONS

    @property
    def public_status(self) -> str:
        """What the submitter reads with the receipt (a false-accusation finding reads as not
        substantiated there: its consequences are for the officers to pursue)."""
        if self.status in (ClueStatus.NEW, ClueStatus.ASSIGNED):
            return str(_("已受理，等待核查"))
        if self.status == ClueStatus.INVESTIGATING:
            return str(_("核查中"))
        if self.status == ClueStatus.AWAITING_ANSWER:
            return str(_("核查人员向您提了问题，请答复"))
        if self.status == ClueStatus.SUBSTANTIATED:
            return str(_("已办结：反映的问题经核查属实"))
        return str(_("已办结：反映的问题经核查不属实"))

    @property
    def target_label(self) -> str:
        return f"{self.unit.name} · {self.person.name}" if self.person else self.unit.name


class ClueEvidence(models.Model):
    """An evidence picture, re-encoded clean and kept in the database (no file name, no file
    times on disk; nothing under the web root)."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="evidence")
    number = models.PositiveSmallIntegerField(_("序号"))
    content = models.BinaryField()
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField(_("大小"))
    sha256 = models.CharField(max_length=64)

    class Meta:
        verbose_name = _("证据")
        verbose_name_plural = _("证据")
        ordering = ["clue", "number"]
        constraints = [
            models.UniqueConstraint(fields=["clue", "number"], name="conduct_evidence_number")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        suffix = ".png" if self.content_type == "image/png" else ".jpg"
        return f"clue{self.clue_id}-evidence{self.number}{suffix}"


class MessageKind(models.TextChoices):
    NOTE = "note", _("核查记录")  # internal
    QUESTION = "question", _("向反映人提问")
    ANSWER = "answer", _("反映人答复")


class ClueMessage(models.Model):
    """The investigation's thread: officers' notes, questions to the submitter, their answers."""

    clue = models.ForeignKey(Clue, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("类别"), max_length=10, choices=MessageKind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("记录人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    text = models.TextField(_("内容"), max_length=5000)
    written_on = models.DateField(_("日期"))  # the day only: answers come from the submitter

    class Meta:
        verbose_name = _("核查记录")
        verbose_name_plural = _("核查记录")
        ordering = ["clue", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · 线索 #{self.clue_id}"


# ---------------------------------------------------------------- awards


class AwardRound(models.Model):
    """One period's conduct awards (评定) within ``owner``'s scope, quarterly by default."""

    owner = models.ForeignKey(
        Unit, verbose_name=_("评定范围"), on_delete=models.PROTECT, related_name="award_rounds"
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    quarter = models.PositiveSmallIntegerField(_("季度"))
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    published_on = models.DateField(_("发布日期"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发布人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Recorded when published: what the period had (zero harvest is a valid outcome).
    clues_received = models.PositiveIntegerField(_("收到线索"), default=0)
    clues_substantiated = models.PositiveIntegerField(_("查实线索"), default=0)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("评定期")
        verbose_name_plural = _("评定期")
        ordering = ["owner__path", "-year", "-quarter"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "year", "quarter"], name="conduct_round_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.owner.name} {self.year}年第{self.quarter}季度作风评定"

    @property
    def published(self) -> bool:
        return self.published_on is not None

    @property
    def zero_harvest(self) -> bool:
        """零收获: published with no award at all."""
        return self.published and not self.awards.exists()


class AwardKind(models.TextChoices):
    SNAIL = "snail", _("蜗牛奖")
    RED_FLAG = "red_flag", _("红旗奖")


class Award(models.Model):
    round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="awards")
    kind = models.CharField(_("奖项"), max_length=10, choices=AwardKind.choices)
    unit = models.ForeignKey(
        Unit, verbose_name=_("获奖单位"), on_delete=models.PROTECT, related_name="conduct_awards"
    )
    person = models.ForeignKey(
        Person,
        verbose_name=_("责任人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conduct_awards",
    )
    clue = models.ForeignKey(
        Clue,
        verbose_name=_("依据线索"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
    )
    reason = models.CharField(_("事由（公开）"), max_length=300)
    points = models.DecimalField(_("综合考核加减分"), max_digits=6, decimal_places=2, default=0)
    bonus = models.DecimalField(_("绩效奖金增减（元）"), max_digits=10, decimal_places=2, default=0)

    class Meta:
        verbose_name = _("作风奖项")
        verbose_name_plural = _("作风奖项")
        ordering = ["round", "kind", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "clue"],
                condition=models.Q(clue__isnull=False),
                name="conduct_award_clue_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.unit.name}"


class FlagHolding(models.Model):
    """The rotating red flag (流动红旗) of ``owner``'s scope held by ``unit`` from ``round`` on,
    until the next holding."""

    owner = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="flag_holdings")
    unit = models.ForeignKey(
        Unit, verbose_name=_("持旗单位"), on_delete=models.PROTECT, related_name="flags_held"
    )
    round = models.OneToOneField(AwardRound, on_delete=models.CASCADE, related_name="flag")
    reason = models.CharField(_("事由（公开）"), max_length=300)

    class Meta:
        verbose_name = _("流动红旗")
        verbose_name_plural = _("流动红旗")
        ordering = ["owner", "-round__year", "-round__quarter"]

    def __str__(self) -> str:
        return f"流动红旗 · {self.unit.name}"


class RectificationStatus(models.TextChoices):
    OPEN = "open", _("整改中")
    REPORTED = "reported", _("待验收")
    CLOSED = "closed", _("已销号")


class Rectification(models.Model):
    """A snail-awarded unit's rectification item (督察销号): closed only after verification."""

    award = models.OneToOneField(Award, on_delete=models.PROTECT, related_name="rectification")
    unit = models.ForeignKey(
        Unit, verbose_name=_("整改单位"), on_delete=models.PROTECT, related_name="rectifications"
    )
    status = models.CharField(
        _("状态"),
        max_length=10,
        choices=RectificationStatus.choices,
        default=RectificationStatus.OPEN,
    )
    report = models.TextField(_("整改情况"), blank=True)
    reported_on = models.DateField(_("报告日期"), null=True, blank=True)
    verification = models.TextField(_("验收意见"), blank=True)
    closed_on = models.DateField(_("销号日期"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("验收人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("整改事项")
        verbose_name_plural = _("整改事项")
        ordering = ["status", "-pk"]

    def __str__(self) -> str:
        return f"整改 · {self.unit.name}"
