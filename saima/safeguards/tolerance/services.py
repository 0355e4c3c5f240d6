"""Fault tolerance (容错): reform items and their checklists, applications, review, decision.

Every write runs in one transaction with its audit event; a step's state rule is one function
(``*_refusal``) asked by the action for the page and again here under the row lock.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event, snapshot
from saima.core.notices import notify
from saima.core.records import record_of
from saima.org.models import Person, Unit, User
from saima.safeguards.checklist import DEFAULT_CHECKLIST
from saima.safeguards.errors import SafeguardError, refuse
from saima.safeguards.models import (
    DECIDED,
    ApplicationStatus,
    Assessment,
    Condition,
    ConditionKind,
    Origin,
    ReformItem,
    ToleranceApplication,
)
from saima.safeguards.text import clean_text

# ---------------------------------------------------------------- items and checklists


def _default_checklist() -> list[Condition]:
    """The active default conditions. Migration 0002 seeds them; a database emptied since (a
    ``flush``, a test that truncates tables) gets them again here rather than items with no
    checklist at all. Defaults an officer has retired stay retired: only an absent checklist is
    re-seeded."""
    if not Condition.objects.filter(item=None).exists():
        Condition.objects.bulk_create(
            Condition(item=None, kind=kind, text=text, position=index)
            for index, (kind, text) in enumerate(DEFAULT_CHECKLIST, start=1)
        )
    return list(Condition.objects.filter(item=None, active=True).order_by("position", "pk"))


def item_create(*, actor: Any, owner: Unit, name: str, description: str = "") -> ReformItem:
    """A reform item whose checklist starts as a copy of the default checklist."""
    name = clean_text(name, _("改革事项名称"), limit=120)
    description = clean_text(description, _("说明"), required=False)
    with transaction.atomic():
        if ReformItem.objects.filter(owner=owner, name=name).exists():
            raise SafeguardError(_("本单位已有同名的改革事项"))
        item = ReformItem.objects.create(owner=owner, name=name, description=description)
        defaults = _default_checklist()
        Condition.objects.bulk_create(
            Condition(item=item, kind=c.kind, text=c.text, position=c.position) for c in defaults
        )
        record_event(
            actor=actor,
            action="safeguards.item.create",
            obj=item,
            after={**snapshot(item), "checklist": [c.text for c in item.conditions.all()]},
        )
    return item


def condition_edit_refusal(condition: Condition) -> str | None:
    if condition.assessments.exists():
        return _("该条目已用于审查，不能修改内容；可停用后新增条目")
    return None


def condition_save(
    *,
    actor: Any,
    item: ReformItem | None,
    kind: str,
    text: str,
    condition: Condition | None = None,
) -> Condition:
    """Add a line to ``item``'s checklist (None: the default checklist), or change one."""
    text = clean_text(text, _("条目内容"), limit=300)
    if kind not in ConditionKind.values:
        raise SafeguardError(_("请选择条目类别"))
    with transaction.atomic():
        before = None
        if condition is None:
            last = Condition.objects.filter(item=item).aggregate(m=Max("position"))["m"] or 0
            condition = Condition(item=item, position=last + 1)
        else:
            condition = Condition.objects.select_for_update().get(pk=condition.pk)
            refuse(condition_edit_refusal(condition))
            before = snapshot(condition, ["kind", "text"])
        condition.kind, condition.text = kind, text
        condition.save()
        record_event(
            actor=actor,
            action="safeguards.condition.save",
            obj=item,
            object_type="safeguards.condition",
            object_id=str(condition.pk),
            object_repr=text[:255],
            before=before,
            after=snapshot(condition),
        )
    return condition


def condition_set_active(*, actor: Any, condition: Condition, active: bool) -> Condition:
    with transaction.atomic():
        condition = Condition.objects.select_for_update().get(pk=condition.pk)
        if condition.active == active:
            return condition
        condition.active = active
        condition.save(update_fields=["active"])
        record_event(
            actor=actor,
            action="safeguards.condition.active",
            obj=condition.item,
            object_type="safeguards.condition",
            object_id=str(condition.pk),
            object_repr=condition.text[:255],
            before={"active": not active},
            after={"active": active},
        )
    return condition


