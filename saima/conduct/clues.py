"""Writing clues: the public intake, officers' entry, and every step of verification.

Each function is one transaction with its audit event. The state rules (``*_refusal``) are
asked by the action objects for the page and again here under the row lock.

Anonymity (docs/conduct.md): ``clue_submit`` and ``clue_answer`` are called for visitors nobody
knows; they record the day only (``received_on``, ``written_on``, and the audit event's time
via ``record_event(day_only=True)``), take nothing from the request, and the evidence is
re-encoded from its pixels (``saima.core.uploads.clean_image``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.conduct import receipts
from saima.conduct.errors import ConductError, refuse
from saima.conduct.models import (
    DECISIONS,
    OFFICER_SOURCES,
    Clue,
    ClueEvidence,
    ClueMessage,
    ClueSource,
    ClueStatus,
    MessageKind,
    may_move,
)
from saima.conduct.permissions import may_be_assigned, may_enter_clue_about
from saima.core.audit import record_event
from saima.core.uploads import CleanImage, UploadRefused, clean_image
from saima.org.models import Person, Unit

MAX_EVIDENCE_FILES = 3
MAX_EVIDENCE_BYTES = 8 * 1024 * 1024


@dataclass(frozen=True)
class ClueInput:
    """What a clue says, from the public form or an officer's entry."""

    unit: Unit
    summary: str
    account: str
    person: Person | None = None
    happened: str = ""
    anonymous: bool = True
    submitter_name: str = ""
    submitter_contact: str = ""


def clean_evidence(uploads: Sequence[UploadedFile[Any]]) -> list[CleanImage]:
    """Every evidence picture re-encoded, or ``ConductError`` naming the file's place (its own
    name is not repeated: it may say who took it)."""
    if len(uploads) > MAX_EVIDENCE_FILES:
        raise ConductError(_("最多上传 %(n)s 个证据文件") % {"n": MAX_EVIDENCE_FILES})
    cleaned = []
    for number, upload in enumerate(uploads, start=1):
        try:
            cleaned.append(clean_image(upload, max_bytes=MAX_EVIDENCE_BYTES))
        except UploadRefused as exc:
            raise ConductError(
                _("第 %(n)s 个证据文件：%(reason)s") % {"n": number, "reason": exc}
            ) from None
    return cleaned


def _check_input(data: ClueInput) -> None:
    if not data.summary.strip() or not data.account.strip():
        raise ConductError(_("请填写标题和反映的问题"))
    if data.person is not None and data.person.unit_id != data.unit.pk:
        raise ConductError(_("被反映人不属于所选单位"))
    if not data.anonymous and not data.submitter_name.strip():
        raise ConductError(_("实名反映请填写姓名，或选择匿名"))


def _new_clue(data: ClueInput, *, source: str, entered_by: Any = None) -> Clue:
    return Clue(
        unit=data.unit,
        person=data.person,
        summary=data.summary.strip(),
        account=data.account.strip(),
        happened=data.happened.strip(),
        source=source,
        anonymous=data.anonymous,
        submitter_name="" if data.anonymous else data.submitter_name.strip(),
        submitter_contact="" if data.anonymous else data.submitter_contact.strip(),
        received_on=timezone.localdate(),
        entered_by=entered_by,
    )


def _save_evidence(clue: Clue, pictures: list[CleanImage]) -> None:
    ClueEvidence.objects.bulk_create(
        ClueEvidence(
            clue=clue,
            number=number,
            content=picture.content,
            content_type=picture.content_type,
            size=len(picture.content),
            sha256=hashlib.sha256(picture.content).hexdigest(),
        )
        for number, picture in enumerate(pictures, start=1)
    )


def _facts(clue: Clue, pictures: list[CleanImage]) -> dict[str, Any]:
    """What the audit event records of a new clue (the day, never a time)."""
    return {
        "unit": clue.unit_id,
        "person": clue.person_id,
        "source": clue.source,
        "anonymous": clue.anonymous,
        "received_on": clue.received_on,
        "summary": clue.summary,
        "evidence_sha256": [hashlib.sha256(p.content).hexdigest() for p in pictures],
    }


