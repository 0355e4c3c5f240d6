"""Who may do what in the safeguards (容错, 澄清正名, the person's record), on
``saima.org.permissions``.

- reform items and their checklists: organisers and discipline officers over the item's owning
  unit; the default checklist: superusers and discipline officers at the top of the tree;
- a tolerance application: the cadre for themself (a user linked to the person), or a discipline
  officer over the person's unit on the office's behalf;
- reviewing and deciding: discipline officers over the person's unit, never about themself,
  never an application they submitted, and never about a cadre of their own unit (the unit of
  the officer's own person record) — a colleague's case goes to the level above;
- clarification cases: the same officers open, verify and conclude them (same exclusions);
  the accused may open one about themself in writing, and may withdraw their consent to a
  public notice; public notices are public while the consent stands;
- the person's record: discipline officers and organisers over the person's unit, and the
  person themself (read-only: a cadre must be able to see what counts against them in order to
  apply for tolerance of it).
"""

from __future__ import annotations

from typing import Any

from saima.org.models import Person, Role
from saima.org.permissions import (
    AnyUser,
    grants_of,
    is_superuser,
    may_handle_discipline,
    may_organise,
)
from saima.safeguards.models import ClarificationCase, ReformItem, ToleranceApplication


def is_person(user: AnyUser, person: Person) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and getattr(user, "person_id", None) == (
        person.pk
    )


def is_officer(user: AnyUser) -> bool:
    """Holds a discipline role anywhere (or is a superuser)."""
    return is_superuser(user) or any(g.role == Role.DISCIPLINE for g in grants_of(user))


def works_with_safeguards(user: AnyUser) -> bool:
    """Sees the safeguards pages in the navigation: officers, organisers, and linked cadres."""
    if not getattr(user, "is_authenticated", False):
        return False
    roles = {g.role for g in grants_of(user)}
    return (
        is_superuser(user)
        or bool(roles & {Role.DISCIPLINE, Role.ORGANISER})
        or bool(getattr(user, "person_id", None))
    )


def may_manage_item(user: AnyUser, item: ReformItem) -> bool:
    return may_organise(user, item.owner) or may_handle_discipline(user, item.owner)


def may_edit_default_checklist(user: AnyUser) -> bool:
    if is_superuser(user):
        return True
    return any(g.role == Role.DISCIPLINE and g.unit.parent_id is None for g in grants_of(user))


def may_apply_for(user: AnyUser, person: Person) -> bool:
    """Start a tolerance application or a clarification case about ``person``."""
    return is_person(user, person) or may_handle_discipline(user, person.unit)


def _own_unit(user: AnyUser, unit_id: int) -> bool:
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    return person is not None and person.unit_id == unit_id


def conflict(user: AnyUser, *, person: Person, unit_id: int, submitted_by_id: Any) -> bool:
    """The officer is the person, submitted the matter, or works in the person's unit."""
    return (
        is_person(user, person)
        or getattr(user, "pk", None) == submitted_by_id
        or _own_unit(user, unit_id)
    )


def may_view_application(user: AnyUser, application: ToleranceApplication) -> bool:
    return is_person(user, application.person) or may_handle_discipline(user, application.unit)


def may_review_application(user: AnyUser, application: ToleranceApplication) -> bool:
    """Accept, assess and decide: an officer over the unit without a conflict."""
    return may_handle_discipline(user, application.unit) and not conflict(
        user,
        person=application.person,
        unit_id=application.unit_id,
        submitted_by_id=application.submitted_by_id,
    )


def may_view_case(user: AnyUser, case: ClarificationCase) -> bool:
    return is_person(user, case.person) or may_handle_discipline(user, case.unit)


def may_handle_case(user: AnyUser, case: ClarificationCase) -> bool:
    return may_handle_discipline(user, case.unit) and not conflict(
        user, person=case.person, unit_id=case.unit_id, submitted_by_id=None
    )


def may_change_consent(user: AnyUser, case: ClarificationCase) -> bool:
    """Record consent (the officer, from the person's signed statement) or withdraw it (the
    officer or the person themself)."""
    return may_handle_case(user, case) or is_person(user, case.person)


def may_read_record(user: AnyUser, person: Person) -> bool:
    return (
        is_person(user, person)
        or may_handle_discipline(user, person.unit)
        or may_organise(user, person.unit)
    )
