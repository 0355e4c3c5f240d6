"""Writes to units, peer groups, people, users and roles. Every write is audited."""

from __future__ import annotations

from django.db import transaction

from saima.core.audit import record_event, snapshot
from saima.org.models import PeerGroup, Person, Role, RoleGrant, Unit, UnitLevel, User
from saima.org.permissions import forget_grants

ALLOWED_PARENTS = {
    UnitLevel.PROVINCE: {None},
    UnitLevel.CITY: {UnitLevel.PROVINCE},
    UnitLevel.COUNTY: {UnitLevel.CITY},
    UnitLevel.TOWN: {UnitLevel.COUNTY},
    UnitLevel.DEPARTMENT: {UnitLevel.PROVINCE, UnitLevel.CITY, UnitLevel.COUNTY, UnitLevel.TOWN},
}


class OrgError(ValueError):
    pass


def unit_create(
    *,
    actor: object,
    code: str,
    name: str,
    level: str,
    parent: Unit | None = None,
    kind: str = "",
    name_en: str = "",
    is_mountain_county: bool = False,
) -> Unit:
    parent_level = parent.level if parent else None
    if parent_level not in ALLOWED_PARENTS[UnitLevel(level)]:
        raise OrgError(
            f"a {level} unit cannot sit under a {parent_level or 'missing'} parent ({name})"
        )
    if "/" in code or not code.strip():
        raise OrgError(f"unit code {code!r} must be non-empty and contain no '/'")
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
        record_event(actor=actor, action="org.unit.create", obj=unit, after=snapshot(unit))
    return unit


def peer_group_set(
    *, actor: object, code: str, name: str, owner: Unit, members: list[Unit]
) -> PeerGroup:
    """Create or replace a peer group and its membership."""
    with transaction.atomic():
        group, created = PeerGroup.objects.get_or_create(
            code=code, defaults={"name": name, "owner": owner}
        )
        before = (
            None
            if created
            else {
                "name": group.name,
                "members": sorted(group.members.values_list("code", flat=True)),
            }
        )
        group.name, group.owner = name, owner
        group.save()
        group.members.set(members)
        after = {
            "name": name,
            "owner": owner.code,
            "members": sorted(unit.code for unit in members),
        }
        if before != after:
            record_event(
                actor=actor, action="org.peergroup.set", obj=group, before=before, after=after
            )
    return group


def person_create(
    *, actor: object, name: str, unit: Unit, position: str = "", frontline: bool = False
) -> Person:
    with transaction.atomic():
        person = Person.objects.create(name=name, unit=unit, position=position, frontline=frontline)
        record_event(actor=actor, action="org.person.create", obj=person, after=snapshot(person))
    return person


def user_create(
    *,
    actor: object,
    username: str,
    password: str,
    display_name: str = "",
    person: Person | None = None,
    is_superuser: bool = False,
) -> User:
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
        )
    return user


def role_grant(*, actor: object, user: User, role: str, unit: Unit) -> RoleGrant:
    Role(role)  # refuses an unknown role
    with transaction.atomic():
        grant, created = RoleGrant.objects.get_or_create(user=user, role=role, unit=unit)
        if created:
            record_event(
                actor=actor,
                action="org.role.grant",
                obj=grant,
                after={"user": user.username, "role": role, "unit": unit.code},
            )
    forget_grants(user)
    return grant
