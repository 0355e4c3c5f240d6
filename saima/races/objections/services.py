"""Objections (异议): a ranked unit disputes a published result within the window; the organiser
answers in writing. Upheld → the organiser corrects the data and publishes a corrected version
(``results.services.result_compute`` with a reason); rejected → the objection stays on record
with its answer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event
from saima.core.notices import notify
from saima.org.models import Unit
from saima.races.errors import RaceError, refuse
from saima.races.models import Objection, ObjectionStatus, Result
from saima.races.reporting.evidence import evidence_check
from saima.races.results.selectors import objection_deadline


def objection_submit(
    *,
    actor: Any,
    result: Result,
    unit: Unit,
    reasons: str,
    evidence: UploadedFile[bytes] | None = None,
    now: dt.datetime | None = None,
) -> Objection:
    now = now or timezone.now()
    if not reasons.strip():
        raise RaceError(_("请写明异议理由"))
    deadline = objection_deadline(result)
    if deadline is None or not result.is_current:
        raise RaceError(_("只能对已发布的现行结果提出异议"))
    if now > deadline:
        raise RaceError(
            _("异议期已于 %(deadline)s 结束") % {"deadline": deadline.strftime("%Y-%m-%d")}
        )
    if not result.rows.filter(unit=unit).exists():
        raise RaceError(_("该单位不在本期结果中"))
    evidence_name = evidence_check(evidence) if evidence is not None else ""
    with transaction.atomic():
        # Lock the result so two submits for one unit run one after the other.
        Result.objects.select_for_update().filter(pk=result.pk).first()
        pending = Objection.objects.filter(
            result=result, unit=unit, status=ObjectionStatus.PENDING
        ).first()
        if pending is not None:
            raise RaceError(
                _(
                    "%(unit)s 对本期结果已有一条待答复的异议（%(when)s 提交），请等待书面答复后再提出"
                )
                % {
                    "unit": unit.name,
                    "when": timezone.localtime(pending.submitted_at).strftime("%Y-%m-%d %H:%M"),
                }
            )
        objection = Objection(result=result, unit=unit, submitted_by=actor, reasons=reasons.strip())
        if evidence is not None:
            objection.evidence.save(evidence_name, evidence, save=False)
        objection.save()
        record_event(
            actor=actor,
            action="races.objection.submit",
            obj=objection,
            after={
                "result": result.pk,
                "unit": unit.code,
                "reasons": objection.reasons,
                "evidence": evidence_name,
            },
        )
    return objection


def answer_refusal(objection: Objection) -> str | None:
    """Why ``objection`` cannot be answered (None while it waits for an answer)."""
    return None if objection.status == ObjectionStatus.PENDING else _("该异议已经答复")


def objection_answer(
    *, actor: Any, objection: Objection, upheld: bool, answer: str, correction: Result | None = None
) -> Objection:
    """Answer in writing. An upheld objection may name the corrected version that resolves it."""
    if not answer.strip():
        raise RaceError(_("请填写书面答复"))
    with transaction.atomic():
        objection = (
            Objection.objects.select_for_update()
            .select_related("result__period", "unit")
            .get(pk=objection.pk)
        )
        refuse(answer_refusal(objection))
        if correction is not None and (
            correction.period_id != objection.result.period_id
            or correction.version <= objection.result.version
        ):
            raise RaceError(_("更正版本必须是同一周期的更新版本"))
        objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.REJECTED
        objection.answer = answer.strip()
        objection.answered_by = actor
        objection.answered_at = timezone.now()
        objection.correction = correction
        objection.save()
        record_event(
            actor=actor,
            action="races.objection.answer",
            obj=objection,
            before={"status": ObjectionStatus.PENDING},
            after={
                "status": objection.status,
                "answer": objection.answer,
                "correction": correction.pk if correction else None,
            },
        )
        link = reverse("races:objection", args=[objection.pk])
        notify(
            [objection.submitted_by],
            _("异议已答复：%(status)s") % {"status": objection.get_status_display()},
            objection.answer,
            link,
        )
    return objection


def objection_link_correction(*, actor: Any, objection: Objection, correction: Result) -> Objection:
    """Attach the corrected version to an upheld objection answered before the correction existed."""
    with transaction.atomic():
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        if objection.status != ObjectionStatus.UPHELD or objection.correction_id:
            raise RaceError(_("只有已成立且尚未关联更正版本的异议可以关联"))
        if correction.period_id != objection.result.period_id:
            raise RaceError(_("更正版本必须属于同一周期"))
        objection.correction = correction
        objection.save(update_fields=["correction"])
        record_event(
            actor=actor,
            action="races.objection.correction",
            obj=objection,
            after={"correction": correction.pk},
        )
    return objection
