"""Writes for periods, reports, values, evidence, verification and reminders. Each write is one
transaction with an audit event; every refusal is a ``RaceError`` whose message is shown to the
user as is.

Races and their schemes are written in ``saima.races.schemes.services``; computing, freezing and
publishing results in ``saima.races.results.services``; objections in
``saima.races.objections.services``.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event, snapshot
from saima.core.notices import notify
from saima.core.uploads import upload_store
from saima.engine import Scheme
from saima.org.models import Unit
from saima.races.errors import RaceError, refuse
from saima.races.models import (
    Cadence,
    Evidence,
    Period,
    PeriodStatus,
    Race,
    Reminder,
    Report,
    ReportedValue,
    ReportStatus,
)
from saima.races.permissions import EDITABLE_REPORT_STATUSES
from saima.races.reporting.evidence import (
    EVIDENCE_SUFFIXES,
    MAX_EVIDENCE_BYTES,
    evidence_check,
)
from saima.races.reporting.selectors import (
    clean_submitted_report_ids,
    participants_of,
    reporters_of,
)
from saima.races.schemes.selectors import parse_scheme, value_problems

# ---------------------------------------------------------------- periods


def period_open(*, actor: Any, race: Race, year: int, number: int, deadline: dt.datetime) -> Period:
    """Open a round: one report per participating unit, every one 'not started'."""
    limits = {Cadence.QUARTER: (1, 4), Cadence.MONTH: (1, 12), Cadence.YEAR: (0, 0)}[
        Cadence(race.cadence)
    ]
    if not limits[0] <= number <= limits[1]:
        raise RaceError(
            _("周期序号 %(n)s 不在 %(lo)s–%(hi)s 之间")
            % {"n": number, "lo": limits[0], "hi": limits[1]}
        )
    participants = participants_of(race)
    exists = RaceError(_("该周期已经存在"))
    try:
        with transaction.atomic():
            if Period.objects.filter(race=race, year=year, number=number).exists():
                raise exists
            period = Period.objects.create(race=race, year=year, number=number, deadline=deadline)
            Report.objects.bulk_create(
                Report(period=period, unit=unit, group_code=code) for unit, code in participants
            )
            record_event(
                actor=actor,
                action="races.period.open",
                obj=period,
                after={**snapshot(period), "units": len(participants)},
            )
    except IntegrityError:
        # another request opened the same period between the check and the insert
        if Period.objects.filter(race=race, year=year, number=number).exists():
            raise exists from None
        raise
    return period


# What a period's state allows. The action objects (``reporting.actions``) ask these rules for
# the pages' buttons; the services ask them again under the row lock.
CLOSABLE: frozenset[str] = frozenset({PeriodStatus.OPEN})
REOPENABLE: frozenset[str] = frozenset({PeriodStatus.CLOSED})
# verify, return, remind: until the result is computed
REVIEWABLE: frozenset[str] = frozenset({PeriodStatus.OPEN, PeriodStatus.CLOSED})


def period_state_refusal(period: Period, allowed: frozenset[str]) -> str | None:
    """Why ``period`` in its state refuses a step allowed only in ``allowed`` (None if it may)."""
    if period.status in allowed:
        return None
    return _("周期当前状态为「%(status)s」，不能执行此操作") % {
        "status": period.get_status_display()
    }


def _period_transition(
    *, actor: Any, period: Period, source: frozenset[str], target: str, action: str
) -> Period:
    with transaction.atomic():
        period = Period.objects.select_for_update().select_related("race").get(pk=period.pk)
        refuse(period_state_refusal(period, source))
        before = snapshot(period)
        period.status = target
        if target == PeriodStatus.CLOSED:
            period.closed_at = timezone.now()
        period.save()
        record_event(actor=actor, action=action, obj=period, before=before, after=snapshot(period))
    return period


def period_close(*, actor: Any, period: Period) -> Period:
    """Stop reporting; values can then only be verified (or corrected by the organiser)."""
    return _period_transition(
        actor=actor,
        period=period,
        source=CLOSABLE,
        target=PeriodStatus.CLOSED,
        action="races.period.close",
    )


def period_reopen(*, actor: Any, period: Period) -> Period:
    return _period_transition(
        actor=actor,
        period=period,
        source=REOPENABLE,
        target=PeriodStatus.OPEN,
        action="races.period.reopen",
    )


def period_set_deadline(*, actor: Any, period: Period, deadline: dt.datetime) -> Period:
    """Move the reporting deadline, while reporting is open (and arm the automatic reminder again)."""
    with transaction.atomic():
        period = Period.objects.select_for_update().get(pk=period.pk)
        refuse(period_state_refusal(period, CLOSABLE))
        before = snapshot(period)
        period.deadline = deadline
        period.auto_reminded_at = None
        period.save()
        record_event(
            actor=actor,
            action="races.period.deadline",
            obj=period,
            before=before,
            after=snapshot(period),
        )
    return period


# ---------------------------------------------------------------- reports


def clean_value(raw: Any) -> float | None:
    """A finite float, or None for an empty value; RaceError for anything else."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise RaceError(_("「%(value)s」不是数字") % {"value": raw})
    try:
        value = float(raw.strip().replace(",", "")) if isinstance(raw, str) else float(raw)
    except (TypeError, ValueError):
        raise RaceError(_("「%(value)s」不是数字") % {"value": raw}) from None
    if not math.isfinite(value):
        raise RaceError(_("「%(value)s」不是有限的数字") % {"value": raw})
    return value


