"""Clarification (澄清正名): open, verify, conclude, and carry out by letter, face to face or
public notice; the person's consent to a public notice is recorded with its date and who
recorded it, and may be withdrawn (the notice leaves the public page at once).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event, snapshot
from saima.core.notices import notify
from saima.core.publications import publication_changed
from saima.core.referrals import false_accusations
from saima.org.models import Person, User
from saima.safeguards.errors import SafeguardError, refuse
from saima.safeguards.models import (
    MAX_PETITIONS,
    CaseStatus,
    ClarificationCase,
    ClarificationForm,
    Consent,
    Finding,
    Origin,
)
from saima.safeguards.text import clean_text

NOTICE = "safeguards.notice"  # the kind told to ``saima.core.publications``
REFERENCE = re.compile(r"^[a-z_]+\.[a-z_]+:\d+$")  # "conduct.clue:12"


def referral_refusal(person: Person, source_ref: str) -> str | None:
    """A source written as a finding's reference must be a false-accusation finding about this
    person (``saima.core.referrals``) that no case has been opened from yet."""
    if REFERENCE.match(source_ref) and source_ref not in {
        r.ref for r in false_accusations(person.pk)
    }:
        return _("“%(ref)s”不是关于该干部的诬告查实线索") % {"ref": source_ref}
    if (
        source_ref
        and ClarificationCase.objects.filter(person=person, source_ref=source_ref).exists()
    ):
        return _("已据“%(ref)s”受理过该干部的澄清正名") % {"ref": source_ref}
    return None


def case_open(
    *,
    actor: Any,
    person: Person,
    allegation: str,
    petitions: int = 0,
    source_ref: str = "",
) -> ClarificationCase:
    """Opened by the handling office (also from a false-accusation finding, named by
    ``source_ref``), or applied for in writing by the accused themself."""
    allegation = clean_text(allegation, _("被反映问题"))
    source_ref = clean_text(source_ref, _("来源"), required=False, limit=80)
    if not 0 <= petitions <= MAX_PETITIONS:
        raise SafeguardError(_("信访件数应在 0 到 %(max)d 之间") % {"max": MAX_PETITIONS})
    refuse(referral_refusal(person, source_ref))
    origin = Origin.PERSON if getattr(actor, "person_id", None) == person.pk else Origin.OFFICE
    try:
        with transaction.atomic():
            case = _create_case(actor, person, origin, allegation, petitions, source_ref)
    except IntegrityError as exc:  # the same finding opened twice at once
        raise SafeguardError(
            _("已据“%(ref)s”受理过该干部的澄清正名") % {"ref": source_ref}
        ) from exc
    return case


def _create_case(
    actor: Any, person: Person, origin: str, allegation: str, petitions: int, source_ref: str
) -> ClarificationCase:
    case = ClarificationCase.objects.create(
        person=person,
        unit=person.unit,
        origin=origin,
        source_ref=source_ref,
        allegation=allegation,
        petitions=petitions,
        opened_by=actor,
    )
    record_event(
        actor=actor,
        action="safeguards.case.open",
        obj=case,
        after=snapshot(case, ["person", "unit", "origin", "source_ref", "allegation", "petitions"]),
    )
    return case


def _locked(case: ClarificationCase) -> ClarificationCase:
    return ClarificationCase.objects.select_for_update().get(pk=case.pk)


def verify_refusal(case: ClarificationCase) -> str | None:
    return None if case.status == CaseStatus.OPENED else _("只有已受理的案件可以登记核实结论")


def case_verify(
    *, actor: Any, case: ClarificationCase, finding: str, verification: str
) -> ClarificationCase:
    """已受理 → 已核实: what the check found, and the conclusion."""
    if finding not in Finding.values:
        raise SafeguardError(_("请选择核实结论"))
    verification = clean_text(verification, _("核实情况"))
    with transaction.atomic():
        case = _locked(case)
        refuse(verify_refusal(case))
        case.status = CaseStatus.VERIFIED
        case.finding, case.verification = finding, verification
        case.verified_by, case.verified_at = actor, timezone.now()
        case.save()
        record_event(
            actor=actor,
            action="safeguards.case.verify",
            obj=case,
            before={"status": CaseStatus.OPENED},
            after={"status": case.status, "finding": finding, "verification": verification},
        )
    return case


def active_consent(case: ClarificationCase) -> Consent | None:
    return case.consents.filter(withdrawn_at=None).order_by("-recorded_at", "-pk").first()


def clarify_refusal(case: ClarificationCase, form: str | None = None) -> str | None:
    if case.status != CaseStatus.VERIFIED:
        return _("只有已核实的案件可以澄清")
    if case.finding == Finding.SUBSTANTIATED:
        return _("反映属实，不予澄清")
    if form == ClarificationForm.PUBLIC_NOTICE and active_consent(case) is None:
        return _("公开通报须本人书面同意，请先登记本人同意")
    return None


def case_clarify(
    *, actor: Any, case: ClarificationCase, form: str, statement: str
) -> ClarificationCase:
    """已核实 → 已澄清, by letter, face to face, or public notice (with consent only)."""
    if form not in ClarificationForm.values:
        raise SafeguardError(_("请选择澄清方式"))
    statement = clean_text(statement, _("澄清内容"))
    with transaction.atomic():
        case = _locked(case)
        refuse(clarify_refusal(case, form))
        case.status = CaseStatus.CLARIFIED
        case.form, case.statement = form, statement
        case.clarified_by, case.clarified_at = actor, timezone.now()
        case.save()
        record_event(
            actor=actor,
            action="safeguards.case.clarify",
            obj=case,
            before={"status": CaseStatus.VERIFIED},
            after={"status": case.status, "form": form, "statement": statement},
        )
        if form == ClarificationForm.PUBLIC_NOTICE:
            publication_changed(kind=NOTICE, object_id=case.pk)
        cadre = User.objects.filter(person_id=case.person_id).first()
        if cadre is not None:
            notify(
                [cadre],
                _("您的澄清正名已办结：%(form)s") % {"form": case.get_form_display()},
                statement,
                reverse("safeguards:case", args=[case.pk]),
            )
    return case


def close_refusal(case: ClarificationCase) -> str | None:
    if case.status != CaseStatus.VERIFIED or case.finding != Finding.SUBSTANTIATED:
        return _("只有核实为反映属实的案件可以办结不予澄清")
    return None


def case_close(*, actor: Any, case: ClarificationCase, reason: str) -> ClarificationCase:
    """已核实 (反映属实) → 已办结: nothing to clear."""
    reason = clean_text(reason, _("办结说明"))
    with transaction.atomic():
        case = _locked(case)
        refuse(close_refusal(case))
        case.status, case.statement = CaseStatus.CLOSED, reason
        case.clarified_by, case.clarified_at = actor, timezone.now()
        case.save()
        record_event(
            actor=actor,
            action="safeguards.case.close",
            obj=case,
            before={"status": CaseStatus.VERIFIED},
            after={"status": case.status, "reason": reason},
        )
    return case


def consent_refusal(case: ClarificationCase) -> str | None:
    if case.status == CaseStatus.CLOSED or case.finding == Finding.SUBSTANTIATED:
        return _("该案件不予澄清，无需登记公开通报同意")
    if active_consent(case) is not None:
        return _("已登记本人同意")
    return None


def consent_record(*, actor: Any, case: ClarificationCase, given_on: dt.date) -> Consent:
    """The person's written consent to a public notice, as of ``given_on``."""
    if given_on > timezone.localdate():
        raise SafeguardError(_("同意日期不能晚于今天"))
    with transaction.atomic():
        case = _locked(case)
        refuse(consent_refusal(case))
        consent = Consent.objects.create(case=case, given_on=given_on, recorded_by=actor)
        case.notice_withdrawn_at = None
        case.save(update_fields=["notice_withdrawn_at"])
        record_event(
            actor=actor,
            action="safeguards.consent.record",
            obj=case,
            after={"consent": consent.pk, "given_on": given_on},
        )
        if case.form == ClarificationForm.PUBLIC_NOTICE:  # a notice withdrawn earlier returns
            publication_changed(kind=NOTICE, object_id=case.pk)
    return consent


def withdraw_refusal(case: ClarificationCase) -> str | None:
    return None if active_consent(case) is not None else _("没有可撤回的同意")


def consent_withdraw(*, actor: Any, case: ClarificationCase) -> Consent:
    """Withdraw the consent; a published notice leaves the public page with it."""
    with transaction.atomic():
        case = _locked(case)
        refuse(withdraw_refusal(case))
        consent = active_consent(case)
        assert consent is not None
        now = timezone.now()
        consent.withdrawn_at, consent.withdrawn_by = now, actor
        consent.save(update_fields=["withdrawn_at", "withdrawn_by"])
        published = case.form == ClarificationForm.PUBLIC_NOTICE
        if published:
            case.notice_withdrawn_at = now
            case.save(update_fields=["notice_withdrawn_at"])
        record_event(
            actor=actor,
            action="safeguards.consent.withdraw",
            obj=case,
            before={"consent": consent.pk},
            after={"withdrawn_at": now, "notice_withdrawn": published},
        )
        if published:  # every kept copy of a page showing the notice ends with the commit
            publication_changed(kind=NOTICE, object_id=case.pk)
    return consent
