from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from saima.bulletins.content import Content
from saima.bulletins.models import Bulletin, BulletinStatus, BulletinVersion
from saima.org.permissions import units_organised_by


def bulletins_for(user: Any) -> QuerySet[Bulletin]:
    """Published bulletins, and the drafts of the units the user organises."""
    published = Q(status=BulletinStatus.PUBLISHED)
    if getattr(user, "is_superuser", False):
        return Bulletin.objects.select_related("owner")
    if not getattr(user, "is_authenticated", False):
        return Bulletin.objects.filter(published).select_related("owner")
    mine = Q(owner__in=units_organised_by(user))
    return Bulletin.objects.filter(published | mine).select_related("owner")


def newest_version(bulletin: Bulletin) -> BulletinVersion | None:
    return bulletin.versions.order_by("-number").first()


def preview_content(version: BulletinVersion | None) -> Content | None:
    return Content.from_json(version.content) if version is not None else None
