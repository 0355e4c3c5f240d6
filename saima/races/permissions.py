"""Who may do what in an indicator race, built on ``saima.org.permissions``.

- managing a race (scheme, periods, verification, compute, publish, reminders, answering
  objections): an organiser of the race's owning unit (or above);
- reporting for a unit: that unit's reporter, or an organiser over it, while the period is open;
- seeing a unit's unpublished data: whoever may view that unit's data, and the race's managers;
- watching a race's periods and progress boards, read-only: viewers and discipline officers
  over the race's owning unit (unpublished results stay with the managers);
- published results, unit pages of published results, incentive regions: everyone, no login;
- objecting to a published result: whoever may edit the unit's data, within the window.
"""

from __future__ import annotations

from saima.org.permissions import (
    AnyUser,
    may_edit_unit_data,
    may_observe_unit,
    may_organise,
    may_view_unit_data,
    units_organised_by,
)
from saima.races.models import Objection, PeriodStatus, Race, Report, ReportStatus, Result

EDITABLE_REPORT_STATUSES = {ReportStatus.NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED}


def may_create_race(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False)) or units_organised_by(user).exists()


def may_manage_race(user: AnyUser, race: Race) -> bool:
    return may_organise(user, race.owner)


def may_watch_race(user: AnyUser, race: Race) -> bool:
    """Read a race's periods and progress boards without acting: its managers, and viewers and
    discipline officers over its owning unit."""
    return may_manage_race(user, race) or may_observe_unit(user, race.owner)


def may_view_report(user: AnyUser, report: Report) -> bool:
    return may_manage_race(user, report.period.race) or may_view_unit_data(user, report.unit)


def may_edit_report(user: AnyUser, report: Report) -> bool:
    """Fill in or change the values: the period is open and the report is not yet handed in."""
    if report.period.status != PeriodStatus.OPEN or report.status not in EDITABLE_REPORT_STATUSES:
        return False
    return may_edit_unit_data(user, report.unit)


def may_verify_report(user: AnyUser, report: Report) -> bool:
    """Verify or return: the race's organisers only, never the reporting unit itself."""
    return may_manage_race(user, report.period.race)


def may_view_result(user: AnyUser, result: Result) -> bool:
    return result.published_at is not None or may_manage_race(user, result.period.race)


def may_object(user: AnyUser, result: Result, unit_id: int) -> bool:
    """Raise an objection for a unit ranked in a published, current result."""
    if not result.is_current or result.published_at is None:
        return False
    from saima.org.models import Unit

    unit = Unit.objects.filter(pk=unit_id).first()
    return unit is not None and may_edit_unit_data(user, unit)


def may_answer_objection(user: AnyUser, objection: Objection) -> bool:
    return may_manage_race(user, objection.result.period.race)


def may_view_objection(user: AnyUser, objection: Objection) -> bool:
    return may_answer_objection(user, objection) or may_view_unit_data(user, objection.unit)
