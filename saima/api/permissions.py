"""Who may hold, make and revoke API tokens, and what a token may do — built on
``saima.org.permissions``.

A token acts as its user, narrowed to one unit and the roles it names (``token_actor``): the
API then asks the very predicates the web asks (``saima.org.permissions``,
``saima.races.permissions``) of that narrowed user. So a token never does what its user may not
do on the web, and a token limited to 上城区 does nothing for 淳安县 even when its user could.

- a token's roles: those its user holds over the unit now — organiser, discipline officer and
  viewer over the unit or one above it (their subtree), reporter and judge on that unit itself;
- making a token: for oneself, for a unit and roles as above (an organiser of 杭州市 may make an
  organiser token limited to 淳安县);
- seeing and revoking: one's own tokens, and an organiser's the tokens of units in their subtree
  (a leaver's token is revoked by the organiser, without the leaver).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.db.models import Q, QuerySet

from saima.api.models import ApiToken, TokenActor
from saima.org.models import Role, RoleGrant, Unit
from saima.org.permissions import (
    AnyUser,
    assume_grants,
    grants_of,
    may_organise,
    scope_filter,
)

SUBTREE_ROLES = frozenset({Role.ORGANISER, Role.DISCIPLINE, Role.VIEWER})
TOKEN_ROLES = tuple(Role.values)


def _covers(grant: RoleGrant, unit: Unit) -> bool:
    if grant.role in SUBTREE_ROLES:
        return unit.path.startswith(grant.unit.path)
    return grant.unit_id == unit.pk


def token_roles_for(user: AnyUser, unit: Unit) -> list[str]:
    """The roles ``user`` may put on a token limited to ``unit`` (in ``Role`` order)."""
    held = {grant.role for grant in grants_of(user) if _covers(grant, unit)}
    return [role for role in TOKEN_ROLES if role in held]


def may_hold_tokens(user: AnyUser) -> bool:
    """Sees the token page: anyone holding a role (a token carries roles, never more)."""
    return bool(getattr(user, "is_authenticated", False) and grants_of(user))


def may_create_token(user: AnyUser, unit: Unit, roles: Iterable[str]) -> bool:
    wanted = set(roles)
    return bool(wanted) and wanted <= set(token_roles_for(user, unit))


def units_for_tokens(user: AnyUser) -> QuerySet[Unit]:
    """Units a token of ``user`` may be limited to: those some grant of theirs covers."""
    if not grants_of(user):
        return Unit.objects.none()
    condition = Q(pk__in=[])
    for grant in grants_of(user):
        if grant.role in SUBTREE_ROLES:
            condition |= Q(path__startswith=grant.unit.path)
        else:
            condition |= Q(pk=grant.unit_id)
    return Unit.objects.filter(condition).order_by("path")


def tokens_visible_to(user: AnyUser) -> QuerySet[ApiToken]:
    """One's own tokens, and the tokens of units in one's organiser scope."""
    if not getattr(user, "is_authenticated", False):
        return ApiToken.objects.none()
    others = scope_filter(user, [Role.ORGANISER], field="unit__path")
    return ApiToken.objects.filter(Q(user_id=cast(int, user.pk)) | others)


def may_revoke_token(user: AnyUser, token: ApiToken) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return token.user_id == user.pk or may_organise(user, token.unit)


def token_actor(token: ApiToken) -> TokenActor:
    """The token's user, holding only the grants the token names that the user still holds."""
    user = token.user
    actor = TokenActor(
        id=user.pk,
        username=user.username,
        display_name=user.display_name,
        first_name=user.first_name,
        last_name=user.last_name,
        is_active=user.is_active,
        is_superuser=False,
        is_staff=False,
    )
    actor._state.adding = False
    actor._state.db = user._state.db
    held = set(token_roles_for(user, token.unit))
    grants = [
        RoleGrant(user_id=user.pk, role=role, unit=token.unit)
        for role in TOKEN_ROLES
        if role in held and role in token.roles
    ]
    assume_grants(actor, grants)
    return actor
