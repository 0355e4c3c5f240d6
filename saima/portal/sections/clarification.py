"""Clarification notices on the portal (澄清正名公开通报).

A notice is about a person, and it is public only while that person's written consent stands
(``saima.safeguards.selectors.public_notices``): withdrawing the consent removes it from every
page at the commit (``publication_changed`` starts a new generation of kept pages). So:

- a notice shows what the notice itself publishes — its title (which names the person), its
  text, its date and the unit that issued it — and nothing of the case behind it (allegation,
  petitions, finding, the person's unit or position, the source);
- only the list and the notice pages carry names and text. They are kept by the portal's page
  cache (keyed by publication generation, so a withdrawal ends every copy) but never by the
  layer in front of Django (``saima.portal.kept``, whose workers hold a copy in memory for a
  moment), and browsers and proxies are told not to reuse them without asking
  (``Cache-Control: no-cache``);
- the front block, the archive and the Atom feed say only that notices exist (how many, when,
  which unit issued them), never a name or a text: a feed reader keeps every entry it has seen,
  and a withdrawal could never reach that copy;
- there is no CSV or JSON of notices, by decision (docs/portal.md): a bulk table of named
  people is copied whole by harvesters and mirrors that a withdrawal cannot reach, which would
  turn a consent the person may withdraw into one they cannot; and a notice has nothing to
  compute or verify, so open data would add only the copying.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.org.models import Unit
from saima.portal.cache import public_page
from saima.portal.rendering import render_portal
from saima.portal.sections.base import ArchiveEntry, Dataset, Publication, Section
from saima.safeguards import selectors
from saima.safeguards.models import ClarificationCase

View = Callable[..., HttpResponse]
REVALIDATE = "no-cache"


def consent_bound(view: View) -> View:
    """A page showing a notice: kept only where a withdrawal ends the copy at once."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if hasattr(response, "saima_public_language"):  # not for saima.portal.kept
            del response.saima_public_language
        response["Cache-Control"] = REVALIDATE
        return response

    return wrapper


# ---------------------------------------------------------------- reads


def notices() -> list[ClarificationCase]:
    """The standing notices, newest first."""
    return list(selectors.public_notices().select_related("clarified_by"))


def issuer_name(issuers: dict[int, Unit | None], case: ClarificationCase) -> str:
    unit = issuers.get(case.pk)
    return unit.name if unit is not None else ""


def notice_title(case: ClarificationCase) -> str:
    """The notice's own title (it names the person, as the notice does)."""
    return _("关于为%(name)s同志澄清正名的通报") % {"name": case.person.name}


def notice_year(case: ClarificationCase) -> int:
    assert case.clarified_at is not None
    return timezone.localtime(case.clarified_at).year


def list_url() -> str:
    return reverse("portal:clarification:list")


def notice_url(case: ClarificationCase) -> str:
    return reverse("portal:clarification:notice", args=[case.pk])


# ---------------------------------------------------------------- the section's providers


def front() -> dict[str, Any] | None:
    standing = notices()
    if not standing:
        return None
    return {"count": len(standing), "latest": standing[0].clarified_at, "url": list_url()}


def archive() -> list[ArchiveEntry]:
    """One entry a year (how many notices stand), never a name."""
    entries = []
    for year, group in itertools.groupby(notices(), key=notice_year):
        cases = list(group)
        entries.append(
            ArchiveEntry(
                year=year,
                order=(year, 0, 0),
                period_label=_("%(year)s年") % {"year": year},
                title=_("澄清正名公开通报（%(n)s 篇）") % {"n": len(cases)},
                url=f"{list_url()}#year-{year}",
                published_at=cases[0].clarified_at,
            )
        )
    return entries


def datasets() -> list[Dataset]:
    """None, by decision: see the module's docstring."""
    return []


def publications(limit: int) -> list[Publication]:
    """That a notice was published, by which unit and when; its title and text stay on the
    portal, where a withdrawal reaches them."""
    cases = notices()[:limit]
    issuers = selectors.notice_issuers(cases)
    out = []
    for case in cases:
        assert case.clarified_at is not None
        issuer = issuer_name(issuers, case)
        title = _("澄清正名公开通报") + (f" · {issuer}" if issuer else "")
        summary = _("经本人同意公开；本人撤回同意后撤下。全文见门户。")
        out.append(
            Publication(
                f"safeguards.notice.{case.pk}", title, notice_url(case), case.clarified_at, summary
            )
        )
    return out


# ---------------------------------------------------------------- pages


def notice_facts(case: ClarificationCase, issuers: dict[int, Unit | None]) -> dict[str, Any]:
    return {
        "pk": case.pk,
        "title": notice_title(case),
        "text": case.statement,
        "date": case.clarified_at,
        "issuer": issuer_name(issuers, case),
        "url": notice_url(case),
    }


@consent_bound
@public_page()
def list_page(request: HttpRequest) -> HttpResponse:
    standing = notices()
    issuers = selectors.notice_issuers(standing)
    years = [
        {"year": year, "notices": [notice_facts(c, issuers) for c in group]}
        for year, group in itertools.groupby(standing, key=notice_year)
    ]
    return render_portal(request, "portal/clarification/list.html", {"years": years})


@consent_bound
@public_page()
def notice_page(request: HttpRequest, pk: int) -> HttpResponse:
    case = selectors.public_notices().filter(pk=pk).select_related("clarified_by").first()
    if case is None:
        raise Http404
    notice = notice_facts(case, selectors.notice_issuers([case]))
    return render_portal(request, "portal/clarification/notice.html", {"notice": notice})


SECTION = Section(
    code="clarification",
    title=gettext_lazy("澄清正名"),
    front_template="portal/clarification/front.html",
    front=front,
    archive=archive,
    datasets=datasets,
    publications=publications,
    pages=[
        path("", list_page, name="list"),
        path("<int:pk>/", notice_page, name="notice"),
    ],
    data=[],
)