def _refuse_out_of_bounds(scheme: Scheme, values: Mapping[str, float | None]) -> None:
    """RaceError naming every value that breaks its indicator's bounds (min, max, integer)."""
    problems = value_problems(scheme, values)
    if problems:
        raise RaceError("；".join(problems.values()))


def _values_of(report: Report) -> dict[str, float | None]:
    return {v.indicator: v.value for v in report.values.all()}


def _write_values(
    report: Report, values: Mapping[str, float | None], indicators: Iterable[str]
) -> None:
    existing = {v.indicator: v for v in report.values.all()}
    new, changed = [], []
    for code in indicators:
        value = values.get(code)
        row = existing.get(code)
        if row is None:
            new.append(ReportedValue(report=report, indicator=code, value=value))
        elif row.value != value:
            row.value = value
            changed.append(row)
    ReportedValue.objects.bulk_create(new)
    ReportedValue.objects.bulk_update(changed, ["value"])


def report_save(
    *,
    actor: Any,
    report: Report,
    values: Mapping[str, float | None],
    submit: bool,
    evidence: UploadedFile[bytes] | None = None,
) -> Report:
    """Save the reporter's values as a draft, or submit them (报送) for verification, together
    with an evidence file if one is given: all of it or nothing (the file is checked first)."""
    if evidence is not None:
        evidence_check(evidence)
    scheme = parse_scheme(report.period.race.scheme_toml)
    codes = scheme.codes
    unknown = set(values) - set(codes)
    if unknown:
        raise RaceError(_("未知指标：%(codes)s") % {"codes": "、".join(sorted(unknown))})
    _refuse_out_of_bounds(scheme, values)
    if submit:
        missing = [i.name for i in scheme.indicators if values.get(i.code) is None]
        if missing:
            raise RaceError(
                _("报送前请填写全部指标，尚缺：%(names)s") % {"names": "、".join(missing)}
            )
    with transaction.atomic():
        report = (
            Report.objects.select_for_update().select_related("period", "unit").get(pk=report.pk)
        )
        if report.period.status != PeriodStatus.OPEN:
            raise RaceError(_("本期填报已截止"))
        if report.status in (ReportStatus.SUBMITTED, ReportStatus.VERIFIED):
            raise RaceError(_("已报送的数据不能修改；如需修改，请联系组织者退回"))
        before = {"status": report.status, "values": _values_of(report)}
        _write_values(report, values, codes)
        report.status = ReportStatus.SUBMITTED if submit else ReportStatus.DRAFT
        if submit:
            report.submitted_at = timezone.now()
        report.save()
        record_event(
            actor=actor,
            action="races.report.submit" if submit else "races.report.save",
            obj=report,
            before=before,
            after={"status": report.status, "values": dict(values)},
        )
        if evidence is not None:
            _evidence_store(actor=actor, report=report, upload=evidence)
    return report


