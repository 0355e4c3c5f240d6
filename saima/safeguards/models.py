"""Safeguards for those who act (为担当者担当): fault tolerance (容错) and clarification (澄清正名).

- A reform item (改革事项) carries its tolerance checklist (``Condition``): applicable situations
  (容错情形), policy boundaries (政策界限), criteria (认定标准) and the never-tolerated cases
  (不予容错情形, red lines). Conditions without an item are the default checklist (the 2016
  provincial conditions, seeded by a data migration, editable); a new item starts from a copy.
- A tolerance application (容错申请) names a cadre, an item and the record entries it covers;
  reviewers assess each condition with a reason, then decide: tolerated / partly / refused.
- A clarification case (澄清正名) is opened by the handling office or by the accused in writing;
  it is verified, concluded, and carried out by letter, face to face or by public notice. A
  public notice is public only while the person's recorded consent stands.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saima.org.models import Person, Unit

TEXT_LIMIT = 5000  # characters in any free-text field (a statement, a reason, a notice)
MAX_PETITIONS = 100_000  # petitions (信访件数) one case may record


class ReformItem(models.Model):
    """改革事项: a key reform task, with its own tolerance checklist."""

    owner = models.ForeignKey(
        Unit, verbose_name=_("责任单位"), on_delete=models.PROTECT, related_name="reform_items"
    )
    name = models.CharField(_("改革事项"), max_length=120)
    description = models.TextField(_("说明"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("改革事项")
        verbose_name_plural = _("改革事项")
        ordering = ["owner__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["owner", "name"], name="safeguards_item_unique_name")
        ]

    def __str__(self) -> str:
        return self.name


class ConditionKind(models.TextChoices):
    SITUATION = "situation", _("容错情形")
    BOUNDARY = "boundary", _("政策界限")
    CRITERION = "criterion", _("认定标准")
    RED_LINE = "red_line", _("不予容错情形")


class Condition(models.Model):
    """One line of a checklist; ``item`` None: the default checklist new items copy."""

    item = models.ForeignKey(
        ReformItem,
        verbose_name=_("改革事项"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conditions",
    )
    kind = models.CharField(_("类别"), max_length=16, choices=ConditionKind.choices)
    text = models.CharField(_("内容"), max_length=300)
    position = models.PositiveSmallIntegerField(_("顺序"), default=0)
    active = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("容错清单条目")
        verbose_name_plural = _("容错清单条目")
        ordering = ["item_id", "position", "pk"]

    def __str__(self) -> str:
        return self.text

    @property
    def is_red_line(self) -> bool:
        return self.kind == ConditionKind.RED_LINE


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待受理")
    UNDER_REVIEW = "under_review", _("审查中")
    TOLERATED = "tolerated", _("予以容错")
    PARTLY = "partly", _("部分容错")
    REFUSED = "refused", _("不予容错")


DECIDED = (ApplicationStatus.TOLERATED, ApplicationStatus.PARTLY, ApplicationStatus.REFUSED)


class Origin(models.TextChoices):
    PERSON = "person", _("本人书面申请")
    OFFICE = "office", _("组织（纪检监察机关）提出")


class ToleranceApplication(models.Model):
    """容错申请: an error in a reform item, judged against the item's checklist."""

    item = models.ForeignKey(
        ReformItem,
        verbose_name=_("改革事项"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(_("提出方式"), max_length=8, choices=Origin.choices)
    facts = models.TextField(_("失误情况"))
    remedy = models.TextField(_("挽回损失、消除影响情况"), blank=True)
    covers = models.JSONField(_("涉及的考核记录"), default=list, blank=True)
    status = models.CharField(
        _("状态"), max_length=16, choices=ApplicationStatus.choices, default="submitted"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("提出时间"), auto_now_add=True)
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    excused = models.JSONField(_("免予负面考核的记录"), default=list, blank=True)
    decision_reason = models.TextField(_("决定理由"), blank=True)
    red_lines = models.TextField(_("触及的不予容错情形"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("容错申请")
        verbose_name_plural = _("容错申请")
        ordering = ["-submitted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.item.name}"

    @property
    def decided(self) -> bool:
        return self.status in DECIDED


class Assessment(models.Model):
    """A reviewer's finding on one condition: holds (符合 / 触及) or not, and why."""

    application = models.ForeignKey(
        ToleranceApplication, on_delete=models.CASCADE, related_name="assessments"
    )
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="assessments")
    holds = models.BooleanField(_("认定"))
    reason = models.TextField(_("理由"))
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assessed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("逐项审查")
        verbose_name_plural = _("逐项审查")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "condition"], name="safeguards_assessment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.condition}"


class CaseStatus(models.TextChoices):
    OPENED = "opened", _("已受理")
    VERIFIED = "verified", _("已核实")
    CLARIFIED = "clarified", _("已澄清")
    CLOSED = "closed", _("已办结（不予澄清）")


class Finding(models.TextChoices):
    FALSE_ACCUSATION = "false_accusation", _("诬告陷害")
    UNTRUE = "untrue", _("反映失实")
    SUBSTANTIATED = "substantiated", _("反映属实")


class ClarificationForm(models.TextChoices):
    LETTER = "letter", _("书面澄清")
    FACE_TO_FACE = "face", _("当面澄清")
    PUBLIC_NOTICE = "notice", _("公开通报")


class ClarificationCase(models.Model):
    """澄清正名: a cadre misunderstood or falsely accused, checked and cleared."""

    person = models.ForeignKey(
        Person, verbose_name=_("干部"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="+"
    )
    origin = models.CharField(_("启动方式"), max_length=8, choices=Origin.choices)
    source_ref = models.CharField(_("来源"), max_length=80, blank=True)
    allegation = models.TextField(_("被反映问题"))
    petitions = models.PositiveIntegerField(_("信访件数"), default=0)
    status = models.CharField(
        _("状态"), max_length=16, choices=CaseStatus.choices, default="opened"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(_("受理时间"), auto_now_add=True)
    finding = models.CharField(_("核实结论"), max_length=20, choices=Finding.choices, blank=True)
    verification = models.TextField(_("核实情况"), blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    verified_at = models.DateTimeField(_("核实时间"), null=True, blank=True)
    form = models.CharField(
        _("澄清方式"), max_length=8, choices=ClarificationForm.choices, blank=True
    )
    statement = models.TextField(_("澄清内容"), blank=True)
    clarified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    clarified_at = models.DateTimeField(_("澄清时间"), null=True, blank=True)
    notice_withdrawn_at = models.DateTimeField(_("通报撤回时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("澄清正名")
        verbose_name_plural = _("澄清正名")
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "source_ref"],
                condition=~models.Q(source_ref=""),
                name="safeguards_case_one_per_source",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person.name} · {self.get_status_display()}"


class Consent(models.Model):
    """The person's consent to a public notice: given on a date, recorded by someone,
    withdrawable. The latest consent without a withdrawal is the one that stands."""

    case = models.ForeignKey(ClarificationCase, on_delete=models.CASCADE, related_name="consents")
    given_on = models.DateField(_("本人同意日期"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("撤回时间"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("公开通报同意")
        verbose_name_plural = _("公开通报同意")
        ordering = ["-recorded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.given_on}"
