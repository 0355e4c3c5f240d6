"""Writes of API tokens: make (the secret shown once), revoke, and record a use.

A token reads ``saima_<prefix>_<secret>``: the prefix (8 characters, not secret) finds the row
and is shown in lists; the secret is 32 random bytes (256 bits) in URL-safe base64. Only the
SHA-256 of the whole token is stored, so a copy of the database lets no one use a token.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.api.models import ApiToken
from saima.api.permissions import may_create_token, may_revoke_token
from saima.core.audit import record_event
from saima.core.workflow import ActionForbidden, ActionRefused
from saima.org.models import Unit

TOKEN_PREFIX = "saima"
MAX_DAYS = 366
PREFIX_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"


class TokenRefused(ActionRefused):
    """A token cannot be made or revoked as asked; the message is meant for the user."""


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    plaintext: str  # shown once, never stored


def token_digest(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def _new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(8))


def split_token(plaintext: str) -> str | None:
    """The prefix of a token written ``saima_<prefix>_<secret>``, or None if it is not one."""
    parts = plaintext.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX or len(parts[1]) != 8 or not parts[2]:
        return None
    return parts[1]


def token_create(
    *, actor: Any, unit: Unit, roles: Iterable[str], name: str, days: int
) -> IssuedToken:
    """A new token of ``actor`` limited to ``unit`` and ``roles``, valid ``days`` days."""
    roles = sorted(set(roles))
    if not may_create_token(actor, unit, roles):
        raise ActionForbidden(_("你不能为该单位创建带有这些角色的令牌"))
    name = name.strip()
    if not name:
        raise TokenRefused(_("请写明令牌的用途"))
    if not 1 <= days <= MAX_DAYS:
        raise TokenRefused(_("有效期须在 1 到 %(max)s 天之间") % {"max": MAX_DAYS})
    prefix = _new_prefix()
    plaintext = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=actor,
            unit=unit,
            roles=roles,
            name=name[:60],
            prefix=prefix,
            secret_hash=token_digest(plaintext),
            expires_at=timezone.now() + dt.timedelta(days=days),
        )
        record_event(
            actor=actor,
            action="api.token.create",
            obj=token,
            after={
                "prefix": prefix,
                "user": token.user_id,
                "unit": unit.code,
                "roles": roles,
                "name": token.name,
                "expires_at": token.expires_at,
            },
        )
    return IssuedToken(token, plaintext)


def token_revoke(*, actor: Any, token: ApiToken, reason: str = "") -> ApiToken:
    if not may_revoke_token(actor, token):
        raise ActionForbidden(_("你不能吊销这个令牌"))
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            raise TokenRefused(_("该令牌已经吊销"))
        token.revoked_at = timezone.now()
        token.revoked_by = actor
        token.save(update_fields=["revoked_at", "revoked_by"])
        record_event(
            actor=actor,
            action="api.token.revoke",
            obj=token,
            after={"prefix": token.prefix, "revoked_at": token.revoked_at},
            reason=reason,
        )
    return token


def token_authenticate(plaintext: str) -> ApiToken | None:
    """The active token ``plaintext`` names, its use counted; None for anything else."""
    prefix = split_token(plaintext)
    if prefix is None:
        return None
    token = (
        ApiToken.objects.select_related("user", "unit")
        .filter(prefix=prefix, revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not hmac.compare_digest(token.secret_hash, token_digest(plaintext)):
        return None
    if not token.user.is_active:
        return None
    now = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(use_count=F("use_count") + 1, last_used_at=now)
    token.last_used_at = now
    return token
