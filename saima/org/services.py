"""Writes to units, peer groups, people, users and roles. Every write is audited, and every
write by a person (``actor`` a user; ``None`` is the system, e.g. the demo loader) is checked
against ``saima.org.permissions`` first. The Django admin writes through these too."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from saima.core.audit import record_event, snapshot
from saima.org.models import PeerGroup, Person, Role, RoleGrant, Unit, UnitLevel, User
from saima.org.permissions import forget_grants, is_superuser, may_manage_users, may_organise

ALLOWED_PARENTS: dict[str, set[str | None]] = {
    UnitLevel.PROVINCE: {None},
    UnitLevel.CITY: {UnitLevel.PROVINCE},
    UnitLevel.COUNTY: {UnitLevel.CITY},
    UnitLevel.TOWN: {UnitLevel.COUNTY},
    UnitLevel.DEPARTMENT: {UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWN},
}
UNIT_EDITABLE = ("name", "name_en", "kind", "is_mountain_county")
PERSON_EDITABLE = ("name", "position", "unit", "frontline")
USER_EDITABLE = (
    "display_name",
    "person",
    "first_name",
    "last_name",
    "email",
    "is_active",
    "is_staff",
    "is_superuser",
)


class OrgError(ValueError):
    pass


def _require(actor: Any, allowed: bool, what: str) -> None:
    """The system (``actor=None``) may do anything; a person only what the predicates allow."""
    if actor is not None and not allowed:
        raise PermissionDenied(f"{getattr(actor, 'username', actor)} may not {what}")


def _may_organise(actor: Any, unit: Unit | None) -> bool:
    return is_superuser(actor) if unit is None else may_organise(actor, unit)


def unit_place_check(*, code: str, level: str, parent: Unit | None, name: str = "") -> None:
    """Refuse a unit that cannot sit where it is asked to (level under level, code usable in
    a path)."""
    parent_level = parent.level if parent else None
    if parent_level not in ALLOWED_PARENTS[UnitLevel(level)]:
        raise OrgError(
            f"a {level} unit cannot sit under a {parent_level or 'missing'} parent ({name or code})"
        )
    if "/" in code or not code.strip():
        raise OrgError(f"unit code {code!r} must be non-empty and contain no '/'")


def unit_create(
    *,
    actor: Any,
    code: str,
    name: str,
    level: str,
    parent: Unit | None = None,
    kind: str = "",
    name_en: str = "",
    is_mountain_county: bool = False,
    reason: str = "",
) -> Unit:
    _require(actor, _may_organise(actor, parent), f"add a unit under {parent or 'the root'}")
    unit_place_check(code=code, level=level, parent=parent, name=name)
    with transaction.atomic():
        unit = Unit(
            code=code,
            name=name,
            name_en=name_en,
            level=level,
            kind=kind,
            parent=parent,
            is_mountain_county=is_mountain_county,
            path=f"{parent.path if parent else '/'}{code}/",
        )
        unit.full_clean()
        unit.save()
        record_event(
            actor=actor, action="org.unit.create", obj=unit, after=snapshot(unit), reason=reason
        )
    return unit


def _changes(obj: Any, fields: tuple[str, ...], values: dict[str, Any]) -> list[str]:
    unknown = set(values) - set(fields)
    if unknown:
        raise OrgError(f"cannot change {', '.join(sorted(unknown))} of {obj}")
    return [name for name, value in values.items() if getattr(obj, name) != value]


def _update(*, actor: Any, obj: Any, action: str, fields: tuple[str, ...], **values: Any) -> bool:
    """Apply the changed ``values`` to ``obj`` and record one event; False if nothing changed."""
    changed = _changes(obj, fields, values)
    if not changed:
        return False
    with transaction.atomic():
        before = snapshot(obj, changed)
        for name in changed:
            setattr(obj, name, values[name])
        obj.full_clean()
        obj.save()
        record_event(
            actor=actor, action=action, obj=obj, before=before, after=snapshot(obj, changed)
        )
    return True


def unit_update(*, actor: Any, unit: Unit, **values: Any) -> bool:
    """Rename or re-describe a unit. Its code, level and parent (hence its path and everyone's
    scope) cannot change here."""
    _require(actor, _may_organise(actor, unit), f"change {unit}")
    return _update(actor=actor, obj=unit, action="org.unit.change", fields=UNIT_EDITABLE, **values)


def _group_state(group: PeerGroup) -> dict[str, Any]:
    return {
        "name": group.name,
        "owner": group.owner.code,
        "members": sorted(group.members.values_list("code", flat=True)),
    }


def peer_group_set(
    *, actor: Any, code: str, name: str, owner: Unit, members: list[Unit], reason: str = ""
) -> PeerGroup:
    """Create or replace a peer group and its membership (recorded only if something changed)."""
    _require(actor, _may_organise(actor, owner), f"set peer groups of {owner}")
    with transaction.atomic():
        group = PeerGroup.objects.select_for_update().filter(code=code).first()
        if group is not None:
            _require(actor, _may_organise(actor, group.owner), f"change {group}")
        before = None if group is None else _group_state(group)
        after = {"name": name, "owner": owner.code, "members": sorted(u.code for u in members)}
        if group is not None and before == after:
            return group
        group = group or PeerGroup(code=code)
        group.name, group.owner = name, owner
        group.save()
        group.members.set(members)
        record_event(
            actor=actor,
            action="org.peergroup.set",
            obj=group,
            before=before,
            after=after,
            reason=reason,
        )
    return group


def peer_group_delete(*, actor: Any, group: PeerGroup) -> None:
    _require(actor, _may_organise(actor, group.owner), f"delete {group}")
    with transaction.atomic():
        before = _group_state(group)
        record_event(actor=actor, action="org.peergroup.delete", obj=group, before=before)
        group.delete()


def person_create(
    *,
    actor: Any,
    name: str,
    unit: Unit,
    position: str = "",
    frontline: bool = False,
    reason: str = "",
) -> Person:
    _require(actor, _may_organise(actor, unit), f"add people to {unit}")
    with transaction.atomic():
        person = Person.objects.create(name=name, unit=unit, position=position, frontline=frontline)
        record_event(
            actor=actor,
            action="org.person.create",
            obj=person,
            after=snapshot(person),
            reason=reason,
        )
    return person


def person_update(*, actor: Any, person: Person, **values: Any) -> bool:
    _require(actor, _may_organise(actor, person.unit), f"change {person}")
    if "unit" in values:
        _require(actor, _may_organise(actor, values["unit"]), f"move people to {values['unit']}")
    return _update(
        actor=actor, obj=person, action="org.person.change", fields=PERSON_EDITABLE, **values
    )


def person_delete(*, actor: Any, person: Person) -> None:
    _require(actor, _may_organise(actor, person.unit), f"delete {person}")
    with transaction.atomic():
        record_event(actor=actor, action="org.person.delete", obj=person, before=snapshot(person))
        person.delete()


def user_create(
    *,
    actor: Any,
    username: str,
    password: str | None,
    display_name: str = "",
    person: Person | None = None,
    is_superuser: bool = False,
    reason: str = "",
) -> User:
    """A new login; ``password=None`` makes one that cannot log in until a password is set."""
    _require(actor, may_manage_users(actor), "create users")
    with transaction.atomic():
        user = User(username=username, display_name=display_name, person=person)
        if is_superuser:
            user.is_superuser = user.is_staff = True
        user.set_password(password)
        user.save()
        record_event(
            actor=actor,
            action="org.user.create",
            obj=user,
            after={"username": username, "display_name": display_name, "superuser": is_superuser},
            reason=reason,
        )
    return user


def user_update(*, actor: Any, user: User, **values: Any) -> bool:
    _require(actor, may_manage_users(actor), f"change user {user.username}")
    return _update(actor=actor, obj=user, action="org.user.change", fields=USER_EDITABLE, **values)


def user_password_set(*, actor: Any, user: User, password: str | None) -> None:
    """Set a password (``None``: none usable); the event records that it changed, never the
    password or its hash."""
    _require(
        actor, may_manage_users(actor) or actor == user, f"set the password of {user.username}"
    )
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        record_event(actor=actor, action="org.user.password", obj=user)


def role_grant(*, actor: Any, user: User, role: str, unit: Unit, reason: str = "") -> RoleGrant:
    Role(role)  # refuses an unknown role
    _require(actor, _may_organise(actor, unit), f"grant roles in {unit}")
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user=user, role=role, unit=unit)
        if created:
            record_event(
                actor=actor,
                action="org.role.grant",
                obj=grant,
                after={"user": user.username, "role": role, "unit": unit.code},
                reason=reason,
            )
    forget_grants(user)
    return grant


def role_revoke(*, actor: Any, grant: RoleGrant) -> None:
    _require(actor, _may_organise(actor, grant.unit), f"revoke roles in {grant.unit}")
    with transaction.atomic():
        before = {"user": grant.user.username, "role": grant.role, "unit": grant.unit.code}
        record_event(actor=actor, action="org.role.revoke", obj=grant, before=before)
        grant.delete()
    forget_grants(grant.user)