# ---------------------------------------------------------------- applications


def negative_refs(person: Person) -> dict[str, str]:
    """The person's record entries that count against them: ref → title."""
    return {
        entry.ref: entry.title
        for section in record_of(person)
        for entry in section.entries
        if entry.negative
    }


def application_submit(
    *,
    actor: Any,
    item: ReformItem,
    person: Person,
    facts: str,
    remedy: str = "",
    covers: list[str] | None = None,
) -> ToleranceApplication:
    """The cadre's written application, or the office's proposal (``origin`` follows who asks)."""
    facts = clean_text(facts, _("失误情况"))
    remedy = clean_text(remedy, _("挽回损失、消除影响情况"), required=False)
    covers = sorted(set(covers or []))
    unknown = sorted(set(covers) - set(negative_refs(person)))
    if unknown:
        raise SafeguardError(
            _("所选考核记录不属于该干部的负面考核事项：%(refs)s") % {"refs": "、".join(unknown)}
        )
    if not person.unit.is_within(item.owner):
        raise SafeguardError(_("该干部所在单位不在此改革事项的范围内"))
    origin = Origin.PERSON if getattr(actor, "person_id", None) == person.pk else Origin.OFFICE
    with transaction.atomic():
        application = ToleranceApplication.objects.create(
            item=item,
            person=person,
            unit=person.unit,
            origin=origin,
            facts=facts,
            remedy=remedy,
            covers=covers,
            submitted_by=actor,
        )
        record_event(
            actor=actor,
            action="safeguards.application.submit",
            obj=application,
            after=snapshot(application, ["item", "person", "unit", "origin", "facts", "covers"]),
        )
    return application


def accept_refusal(application: ToleranceApplication) -> str | None:
    if application.status != ApplicationStatus.SUBMITTED:
        return _("只有待受理的申请可以受理")
    return None


def application_accept(*, actor: Any, application: ToleranceApplication) -> ToleranceApplication:
    """待受理 → 审查中: the reviewer takes the application on."""
    with transaction.atomic():
        application = ToleranceApplication.objects.select_for_update().get(pk=application.pk)
        refuse(accept_refusal(application))
        application.status = ApplicationStatus.UNDER_REVIEW
        application.reviewer = actor
        application.save(update_fields=["status", "reviewer"])
        record_event(
            actor=actor,
            action="safeguards.application.accept",
            obj=application,
            before={"status": ApplicationStatus.SUBMITTED},
            after={"status": application.status},
        )
    return application


def assess_refusal(application: ToleranceApplication) -> str | None:
    if application.status != ApplicationStatus.UNDER_REVIEW:
        return _("只有审查中的申请可以逐项审查")
    return None


def assessment_record(
    *,
    actor: Any,
    application: ToleranceApplication,
    condition: Condition,
    holds: bool,
    reason: str,
) -> Assessment:
    """The reviewer's finding on one condition of the item's checklist, with its reason."""
    reason = clean_text(reason, _("审查理由"))
    with transaction.atomic():
        application = ToleranceApplication.objects.select_for_update().get(pk=application.pk)
        refuse(assess_refusal(application))
        if condition.item_id != application.item_id or not condition.active:
            raise SafeguardError(_("该条目不在本事项的容错清单中"))
        existing = Assessment.objects.filter(application=application, condition=condition).first()
        before = snapshot(existing, ["holds", "reason"]) if existing else None
        assessment, _created = Assessment.objects.update_or_create(
            application=application,
            condition=condition,
            defaults={"holds": holds, "reason": reason, "assessed_by": actor},
        )
        record_event(
            actor=actor,
            action="safeguards.application.assess",
            obj=application,
            before=before,
            after={
                "condition": condition.pk,
                "text": condition.text,
                "holds": holds,
                "reason": reason,
            },
        )
    return assessment


def checklist_of(application: ToleranceApplication) -> list[Condition]:
    return list(application.item.conditions.filter(active=True).order_by("position", "pk"))


