"""Reads of the unit tree."""

from __future__ import annotations

from django.db.models import QuerySet

from saima.org.models import PeerGroup, Unit, UnitLevel


def province() -> Unit | None:
    return Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("path").first()


def subtree(unit: Unit, *, level: str | None = None) -> QuerySet[Unit]:
    units = Unit.objects.filter(path__startswith=unit.path)
    return units.filter(level=level) if level else units


def children_by_level(unit: Unit) -> dict[str, list[Unit]]:
    grouped: dict[str, list[Unit]] = {}
    for child in unit.children.order_by("path"):
        grouped.setdefault(child.level, []).append(child)
    return grouped


def peer_groups_with_counts() -> QuerySet[PeerGroup]:
    from django.db.models import Count

    return (
        PeerGroup.objects.select_related("owner").annotate(size=Count("members")).order_by("code")
    )
