"""Units (单位) and peer groups (同类组): the directory every signed-in user sees on the web, so
any valid token reads it."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from pydantic import Field

from saima.api.v1.auth import TOKEN
from saima.api.v1.common import Limit, Offset, PageMeta, page
from saima.api.v1.errors import responses
from saima.org.models import PeerGroup, Unit, UnitLevel

router = Router(tags=["units"], auth=TOKEN)


class UnitOut(Schema):
    code: str
    name: str
    name_en: str
    level: UnitLevel
    kind: str
    parent: str | None = Field(description="The parent unit's code (null for the province).")
    is_mountain_county: bool

    @staticmethod
    def resolve_parent(unit: Unit) -> str | None:
        return unit.parent.code if unit.parent else None


class UnitPage(PageMeta):
    items: list[UnitOut]


class UnitFilters(Schema):
    level: UnitLevel | None = Field(None, description="Only units of this level.")
    within: str | None = Field(
        None, max_length=32, description="Only this unit (by code) and its subtree."
    )
    parent: str | None = Field(
        None, max_length=32, description="Only direct children of this unit."
    )


@router.get("/units", response=responses(UnitPage), url_name="units", summary="List units")
def list_units(
    request: HttpRequest, filters: Query[UnitFilters], limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    units = Unit.objects.select_related("parent").order_by("path")
    if filters.level:
        units = units.filter(level=filters.level)
    if filters.within:
        scope = Unit.objects.filter(code=filters.within).first()
        units = units.filter(path__startswith=scope.path) if scope else units.none()
    if filters.parent:
        units = units.filter(parent__code=filters.parent)
    return page(units, limit, offset)


@router.get("/units/{code}", response=responses(UnitOut, 404), url_name="unit", summary="One unit")
def get_unit(request: HttpRequest, code: str) -> Unit:
    return get_object_or_404(Unit.objects.select_related("parent"), code=code)


class PeerGroupOut(Schema):
    code: str
    name: str
    owner: str = Field(description="The owning unit's code.")
    members: list[str] = Field(description="Member units' codes.")

    @staticmethod
    def resolve_owner(group: PeerGroup) -> str:
        return group.owner.code

    @staticmethod
    def resolve_members(group: PeerGroup) -> list[str]:
        return [unit.code for unit in group.members.all()]


class PeerGroupPage(PageMeta):
    items: list[PeerGroupOut]


@router.get(
    "/peer-groups",
    response=responses(PeerGroupPage),
    url_name="peer-groups",
    summary="List peer groups",
)
def list_peer_groups(
    request: HttpRequest, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    groups = PeerGroup.objects.select_related("owner").prefetch_related("members").order_by("code")
    return page(groups, limit, offset)