def red_lines_touched(application: ToleranceApplication) -> list[str]:
    return list(
        application.assessments.filter(condition__kind=ConditionKind.RED_LINE, holds=True)
        .order_by("condition__position")
        .values_list("condition__text", flat=True)
    )


def decide_refusal(application: ToleranceApplication, outcome: str | None = None) -> str | None:
    """Why the decision cannot be taken (or cannot be ``outcome``): None when it can."""
    if application.status in DECIDED:
        return _("该申请已作出决定")
    if application.status != ApplicationStatus.UNDER_REVIEW:
        return _("请先受理并逐项审查")
    findings = {a.condition_id: a.holds for a in application.assessments.all()}
    missing = [c for c in checklist_of(application) if c.pk not in findings]
    if missing:
        return _("还有 %(count)d 项未审查：%(first)s") % {
            "count": len(missing),
            "first": missing[0].text,
        }
    if outcome is None or outcome == ApplicationStatus.REFUSED:
        return None
    touched = red_lines_touched(application)
    if touched:
        return _("触及不予容错情形「%(line)s」，只能不予容错") % {"line": touched[0]}
    conditions = [c for c in checklist_of(application) if not c.is_red_line]
    met = [c for c in conditions if findings[c.pk]]
    if outcome == ApplicationStatus.TOLERATED and len(met) < len(conditions):
        return _("有 %(count)d 项条件不符合，不能全部容错（可部分容错或不予容错）") % {
            "count": len(conditions) - len(met)
        }
    if outcome == ApplicationStatus.PARTLY and not met:
        return _("没有符合的条件，不能部分容错")
    return None


def _excused(
    application: ToleranceApplication, outcome: str, excused: list[str] | None
) -> list[str]:
    """What the decision leaves out of negative assessment: every covered entry when tolerated,
    those the decider names when partly, nothing when refused."""
    if outcome == ApplicationStatus.TOLERATED:
        return list(application.covers)
    if outcome == ApplicationStatus.REFUSED:
        return []
    chosen = sorted(set(excused or []))
    if set(chosen) - set(application.covers):
        raise SafeguardError(_("免责的记录必须是申请涉及的考核记录"))
    return chosen


def application_decide(
    *,
    actor: Any,
    application: ToleranceApplication,
    outcome: str,
    reason: str,
    excused: list[str] | None = None,
) -> ToleranceApplication:
    """审查中 → 予以容错 / 部分容错 / 不予容错. A touched red line allows refusal only, and the
    decision names it. A tolerated error (``excused``) is marked on the person's record and left
    out of the negative assessment items."""
    if outcome not in DECIDED:
        raise SafeguardError(_("请选择决定"))
    reason = clean_text(reason, _("决定理由"))
    with transaction.atomic():
        application = ToleranceApplication.objects.select_for_update().get(pk=application.pk)
        refuse(decide_refusal(application, outcome))
        touched = red_lines_touched(application)
        application.status = outcome
        application.excused = _excused(application, outcome, excused)
        application.decision_reason = reason
        application.red_lines = "；".join(touched)
        application.decided_by = actor
        application.decided_at = timezone.now()
        application.save()
        record_event(
            actor=actor,
            action="safeguards.application.decide",
            obj=application,
            before={"status": ApplicationStatus.UNDER_REVIEW},
            after={
                "status": outcome,
                "reason": reason,
                "red_lines": touched,
                "covers": application.covers,
                "excused": application.excused,
            },
        )
        _tell_decision(application)
    return application


def _tell_decision(application: ToleranceApplication) -> None:
    """The cadre (if they have a login) and whoever submitted the application hear of it."""
    recipients = {application.submitted_by_id: application.submitted_by}
    cadre = User.objects.filter(person_id=application.person_id).first()
    if cadre is not None:
        recipients[cadre.pk] = cadre
    notify(
        recipients.values(),
        _("容错申请已作出决定：%(status)s") % {"status": application.get_status_display()},
        application.decision_reason,
        reverse("safeguards:application", args=[application.pk]),
    )
