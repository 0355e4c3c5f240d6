"""Who may do what to which unit's data — the one place these questions are answered.

Every view, service and (later) the API asks these predicates; templates only hide what a
predicate already refuses. Scope rules:

- superuser: everything;
- organiser (组织者) and discipline officer (纪检监察): their unit and its whole subtree;
- reporter (填报员): exactly their own unit;
- viewer (观察员): may read the non-public pages of their unit's subtree, never write;
- judge (评委): scores only where seated (checked by the arena app).

The grants of a user are loaded once per request and cached on the user object.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, cast

import rules
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q, QuerySet

from saima.core.access import AccessPolicy, register_access_policy
from saima.core.access import is_superuser as is_superuser
from saima.org.models import Role, RoleGrant, Unit, User

AnyUser = User | AnonymousUser
_CACHE_ATTR = "_saima_grants"


def grants_of(user: AnyUser) -> list[RoleGrant]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = list(RoleGrant.objects.filter(user_id=cast(int, user.pk)).select_related("unit"))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def assume_grants(user: AnyUser, grants: Iterable[RoleGrant]) -> None:
    """Let ``user`` hold exactly ``grants`` from now on (an API token's narrowed powers: the
    token's user acts with only the grants the token carries)."""
    setattr(user, _CACHE_ATTR, list(grants))


def forget_grants(user: AnyUser) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def roles_of(user: AnyUser) -> set[str]:
    roles = {grant.role for grant in grants_of(user)}
    if is_superuser(user):
        roles.add("superuser")
    return roles


def has_role(user: AnyUser, role: str) -> bool:
    return role in roles_of(user)


def _in_scope(user: AnyUser, unit: Unit, roles: Iterable[str], *, subtree: bool) -> bool:
    wanted = set(roles)
    for grant in grants_of(user):
        if grant.role not in wanted:
            continue
        if grant.unit_id == unit.pk or (subtree and unit.path.startswith(grant.unit.path)):
            return True
    return False


def may_organise(user: AnyUser, unit: Unit) -> bool:
    """Run races owned by ``unit``: schemes, periods, verification, publishing."""
    return is_superuser(user) or _in_scope(user, unit, [Role.ORGANISER], subtree=True)


def may_verify_unit_data(user: AnyUser, unit: Unit) -> bool:
    return may_organise(user, unit)


def may_edit_unit_data(user: AnyUser, unit: Unit) -> bool:
    """Report (fill in, import, correct) data on behalf of ``unit``."""
    if may_organise(user, unit):
        return True
    return _in_scope(user, unit, [Role.REPORTER], subtree=False)


def may_view_unit_data(user: AnyUser, unit: Unit) -> bool:
    """See a unit's unpublished data (drafts, submissions, anomaly flags)."""
    if may_edit_unit_data(user, unit):
        return True
    return _in_scope(user, unit, [Role.VIEWER, Role.DISCIPLINE], subtree=True)


def may_observe_unit(user: AnyUser, unit: Unit) -> bool:
    """Watch, never act on, the work of ``unit``'s subtree (progress boards, submitted data):
    viewers and discipline officers over it."""
    return is_superuser(user) or _in_scope(user, unit, [Role.VIEWER, Role.DISCIPLINE], subtree=True)


def may_handle_discipline(user: AnyUser, unit: Unit) -> bool:
    """Verify clues, decide awards and safeguard cases concerning ``unit``."""
    return is_superuser(user) or _in_scope(user, unit, [Role.DISCIPLINE], subtree=True)


def may_judge(user: AnyUser) -> bool:
    return is_superuser(user) or has_role(user, Role.JUDGE)


def may_manage_users(user: AnyUser) -> bool:
    """Create and change logins (who may hold which role is ``may_organise`` per unit)."""
    return is_superuser(user)


def may_read_audit(user: AnyUser) -> bool:
    return is_superuser(user) or bool(roles_of(user) & {Role.ORGANISER, Role.DISCIPLINE})


def may_verify_audit(user: AnyUser) -> bool:
    """Run the audit chain and result verification from the audit page: discipline officers
    (纪检监察) and superusers."""
    return is_superuser(user) or has_role(user, Role.DISCIPLINE)


def role_labels(user: AnyUser) -> list[str]:
    """The user's roles in words, one per grant: "组织者 · 杭州市"."""
    return [f"{grant.get_role_display()} · {grant.unit}" for grant in grants_of(user)]


def audit_events_visible(user: AnyUser) -> Q:
    """Audit events a user may read: those concerning units inside their organiser or discipline
    scope; platform-wide events (scope "") only for a grant at the root of the tree."""
    if is_superuser(user):
        return Q()
    condition = Q(pk__in=[])
    for grant in grants_of(user):
        if grant.role in {Role.ORGANISER, Role.DISCIPLINE}:
            condition |= Q(scope__startswith=grant.unit.path)
            if grant.unit.parent_id is None:
                condition |= Q(scope="")
    return condition


def scope_filter(user: AnyUser, roles: Iterable[str], *, field: str = "path") -> Q:
    """A filter on units (``field`` names the unit path) that the user's ``roles`` reach."""
    if is_superuser(user):
        return Q()
    wanted = set(roles)
    condition = Q(pk__in=[])
    for grant in grants_of(user):
        if grant.role in wanted:
            subtree = grant.role in {Role.ORGANISER, Role.DISCIPLINE, Role.VIEWER}
            if subtree:
                condition |= Q(**{f"{field}__startswith": grant.unit.path})
            else:
                condition |= Q(**{field: grant.unit.path})
    return condition


def units_editable_by(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_filter(user, [Role.ORGANISER, Role.REPORTER]))


def units_organised_by(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_filter(user, [Role.ORGANISER]))


# Forward relations followed, in order, to find the unit an audited object belongs to.
SCOPE_RELATIONS = ("unit", "owner", "report", "period", "race", "result")


def scope_unit(obj: Any, depth: int = 0) -> Unit | None:
    """The unit an audited object concerns: itself if a unit, else its unit, owner, report's
    unit, period's race's owner … (forward foreign keys only, three steps at most)."""
    if isinstance(obj, Unit):
        return obj
    if obj is None or depth > 3 or not isinstance(obj, models.Model):
        return None
    for name in SCOPE_RELATIONS:
        try:
            field = obj._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if field.concrete and (field.many_to_one or field.one_to_one):
            found = scope_unit(getattr(obj, name), depth + 1)
            if found is not None:
                return found
    return None


def audit_scope_of(obj: Any) -> str:
    """The scope recorded with an audit event: the path of the unit it concerns, or ""."""
    unit = scope_unit(obj)
    return unit.path if unit is not None else ""


def install_access_policy() -> None:
    """Tell core who may read and verify the audit log, and which unit an object concerns."""
    register_access_policy(
        AccessPolicy(
            roles_of=roles_of,
            role_labels=role_labels,
            may_read_audit=may_read_audit,
            may_verify_audit=may_verify_audit,
            audit_events_visible=audit_events_visible,
            audit_scope_of=audit_scope_of,
        )
    )


def _add_rule(name: str, check: Callable[..., bool]) -> None:
    rules.add_perm(name, rules.predicate(check))  # type: ignore[attr-defined,no-untyped-call]


# The same predicates, for ``user.has_perm("org.edit_unit_data", unit)`` and templates.
for _name, _predicate in {
    "org.organise": may_organise,
    "org.verify_unit_data": may_verify_unit_data,
    "org.edit_unit_data": may_edit_unit_data,
    "org.view_unit_data": may_view_unit_data,
    "org.handle_discipline": may_handle_discipline,
}.items():
    _add_rule(_name, _predicate)
_add_rule("org.judge", lambda user: may_judge(user))
_add_rule("core.read_audit", lambda user: may_read_audit(user))
_add_rule("core.verify_audit", lambda user: may_verify_audit(user))
