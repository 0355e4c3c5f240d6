"""Open data (开放数据): every published table as CSV and as JSON at a stable URL.

CSV goes through ``saima.core.exports`` (UTF-8 with BOM, formulas neutralised, safe file names),
with Chinese headers as in the app's exports. JSON keeps numbers as numbers and says which
documented schema it follows (``"schema": "saima.races.board/1"``; docs/portal.md describes
each), and always names the result and its SHA-256 digest, so a table can be checked against
the verification kit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping, Sequence
from functools import wraps
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import translation
from django.utils.http import content_disposition_header

from saima.core.exports import CSV, Table, attachment_response, safe_download_name, table_csv

FORMATS = ("csv", "json")
View = Callable[..., HttpResponse]
JSON = "application/json; charset=utf-8"


def in_default_language(view: View) -> View:
    """Open data reads the same in every language (Chinese headers and labels, as published),
    so its address is one for all and the Accept-Language a client sends changes nothing."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return wrapper


def check_format(fmt: str) -> None:
    if fmt not in FORMATS:
        raise Http404


def finite(value: Any) -> Any:
    """JSON has no NaN or infinity: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


def document_response(document: Mapping[str, Any], name: str) -> HttpResponse:
    body = json.dumps(finite(document), ensure_ascii=False, indent=1, allow_nan=False)
    response = HttpResponse(body + "\n", content_type=JSON)
    response["Content-Disposition"] = (
        content_disposition_header(False, safe_download_name(f"{name}.json")) or ""
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def table_data_response(
    title: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Mapping[str, Any]],
    name: str,
) -> HttpResponse:
    table = Table(
        title,
        [header for _key, header in columns],
        [[finite(row[key]) for key, _header in columns] for row in rows],
    )
    response = attachment_response(table_csv(table), CSV, f"{name}.csv")
    response["Access-Control-Allow-Origin"] = "*"
    return response
