"""One error shape for every API answer that is not 200, in the request's language.

``{"errors": [{"field": "values.fai", "code": "bounds", "message": "…"}]}``: ``field`` names
the part of the request at fault (``null``: the request as a whole), ``code`` is stable for
programs, ``message`` is the web's own message, in the language of ``Accept-Language``
(Chinese by default, English on ``Accept-Language: en``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import Field

from saima.core.workflow import ActionRefused


class Problem(Schema):
    field: str | None = Field(
        None, description="The request field at fault, e.g. `values.fai`; null: the request."
    )
    code: str = Field(description="A stable code for programs, e.g. `bounds`, `not_found`.")
    message: str = Field(description="The reason, in the request's language (Accept-Language).")


class ErrorOut(Schema):
    errors: list[Problem]


@dataclass(frozen=True)
class ProblemItem:
    field: str | None
    code: str
    message: str


class ApiProblem(Exception):
    """Answer ``status`` with these problems (raised by the routers)."""

    def __init__(self, status: int, problems: Sequence[ProblemItem]) -> None:
        super().__init__(status, problems)
        self.status = status
        self.problems = list(problems)


def problem(status: int, code: str, message: str, field: str | None = None) -> ApiProblem:
    return ApiProblem(status, [ProblemItem(field, code, message)])


def errors_response(
    api: NinjaAPI, request: HttpRequest, status: int, problems: Sequence[ProblemItem]
) -> HttpResponse:
    body = {"errors": [{"field": p.field, "code": p.code, "message": p.message} for p in problems]}
    return api.create_response(request, body, status=status)


def _field(loc: Sequence[Any]) -> str | None:
    """``["body", "payload", "values", "fai"]`` → ``values.fai``; query and path names as is."""
    parts = [str(part) for part in loc]
    if parts and parts[0] in ("body", "query", "path", "header"):
        parts = parts[1:]
    if parts and parts[0] == "payload":
        parts = parts[1:]
    return ".".join(parts) or None


def install_error_handlers(api: NinjaAPI) -> None:
    def handle(exc_class: type[Exception]) -> Callable[[Callable[..., HttpResponse]], Any]:
        def register(handler: Callable[..., HttpResponse]) -> Any:
            api.add_exception_handler(exc_class, handler)
            return handler

        return register

    def one(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
        return errors_response(api, request, status, [ProblemItem(None, code, message)])

    @handle(ApiProblem)
    def api_problem(request: HttpRequest, exc: ApiProblem) -> HttpResponse:
        return errors_response(api, request, exc.status, exc.problems)

    @handle(AuthenticationError)
    def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = one(
            request,
            401,
            "unauthenticated",
            _("需要有效的 API 令牌（请求头 Authorization: Bearer 令牌）"),
        )
        response["WWW-Authenticate"] = 'Bearer realm="saima"'
        return response

    @handle(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return one(request, 404, "not_found", _("不存在，或你无权查看"))

    @handle(PermissionDenied)
    def forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        return one(request, 403, "forbidden", str(exc) or _("你没有执行此操作的权限"))

    @handle(ActionRefused)
    def refused(request: HttpRequest, exc: ActionRefused) -> HttpResponse:
        return one(request, 409, "refused", str(exc))

    @handle(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        problems = [
            ProblemItem(
                _field(error.get("loc", ())),
                str(error.get("type", "invalid")),
                _("不符合接口定义：%(reason)s") % {"reason": error.get("msg", "")},
            )
            for error in exc.errors
        ]
        return errors_response(api, request, 422, problems)

    @handle(Throttled)
    def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
        seconds = max(1, math.ceil(exc.wait or 1))
        response = one(
            request, 429, "throttled", _("请求过于频繁，请 %(s)s 秒后再试") % {"s": seconds}
        )
        response["Retry-After"] = str(seconds)
        return response

    @handle(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return one(request, 413, "too_large", _("请求内容过大"))

    @handle(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        cause = exc.__cause__
        if isinstance(cause, ApiProblem):  # raised while the body was read (too large)
            return errors_response(api, request, cause.status, cause.problems)
        if exc.status_code == 400:  # ninja could not read the body
            return one(request, 400, "malformed", _("请求内容不是有效的 JSON"))
        return one(request, exc.status_code, "error", str(exc))


def responses(ok: Any, *statuses: int) -> dict[int, Any]:
    """The documented answers of an operation: ``ok`` for 200, ``ErrorOut`` for the others
    (every operation may also answer 401 for a bad token and 429 when throttled)."""
    out: dict[int, Any] = {200: ok}
    for status in sorted({401, 422, 429, *statuses}):
        out[status] = ErrorOut
    return out
