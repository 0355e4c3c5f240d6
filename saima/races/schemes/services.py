"""Writes for races and their schemes (赛马与方案): creating a race and changing its scheme or
settings. Each write is one transaction with an audit event; a refusal is a ``RaceError``.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saima.core.audit import record_event, snapshot
from saima.engine import SchemeError
from saima.org.models import Unit
from saima.races.errors import RaceError
from saima.races.models import Cadence, PeriodStatus, Race, ReportedValue
from saima.races.schemes.selectors import group_problems, parse_scheme, unreported_problems

RESERVED_CODES = {"new", "periods", "imports", "evidence", "results", "objections"}
RACE_SETTINGS = (
    "name",
    "description",
    "cadence",
    "reward_land_mu",
    "reward_funds_yuan",
    "objection_window_days",
    "reminder_hours_before",
    "robustness_draws",
)


def _checked_scheme(text: str) -> None:
    try:
        scheme = parse_scheme(text)
    except SchemeError as exc:
        raise RaceError(_("方案有误：%(reason)s") % {"reason": exc}) from exc
    problems = group_problems(scheme) + unreported_problems(scheme)
    if problems:
        raise RaceError("；".join(problems))


def race_create(
    *,
    actor: Any,
    code: str,
    name: str,
    owner: Unit,
    scheme_toml: str,
    cadence: str = Cadence.QUARTER,
    **race_settings: Any,
) -> Race:
    _checked_scheme(scheme_toml)
    unknown = set(race_settings) - set(RACE_SETTINGS)
    if unknown:
        raise TypeError(f"unknown race settings: {sorted(unknown)}")
    if code in RESERVED_CODES:
        raise RaceError(_("代码「%(code)s」是保留字，请换一个") % {"code": code})
    taken = RaceError(_("代码「%(code)s」已被使用") % {"code": code})
    race = Race(
        code=code, name=name, owner=owner, scheme_toml=scheme_toml, cadence=cadence, **race_settings
    )
    race.full_clean(validate_unique=False)
    try:
        with transaction.atomic():
            if Race.objects.filter(code=code).exists():
                raise taken
            race.save()
            record_event(actor=actor, action="races.race.create", obj=race, after=snapshot(race))
    except IntegrityError:
        # another request created the same code between the check and the insert
        if Race.objects.filter(code=code).exists():
            raise taken from None
        raise
    return race


def race_update(
    *, actor: Any, race: Race, scheme_toml: str | None = None, reason: str = "", **changes: Any
) -> Race:
    """Change the scheme text and/or settings. Frozen results keep the scheme they were computed with."""
    unknown = set(changes) - set(RACE_SETTINGS)
    if unknown:
        raise TypeError(f"unknown race settings: {sorted(unknown)}")
    if scheme_toml is not None:
        _checked_scheme(scheme_toml)
    with transaction.atomic():
        race = Race.objects.select_for_update().get(pk=race.pk)
        before = snapshot(race)
        if scheme_toml is not None:
            _refuse_removing_reported(race, scheme_toml)
            race.scheme_toml = scheme_toml
        for field, value in changes.items():
            setattr(race, field, value)
        race.full_clean()
        race.save()
        race.refresh_from_db()  # compare stored values: Decimal("100") is stored as 100.00
        after = snapshot(race)
        if after != before:
            record_event(
                actor=actor,
                action="races.race.update",
                obj=race,
                before=before,
                after=after,
                reason=reason,
            )
    return race


def _refuse_removing_reported(race: Race, scheme_toml: str) -> None:
    """An indicator with values in a period not yet computed stays until that period is."""
    removed = set(parse_scheme(race.scheme_toml).codes) - set(parse_scheme(scheme_toml).codes)
    held = sorted(
        set(
            ReportedValue.objects.filter(
                report__period__race=race,
                report__period__status__in=(PeriodStatus.OPEN, PeriodStatus.CLOSED),
                indicator__in=removed,
                value__isnull=False,
            ).values_list("indicator", flat=True)
        )
    )
    if held:
        raise RaceError(
            _("指标「%(codes)s」在尚未计算结果的周期中已有填报数据，不能删除")
            % {"codes": "、".join(held)}
        )