def _insert_with_receipt(clue: Clue) -> receipts.Receipt:
    """Save ``clue`` with a fresh receipt; a locator already taken is drawn again."""
    for _attempt in range(20):
        receipt = receipts.new_receipt()
        clue.receipt_locator = receipt.locator
        clue.receipt_hash = receipts.hash_secret(receipt.secret)
        try:
            with transaction.atomic():
                clue.save()
        except IntegrityError:
            if Clue.objects.filter(receipt_locator=receipt.locator).exists():
                clue.pk = None
                continue
            raise
        return receipt
    raise ConductError(_("暂时无法生成回执码，请稍后再试"))  # pragma: no cover - 2^-400


def clue_submit(
    *, data: ClueInput, evidence: Sequence[UploadedFile[Any]] = ()
) -> tuple[Clue, receipts.Receipt]:
    """A clue from the public form (公开征集): no actor, the day only, a receipt for reading
    the status and answering questions (shown once; only its hash is kept)."""
    _check_input(data)
    pictures = clean_evidence(evidence)
    with transaction.atomic():
        clue = _new_clue(data, source=ClueSource.SOLICITATION)
        receipt = _insert_with_receipt(clue)
        _save_evidence(clue, pictures)
        record_event(
            actor=None,
            action="conduct.clue.submit",
            obj=clue,
            after=_facts(clue, pictures),
            day_only=True,
        )
    return clue, receipt


def clue_enter(
    *, actor: Any, data: ClueInput, source: str, evidence: Sequence[UploadedFile[Any]] = ()
) -> Clue:
    """A clue an officer enters: from a special inspection, a referral from above, or a
    report received in person, by letter or by telephone."""
    if source not in OFFICER_SOURCES:
        raise ConductError(_("请选择线索来源：专项督查、上级转办或群众举报"))
    if not may_enter_clue_about(actor, data.unit, data.person.pk if data.person else None):
        raise ConductError(_("只能录入本人纪检监察范围内、且不涉及本人及本单位的线索"))
    _check_input(data)
    pictures = clean_evidence(evidence)
    with transaction.atomic():
        clue = _new_clue(data, source=source, entered_by=actor)
        clue.save()
        _save_evidence(clue, pictures)
        record_event(
            actor=actor, action="conduct.clue.enter", obj=clue, after=_facts(clue, pictures)
        )
    return clue


# ---------------------------------------------------------------- verification


def _locked(clue: Clue) -> Clue:
    return (
        Clue.objects.select_for_update(of=("self",))
        .select_related("unit", "person")
        .get(pk=clue.pk)
    )


def move_refusal(clue: Clue, target: str) -> str | None:
    if may_move(clue.status, target):
        return None
    return _("线索当前为“%(now)s”，不能转为“%(to)s”") % {
        "now": clue.get_status_display(),
        "to": ClueStatus(target).label,
    }


def handler_refusal(clue: Clue, user: Any) -> str | None:
    """Steps after assignment are the assignee's."""
    if clue.assignee_id is not None and clue.assignee_id != getattr(user, "pk", None):
        return _("此线索由 %(who)s 承办") % {"who": clue.assignee}
    return None


def ask_refusal(clue: Clue) -> str | None:
    if not clue.receipt_hash:
        return _("此线索没有回执码，无法向反映人提问（请按登记的联系方式联系）")
    return move_refusal(clue, ClueStatus.AWAITING_ANSWER)


def note_refusal(clue: Clue) -> str | None:
    if clue.status not in (ClueStatus.INVESTIGATING, ClueStatus.AWAITING_ANSWER):
        return _("只有核查中的线索可以记录核查情况")
    return None


def _move(actor: Any, clue: Clue, target: str, action: str, **after: Any) -> Clue:
    before = clue.status
    clue.status = target
    clue.save()
    record_event(
        actor=actor,
        action=action,
        obj=clue,
        before={"status": before},
        after={"status": target, **after},
    )
    return clue


def clue_assign(*, actor: Any, clue: Clue, assignee: Any) -> Clue:
    with transaction.atomic():
        clue = _locked(clue)
        refuse(move_refusal(clue, ClueStatus.ASSIGNED))
        if not may_be_assigned(assignee, clue):
            raise ConductError(
                _("%(who)s 不能承办此线索（不在其纪检监察范围内，或涉及其本人或本单位）")
                % {"who": assignee}
            )
        clue.assignee = assignee
        return _move(actor, clue, ClueStatus.ASSIGNED, "conduct.clue.assign", assignee=assignee.pk)


