"""Rendering a portal page: the frame's context, the same for every visitor.

Nothing here reads the user, the session or a CSRF token, so a portal page is identical for
everyone who asks in one language: it can be kept whole (``saima.portal.cache``) and by any
proxy. The language is in the address (/zh-hans/portal/…, /en/portal/…).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import translate_url
from django.utils.translation import get_language, get_language_info


def language_links(request: HttpRequest) -> list[dict[str, Any]]:
    here = get_language()
    return [
        {
            "code": code,
            "name": get_language_info(code)["name_local"],
            "url": translate_url(request.path, code),
            "current": code == here,
        }
        for code, _name in settings.LANGUAGES
    ]


def render_portal(
    request: HttpRequest, template: str, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    frame = {"languages": language_links(request), "page_path": request.path}
    body = render_to_string(template, {**frame, **context})
    return HttpResponse(body, status=status)