def _evidence_store(*, actor: Any, report: Report, upload: UploadedFile[bytes]) -> Evidence:
    evidence = Evidence(report=report, uploaded_by=actor)
    upload_store(
        actor=actor,
        instance=evidence,
        field="file",
        name_field="name",
        upload=upload,
        max_bytes=MAX_EVIDENCE_BYTES,
        suffixes=EVIDENCE_SUFFIXES,
        fallback="evidence",
        action="races.evidence.add",
        after={"report": report.pk},
    )
    return evidence


def evidence_add(*, actor: Any, report: Report, upload: UploadedFile[bytes]) -> Evidence:
    """Add an evidence file to a report on its own."""
    evidence_check(upload)
    return _evidence_store(actor=actor, report=report, upload=upload)


def review_refusal(report: Report) -> str | None:
    """Why ``report`` cannot be verified or returned now (None when it can)."""
    if report.status != ReportStatus.SUBMITTED:
        return _("只能审核已报送的数据（当前：%(status)s）") % {
            "status": report.get_status_display()
        }
    return verification_refusal(report.period)


def verification_refusal(period: Period) -> str | None:
    """Why the reports of ``period`` can no longer be verified (None while they can)."""
    return None if period.status in REVIEWABLE else _("本期已计算，不能再审核")


def _review(
    *, actor: Any, report: Report, comment: str, notes: Mapping[str, str], verify: bool
) -> Report:
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .select_related("period__race", "unit")
            .get(pk=report.pk)
        )
        refuse(review_refusal(report))
        if not verify and not comment.strip():
            raise RaceError(_("退回时请写明理由"))
        before = {"status": report.status, "comment": report.comment}
        report.status = ReportStatus.VERIFIED if verify else ReportStatus.RETURNED
        report.comment = comment.strip()
        report.verified_at = timezone.now() if verify else None
        report.save()
        _save_notes(report, notes)
        record_event(
            actor=actor,
            action="races.report.verify" if verify else "races.report.return",
            obj=report,
            before=before,
            after={
                "status": report.status,
                "comment": report.comment,
                "notes": {k: v for k, v in notes.items() if v},
            },
        )
        if not verify:
            _notify_returned(report)
    return report


def _save_notes(report: Report, notes: Mapping[str, str]) -> None:
    """The reviewer's note per indicator (at most 500 characters each)."""
    for value in report.values.all():
        note = notes.get(value.indicator, "").strip()[:500]
        if note != value.note:
            value.note = note
            value.save(update_fields=["note"])


def _notify_returned(report: Report) -> None:
    notify(
        reporters_of([report.unit_id]).get(report.unit_id, []),
        _("%(period)s 填报被退回") % {"period": report.period},
        _("退回理由：%(comment)s") % {"comment": report.comment},
        reverse("races:report", args=[report.period_id, report.unit.code]),
    )


def report_verify(
    *, actor: Any, report: Report, comment: str = "", notes: Mapping[str, str] | None = None
) -> Report:
    return _review(actor=actor, report=report, comment=comment, notes=notes or {}, verify=True)


def report_return(
    *, actor: Any, report: Report, comment: str, notes: Mapping[str, str] | None = None
) -> Report:
    return _review(actor=actor, report=report, comment=comment, notes=notes or {}, verify=False)


def reports_verify_bulk(
    *, actor: Any, period: Period, report_ids: Iterable[int], comment: str = ""
) -> int:
    """Verify many submitted reports at once (one audit event naming them all)."""
    with transaction.atomic():
        refuse(verification_refusal(Period.objects.select_for_update().get(pk=period.pk)))
        reports = list(
            Report.objects.select_for_update()
            .filter(period=period, pk__in=list(report_ids), status=ReportStatus.SUBMITTED)
            .select_related("unit")
        )
        now = timezone.now()
        for report in reports:
            report.status, report.verified_at, report.comment = ReportStatus.VERIFIED, now, comment
        Report.objects.bulk_update(reports, ["status", "verified_at", "comment"])
        if reports:
            record_event(
                actor=actor,
                action="races.report.verify_bulk",
                obj=period,
                after={"units": sorted(r.unit.code for r in reports), "comment": comment},
            )
    return len(reports)


