"""Who may do what with clues and awards, built on ``saima.org.permissions``.

- handling a clue (reading it, assigning, investigating, deciding): a discipline officer
  (纪检监察) whose scope holds the clue's unit, and never about themselves or their own unit
  (:func:`conflicted`): such an officer does not even read it;
- entering a clue from an inspection, a referral or a report received otherwise: a
  discipline officer, for a unit in their scope;
- running award rounds (评定): a discipline officer over the round's scope;
- a rectification: the awarded unit reports (whoever may edit its data), a discipline
  officer over it who is not of that unit verifies and closes it (销号);
- published rounds, awards and the flag's holders: everyone, no login. The public intake and
  the receipt pages: everyone, no login (they are the point).
"""

from __future__ import annotations

from saima.conduct.models import AwardRound, Clue, Rectification
from saima.org.models import Role, Unit
from saima.org.permissions import (
    AnyUser,
    grants_of,
    is_superuser,
    may_edit_unit_data,
    may_handle_discipline,
)


def own_unit_id(user: AnyUser) -> int | None:
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    return person.unit_id if person is not None else None


def conflicted(user: AnyUser, *, unit: Unit, person_id: int | None = None) -> bool:
    """The officer is the person concerned, or works in the unit concerned (回避)."""
    person = getattr(user, "person", None) if getattr(user, "is_authenticated", False) else None
    if person is None:
        return False
    return bool(person.pk == person_id or person.unit_id == unit.pk)


def may_handle_clue(user: AnyUser, clue: Clue) -> bool:
    if conflicted(user, unit=clue.unit, person_id=clue.person_id):
        return False
    return may_handle_discipline(user, clue.unit)


def may_enter_clues(user: AnyUser) -> bool:
    return is_superuser(user) or any(g.role == Role.DISCIPLINE for g in grants_of(user))


def may_enter_clue_about(user: AnyUser, unit: Unit, person_id: int | None = None) -> bool:
    return may_handle_discipline(user, unit) and not conflicted(
        user, unit=unit, person_id=person_id
    )


def may_be_assigned(user: AnyUser, clue: Clue) -> bool:
    """An assignee holds the discipline role over the clue's unit and is not conflicted."""
    return may_handle_clue(user, clue)


def may_run_round(user: AnyUser, award_round: AwardRound) -> bool:
    return may_handle_discipline(user, award_round.owner)


def may_run_rounds_for(user: AnyUser, unit: Unit) -> bool:
    return may_handle_discipline(user, unit)


def may_report_rectification(user: AnyUser, item: Rectification) -> bool:
    return may_edit_unit_data(user, item.unit)


def may_verify_rectification(user: AnyUser, item: Rectification) -> bool:
    if conflicted(user, unit=item.unit):
        return False
    return may_handle_discipline(user, item.unit)


def may_view_rectification(user: AnyUser, item: Rectification) -> bool:
    return may_report_rectification(user, item) or may_verify_rectification(user, item)
