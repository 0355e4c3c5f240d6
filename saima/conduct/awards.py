"""Writing award rounds (评定): the snail award (蜗牛奖) from substantiated clues, the red-flag
award (红旗奖), the rotating red flag (流动红旗), publishing (a round with no award is zero
harvest, 零收获), and rectification until verified and closed (督察销号)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.conduct.errors import ConductError, refuse
from saima.conduct.models import (
    Award,
    AwardKind,
    AwardRound,
    Clue,
    ClueStatus,
    FlagHolding,
    Rectification,
    RectificationStatus,
)
from saima.conduct.permissions import may_run_rounds_for
from saima.core.audit import record_event, snapshot
from saima.core.publications import publication_changed
from saima.org.models import Person, Unit


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """First and last day of a quarter.

    >>> quarter_bounds(2026, 4)
    (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31))
    """
    start = dt.date(year, 3 * quarter - 2, 1)
    following = dt.date(year + 1, 1, 1) if quarter == 4 else dt.date(year, 3 * quarter + 1, 1)
    return start, following - dt.timedelta(days=1)


def round_open(*, actor: Any, owner: Unit, year: int, quarter: int) -> AwardRound:
    if quarter not in (1, 2, 3, 4) or not 2000 <= year <= 2100:
        raise ConductError(_("请填写正确的年度和季度"))
    if not may_run_rounds_for(actor, owner):
        raise ConductError(_("只能在本人纪检监察范围内开展评定"))
    starts_on, ends_on = quarter_bounds(year, quarter)
    try:
        with transaction.atomic():
            award_round = AwardRound.objects.create(
                owner=owner, year=year, quarter=quarter, starts_on=starts_on, ends_on=ends_on
            )
            record_event(
                actor=actor,
                action="conduct.round.open",
                obj=award_round,
                after=snapshot(award_round),
            )
    except IntegrityError:
        raise ConductError(
            _("%(owner)s %(year)s年第%(q)s季度的评定已经存在")
            % {"owner": owner.name, "year": year, "q": quarter}
        ) from None
    return award_round


def _locked_round(award_round: AwardRound) -> AwardRound:
    return AwardRound.objects.select_for_update().select_related("owner").get(pk=award_round.pk)


def round_refusal(award_round: AwardRound) -> str | None:
    if award_round.published_on is not None:
        return _("评定结果已发布，不能再修改")
    return None


def publish_refusal(award_round: AwardRound) -> str | None:
    if award_round.published_on is not None:
        return round_refusal(award_round)
    if award_round.ends_on >= timezone.localdate():
        return _("本季度尚未结束，季度结束后才能发布评定结果")
    return None


def snail_clues(award_round: AwardRound) -> list[Clue]:
    """Clues a snail award may rest on: substantiated within the round's quarter, about units
    in its scope, not yet the ground of an award in this round."""
    return list(
        Clue.objects.filter(
            status=ClueStatus.SUBSTANTIATED,
            decided_on__range=(award_round.starts_on, award_round.ends_on),
            unit__path__startswith=award_round.owner.path,
        )
        .exclude(awards__round=award_round)
        .select_related("unit", "person")
    )


def _in_scope(award_round: AwardRound, unit: Unit) -> None:
    if not unit.path.startswith(award_round.owner.path):
        raise ConductError(_("%(unit)s 不在本次评定范围内") % {"unit": unit.name})


def award_add(
    *,
    actor: Any,
    award_round: AwardRound,
    kind: str,
    unit: Unit,
    reason: str,
    person: Person | None = None,
    clue: Clue | None = None,
    points: Decimal = Decimal(0),
    bonus: Decimal = Decimal(0),
) -> Award:
    """Give an award. A snail award names a substantiated clue of the quarter (its unit and
    person); a red-flag award names a unit of the scope. Points and bonus are the
    consequences recorded on the record (negative for a snail)."""
    if not reason.strip():
        raise ConductError(_("请填写公开的事由"))
    with transaction.atomic():
        award_round = _locked_round(award_round)
        refuse(round_refusal(award_round))
        if kind == AwardKind.SNAIL:
            if clue is None or clue.pk not in {c.pk for c in snail_clues(award_round)}:
                raise ConductError(_("蜗牛奖须依据本季度查实（属实）且尚未评定的线索"))
            unit, person = clue.unit, clue.person
        elif kind == AwardKind.RED_FLAG:
            clue = None
        else:
            raise ConductError(_("请选择奖项"))
        _in_scope(award_round, unit)
        if person is not None and person.unit_id != unit.pk:
            raise ConductError(_("责任人不属于获奖单位"))
        award = Award.objects.create(
            round=award_round,
            kind=kind,
            unit=unit,
            person=person,
            clue=clue,
            reason=reason.strip(),
            points=points,
            bonus=bonus,
        )
        record_event(actor=actor, action="conduct.award.add", obj=award, after=snapshot(award))
    return award


def award_remove(*, actor: Any, award: Award) -> None:
    with transaction.atomic():
        award_round = _locked_round(award.round)
        refuse(round_refusal(award_round))
        record_event(actor=actor, action="conduct.award.remove", obj=award, before=snapshot(award))
        award.delete()


def flag_pass(*, actor: Any, award_round: AwardRound, unit: Unit, reason: str) -> FlagHolding:
    """The rotating red flag goes to ``unit`` for this round (replacing a choice not yet
    published)."""
    if not reason.strip():
        raise ConductError(_("请填写公开的事由"))
    with transaction.atomic():
        award_round = _locked_round(award_round)
        refuse(round_refusal(award_round))
        _in_scope(award_round, unit)
        holding, _created = FlagHolding.objects.update_or_create(
            round=award_round,
            defaults={"owner": award_round.owner, "unit": unit, "reason": reason.strip()},
        )
        record_event(actor=actor, action="conduct.flag.pass", obj=holding, after=snapshot(holding))
    return holding


def round_publish(*, actor: Any, award_round: AwardRound, note: str = "") -> AwardRound:
    """Publish the round: counts what the quarter had (零收获 when nothing was awarded), opens
    a rectification item for every snail award, and tells the portal (its awards and the
    flag's move are public from the commit on)."""
    with transaction.atomic():
        award_round = _locked_round(award_round)
        refuse(publish_refusal(award_round))
        in_scope = Clue.objects.filter(unit__path__startswith=award_round.owner.path)
        award_round.clues_received = in_scope.filter(
            received_on__range=(award_round.starts_on, award_round.ends_on)
        ).count()
        award_round.clues_substantiated = in_scope.filter(
            status=ClueStatus.SUBSTANTIATED,
            decided_on__range=(award_round.starts_on, award_round.ends_on),
        ).count()
        award_round.note = note.strip()
        award_round.published_on = timezone.localdate()
        award_round.published_by = actor
        award_round.save()
        for award in award_round.awards.filter(kind=AwardKind.SNAIL):
            Rectification.objects.create(award=award, unit=award.unit)
        record_event(
            actor=actor,
            action="conduct.round.publish",
            obj=award_round,
            after={
                **snapshot(award_round, ["clues_received", "clues_substantiated", "note"]),
                "awards": list(award_round.awards.values_list("pk", flat=True)),
                "zero_harvest": not award_round.awards.exists(),
            },
        )
        # the awards and the flag's move become public together (the portal's kept pages)
        publication_changed(kind="conduct.round", object_id=award_round.pk)
    return award_round


# ---------------------------------------------------------------- rectification (整改销号)


def _locked_item(item: Rectification) -> Rectification:
    return Rectification.objects.select_for_update().select_related("unit").get(pk=item.pk)


def report_refusal(item: Rectification) -> str | None:
    if item.status != RectificationStatus.OPEN:
        return _("整改情况已报送或已销号")
    return None


def verify_refusal(item: Rectification) -> str | None:
    if item.status != RectificationStatus.REPORTED:
        return _("单位报送整改情况后才能验收")
    return None


def rectification_report(*, actor: Any, item: Rectification, report: str) -> Rectification:
    if not report.strip():
        raise ConductError(_("请填写整改情况"))
    with transaction.atomic():
        item = _locked_item(item)
        refuse(report_refusal(item))
        item.report = report.strip()
        item.reported_on = timezone.localdate()
        item.status = RectificationStatus.REPORTED
        item.save()
        record_event(
            actor=actor,
            action="conduct.rectification.report",
            obj=item,
            after={"status": item.status, "report": item.report},
        )
    return item


def rectification_verify(
    *, actor: Any, item: Rectification, accept: bool, opinion: str
) -> Rectification:
    """Verify the reported rectification: accepted, the item is closed (销号); otherwise it
    goes back to the unit with the opinion."""
    if not opinion.strip():
        raise ConductError(_("请填写验收意见"))
    with transaction.atomic():
        item = _locked_item(item)
        refuse(verify_refusal(item))
        item.verification = opinion.strip()
        if accept:
            item.status = RectificationStatus.CLOSED
            item.closed_on = timezone.localdate()
            item.closed_by = actor
        else:
            item.status = RectificationStatus.OPEN
        item.save()
        record_event(
            actor=actor,
            action="conduct.rectification.verify",
            obj=item,
            before={"status": RectificationStatus.REPORTED},
            after={"status": item.status, "accepted": accept, "opinion": item.verification},
        )
    return item