def reports_verify_clean(*, actor: Any, period: Period) -> int:
    """一键审核: verify every submitted report that raised no anomaly flag."""
    ids = clean_submitted_report_ids(period)
    return reports_verify_bulk(actor=actor, period=period, report_ids=ids)


def correction_refusal(period: Period) -> str | None:
    """Why the organiser may not correct values now: while reporting is open, the unit does."""
    return _("填报期间请由填报单位修改") if period.status == PeriodStatus.OPEN else None


def value_correct(
    *, actor: Any, report: Report, values: Mapping[str, float | None], reason: str
) -> Report:
    """An organiser's correction after reporting closed (e.g. after an upheld objection)."""
    if not reason.strip():
        raise RaceError(_("更正数据须写明原因"))
    scheme = parse_scheme(report.period.race.scheme_toml)
    _refuse_out_of_bounds(scheme, values)
    with transaction.atomic():
        report = Report.objects.select_for_update().select_related("period").get(pk=report.pk)
        refuse(correction_refusal(report.period))
        stored = _values_of(report)
        before = {"status": report.status, "values": stored}
        merged = {**stored, **values}
        _write_values(report, merged, scheme.codes)
        record_event(
            actor=actor,
            action="races.report.correct",
            obj=report,
            before=before,
            after={"status": report.status, "values": merged},
            reason=reason,
        )
    return report


# ---------------------------------------------------------------- reminders (催办)


def reminders_send(
    *, actor: Any, period: Period, units: Iterable[Unit], kind: str = Reminder.Kind.MANUAL
) -> int:
    """Remind the reporters of ``units`` that have not handed in; return how many units were reminded."""
    refuse(period_state_refusal(period, REVIEWABLE))
    units = list(units)
    pending = set(
        Report.objects.filter(
            period=period, unit__in=units, status__in=EDITABLE_REPORT_STATUSES
        ).values_list("unit_id", flat=True)
    )
    targets = [unit for unit in units if unit.pk in pending]
    if not targets:
        return 0
    deadline = timezone.localtime(period.deadline)
    title = _("催办：%(period)s 数据请于 %(deadline)s 前报送") % {
        "period": period,
        "deadline": deadline.strftime("%Y-%m-%d %H:%M"),
    }
    with transaction.atomic():
        people = reporters_of(unit.pk for unit in targets)
        reminders = []
        for unit in targets:
            link = reverse("races:report", args=[period.pk, unit.code])
            body = _("%(unit)s：本期指标数据尚未报送，请尽快填报。") % {"unit": unit.name}
            recipients, emails = notify(people.get(unit.pk, []), title, body, link)
            reminders.append(
                Reminder(
                    period=period,
                    unit=unit,
                    kind=kind,
                    recipients=recipients,
                    emails=emails,
                    sent_by=actor if getattr(actor, "is_authenticated", False) else None,
                )
            )
        Reminder.objects.bulk_create(reminders)
        record_event(
            actor=actor,
            action=f"races.reminder.{kind}",
            obj=period,
            after={"units": [unit.code for unit in targets]},
        )
    return len(targets)


def reminders_send_due(*, now: dt.datetime | None = None) -> int:
    """Automatic reminders: once per open period, ``reminder_hours_before`` the deadline."""
    now = now or timezone.now()
    count = 0
    for period in Period.objects.filter(
        status=PeriodStatus.OPEN, auto_reminded_at__isnull=True, deadline__gt=now
    ).select_related("race"):
        if period.deadline - dt.timedelta(hours=period.race.reminder_hours_before) > now:
            continue
        with transaction.atomic():
            # Claim the period first: of two runs at once (cron on two machines), one wins.
            claimed = Period.objects.filter(pk=period.pk, auto_reminded_at__isnull=True).update(
                auto_reminded_at=now
            )
            if not claimed:
                continue
            units = Unit.objects.filter(race_reports__period=period)
            count += reminders_send(actor=None, period=period, units=units, kind=Reminder.Kind.AUTO)
    return count
