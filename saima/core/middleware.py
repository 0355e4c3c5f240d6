"""Response headers for every page: a strict Content-Security-Policy, and no caching of private pages.

The policy allows every script, style, font and image from this host only.

Government networks are often closed; a page that reaches for a CDN breaks there. The policy
makes any such slip visible in the browser console at once, and a test asserts the header.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self' ws: wss:; "
    "frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", POLICY)
        return response


PRIVATE = "private, no-store"


class PrivateCacheMiddleware:
    """Nothing shown to a signed-in user is kept by a browser, proxy or shared computer's cache.

    A signed-in page or download may hold unpublished numbers; ``no-store`` keeps it off disk and
    ``private`` out of shared caches. Responses to the public (published boards) are left as the
    view made them, so they stay cacheable.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session_cookie = settings.SESSION_COOKIE_NAME
        if session_cookie not in request.COOKIES and session_cookie not in response.cookies:
            # No session, so nobody is signed in; asking would load the session and add
            # ``Vary: Cookie`` to pages that are the same for everyone.
            return response
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response.headers["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
        return response


class NulRefusingMiddleware:
    """An address or query with a NUL character names nothing: refused before any view runs.

    PostgreSQL refuses NUL in text, so a lookup with one (``/portal/conduct/%00/``,
    ``/api/v1/results?race=%00``) raised a server error there (SQLite merely found nothing).
    A NUL in the path answers 404; in a query parameter, 404 on a page and, under ``/api/``,
    the API's JSON error naming the parameter (422), in the request's language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if "\x00" in request.path:
            if request.path.startswith(API):
                return _api_error(404, None, "not_found", _("不存在，或你无权查看"))
            raise Http404
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                if request.path.startswith(API):
                    return _api_error(422, key, "nul", _("不能含有 NUL 字符"))
                raise Http404
        return self.get_response(request)


API = "/api/"


def _api_error(status: int, field: str | None, code: str, message: str) -> JsonResponse:
    """The API's error shape (``saima.api.v1.errors``), which core may not import."""
    problem = {"field": field, "code": code, "message": message}
    return JsonResponse(
        {"errors": [problem]}, status=status, json_dumps_params={"ensure_ascii": False}
    )
