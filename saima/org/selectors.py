"""Reads of the unit tree."""

from __future__ import annotations

from django.db.models import QuerySet

from saima.org.models import PeerGroup, Unit, UnitLevel


def province() -> Unit | None:
    return Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("path").first()


def peer_groups_with_counts() -> QuerySet[PeerGroup]:
    from django.db.models import Count

    return (
        PeerGroup.objects.select_related("owner").annotate(size=Count("members")).order_by("code")
    )
