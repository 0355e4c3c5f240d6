"""API tokens (接口令牌): how a program acts for one user, limited to one unit and some roles.

A token belongs to a user and carries a subset of that user's powers: one ``unit`` and the
``roles`` chosen when it was made. On each request the token's user is given only the grants
that both the user holds *now* and the token names (see ``saima.api.permissions``), so revoking
a role from the user takes it from their tokens at once. Superuser status is never carried.

Only the SHA-256 of the token is stored; its ``prefix`` (the part before the secret) is shown
in lists and used to find the row. The full token is shown once, when it is made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saima.org.models import Role, Unit, User


class ApiToken(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("用户"),
        on_delete=models.PROTECT,
        related_name="api_tokens",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("单位"), on_delete=models.PROTECT, related_name="api_tokens"
    )
    roles = models.JSONField(_("角色"), default=list)
    name = models.CharField(_("用途"), max_length=60)
    prefix = models.CharField(_("令牌前缀"), max_length=20, unique=True)
    secret_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("有效期至"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("吊销人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    use_count = models.PositiveBigIntegerField(_("使用次数"), default=0)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… · {self.name}"

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(role).label) for role in self.roles if role in Role.values]

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def active(self) -> bool:
        return not self.revoked and not self.expired


class TokenActor(User):
    """The user as a token presents them: the same id and name (so audit events name the user),
    only the grants the token carries, never superuser. Built in memory per request and never
    saved (``save`` refuses), so a token can never widen or change the stored user."""

    class Meta:
        proxy = True
        default_permissions = ()

    def save(self, *args: object, **kwargs: object) -> None:
        raise TypeError("a token's actor is never saved")