def clue_start(*, actor: Any, clue: Clue) -> Clue:
    with transaction.atomic():
        clue = _locked(clue)
        refuse(move_refusal(clue, ClueStatus.INVESTIGATING) or handler_refusal(clue, actor))
        return _move(actor, clue, ClueStatus.INVESTIGATING, "conduct.clue.start")


def _message(clue: Clue, kind: str, text: str, author: Any) -> ClueMessage:
    if not text.strip():
        raise ConductError(_("请填写内容"))
    return ClueMessage.objects.create(
        clue=clue, kind=kind, text=text.strip(), author=author, written_on=timezone.localdate()
    )


def clue_note(*, actor: Any, clue: Clue, text: str) -> ClueMessage:
    with transaction.atomic():
        clue = _locked(clue)
        refuse(note_refusal(clue) or handler_refusal(clue, actor))
        message = _message(clue, MessageKind.NOTE, text, actor)
        record_event(
            actor=actor,
            action="conduct.clue.note",
            obj=clue,
            after={"message": message.pk, "text": message.text},
        )
        return message


def clue_ask(*, actor: Any, clue: Clue, text: str) -> ClueMessage:
    """A question to the submitter, read with the receipt; the clue waits for the answer."""
    with transaction.atomic():
        clue = _locked(clue)
        refuse(ask_refusal(clue) or handler_refusal(clue, actor))
        message = _message(clue, MessageKind.QUESTION, text, actor)
        _move(actor, clue, ClueStatus.AWAITING_ANSWER, "conduct.clue.ask", question=message.text)
        return message


def clue_resume(*, actor: Any, clue: Clue) -> Clue:
    """Go on without the answer (the question stays on record)."""
    with transaction.atomic():
        clue = _locked(clue)
        if clue.status != ClueStatus.AWAITING_ANSWER:
            raise ConductError(_("此线索没有在等待反映人答复"))
        refuse(handler_refusal(clue, actor))
        return _move(actor, clue, ClueStatus.INVESTIGATING, "conduct.clue.resume")


def answer_refusal(clue: Clue) -> str | None:
    if clue.status != ClueStatus.AWAITING_ANSWER:
        return _("目前没有需要您答复的问题")
    return None


def clue_answer(*, clue: Clue, text: str) -> ClueMessage:
    """The anonymous submitter's answer (the receipt was checked by the caller): the day only."""
    with transaction.atomic():
        clue = _locked(clue)
        refuse(answer_refusal(clue))
        message = _message(clue, MessageKind.ANSWER, text, None)
        clue.status = ClueStatus.INVESTIGATING
        clue.save()
        record_event(
            actor=None,
            action="conduct.clue.answer",
            obj=clue,
            before={"status": ClueStatus.AWAITING_ANSWER},
            after={"status": clue.status, "answer": message.text, "on": message.written_on},
            day_only=True,
        )
        return message


def clue_decide(*, actor: Any, clue: Clue, decision: str, findings: str) -> Clue:
    """Record the findings and decide: substantiated (属实), not substantiated (不属实) or false
    accusation (诬告陷害)."""
    if decision not in DECISIONS:
        raise ConductError(_("请选择核查结论"))
    if not findings.strip():
        raise ConductError(_("请填写核查结论的事实和依据"))
    with transaction.atomic():
        clue = _locked(clue)
        refuse(move_refusal(clue, decision) or handler_refusal(clue, actor))
        clue.findings = findings.strip()
        clue.decided_on = timezone.localdate()
        clue.decided_by = actor
        return _move(actor, clue, decision, "conduct.clue.decide", findings=clue.findings)


def clue_read(*, actor: Any, clue: Clue) -> None:
    """Every read of a clue by an officer is on the record (who read which clue, when)."""
    record_event(actor=actor, action="conduct.clue.read", obj=clue)


def clue_evidence_read(*, actor: Any, evidence: ClueEvidence) -> None:
    record_event(
        actor=actor,
        action="conduct.clue.evidence",
        obj=evidence.clue,
        after={"evidence": evidence.number},
    )


def clue_list_read(*, actor: Any, shown: Sequence[Clue]) -> None:
    """A list of clues shown to an officer is a read of each: one event naming them all."""
    record_event(
        actor=actor,
        action="conduct.clue.list",
        object_type="conduct.clue",
        object_repr=_("线索列表"),
        after={"clues": [clue.pk for clue in shown]},
    )
