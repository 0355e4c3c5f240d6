"""The HTTP API, version 1 (``/api/v1/``), with its OpenAPI schema at ``/api/v1/openapi.json``
and its documentation at ``/api/docs``.

Each mechanism app is one router module here (``org``, ``races``, ``projects``, ``arena``,
``conduct``, ``bulletins``): ``api.add_router("", <module>.router)``. The schema is
in English; error messages follow the request's ``Accept-Language`` (Chinese by default).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver, path, reverse
from ninja import NinjaAPI
from ninja.openapi.schema import OpenAPISchema
from ninja.renderers import JSONRenderer

from saima.api.v1 import arena, bulletins, conduct, org, projects, races
from saima.api.v1.auth import OptionalTokenAuth, TokenAuth, WindowThrottle
from saima.api.v1.common import BoundedJsonParser
from saima.api.v1.errors import install_error_handlers
from saima.core.middleware import PRIVATE

DESCRIPTION = """
Saima (赛马) publishes performance races of local governments. This API reads units, peer
groups, races with their schemes, periods, published results with their explanations and
incentive regions, key-project lists with their projects, lights, ratings and cards, and
revealed arena contests with their results, published conduct award rounds and the rotating
flag's holders, published bulletins and commendations with their files' SHA-256, and the
clarification notices whose person consented; it lets a unit's reporter save and submit a
period's values and a key project's monthly report.

**Tokens.** Send `Authorization: Bearer saima_…`. A token is made by a signed-in user on the
page *API 令牌*; it acts as that user limited to one unit and the roles chosen, expires, and can
be revoked. Without a token, requests see what the public web shows (published results).

**Errors** are JSON: `{"errors": [{"field": "values.fai", "code": "bounds", "message": "…"}]}`,
messages in the request's language (`Accept-Language: zh-hans` or `en`).

**Limits.** Requests a minute per token and per client address without one are limited (429
with `Retry-After`); request bodies up to 256 KB.
"""


class Utf8JsonRenderer(JSONRenderer):
    """JSON as UTF-8 text: Chinese names read as themselves, not as ``\\u`` escapes."""

    json_dumps_params = {"ensure_ascii": False}


class SaimaAPI(NinjaAPI):
    def create_response(
        self,
        request: HttpRequest,
        data: Any,
        *,
        status: int | None = None,
        temporal_response: HttpResponse | None = None,
    ) -> HttpResponse:
        """Every answer to a token is private (it may hold unpublished data): never stored by a
        browser or a shared cache, like the signed-in web pages."""
        response = super().create_response(
            request, data, status=status, temporal_response=temporal_response
        )
        if getattr(request, "api_token", None) is not None:
            response["Cache-Control"] = PRIVATE
        return response

    def _get_urls(self) -> list[URLResolver | URLPattern]:
        """Ninja's URLs, with the root answering a short index instead of a 404."""
        urls = [u for u in super()._get_urls() if getattr(u, "name", None) != "api-root"]
        return [*urls, path("", api_index, name="api-root")]

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        """Operations that also answer without a token say so: ``security: [TokenAuth, {}]``."""
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        optional = OptionalTokenAuth.__name__
        for item in schema["paths"].values():
            for operation in item.values():
                if operation.get("security") == [{optional: []}]:
                    operation["security"] = [{TokenAuth.__name__: []}, {}]
        schema["components"].get("securitySchemes", {}).pop(optional, None)
        return schema


def api_index(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return JsonResponse(
        {
            "name": "Saima API",
            "version": "1",
            "docs": reverse("api-docs"),
            "openapi": reverse("api-v1:openapi-json"),
        }
    )


api = SaimaAPI(
    title="Saima API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    parser=BoundedJsonParser(),
    renderer=Utf8JsonRenderer(),
    throttle=[WindowThrottle()],
)
install_error_handlers(api)
api.add_router("", org.router)
api.add_router("", races.router)
api.add_router("", projects.router)
api.add_router("", arena.router)
api.add_router("", conduct.router)
api.add_router("", bulletins.router)
