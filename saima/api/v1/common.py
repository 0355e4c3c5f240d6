"""Pieces every router shares: paging and the request body limit."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Schema
from ninja.parser import Parser
from pydantic import Field

from saima.api.v1.errors import problem

T = TypeVar("T")

MAX_BODY_BYTES = 256 * 1024  # a quarter's report is a few hundred bytes
MAX_LIMIT = 500

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page (1–500).")]
Offset = Annotated[int, Query(ge=0, le=10**9, description="Items to skip.")]


class PageMeta(Schema):
    count: int = Field(description="All items matching the filters.")
    limit: int
    offset: int


def page(items: Sequence[T] | QuerySet[Any], limit: int, offset: int) -> dict[str, Any]:
    """One page of ``items`` with the total count (a queryset is counted and sliced in SQL)."""
    count = items.count() if isinstance(items, QuerySet) else len(items)
    return {
        "count": count,
        "limit": limit,
        "offset": offset,
        "items": list(items[offset : offset + limit]),
    }


class BoundedJsonParser(Parser):
    """JSON bodies up to ``MAX_BODY_BYTES``; a larger one is refused before it is parsed."""

    def parse_body(self, request: HttpRequest) -> Any:
        length = request.META.get("CONTENT_LENGTH") or "0"
        if (length.isdigit() and int(length) > MAX_BODY_BYTES) or len(
            request.body
        ) > MAX_BODY_BYTES:
            raise problem(
                413,
                "too_large",
                _("请求内容过大（上限 %(kb)s KB）") % {"kb": MAX_BODY_BYTES // 1024},
            )
        return super().parse_body(request)
