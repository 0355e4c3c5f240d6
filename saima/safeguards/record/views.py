"""The person's record (干部考核档案): the list of people in scope, one person's record, and its
XLSX export; plus the safeguards' overview page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from saima.core.exports import XLSX, attachment_response, tables_xlsx
from saima.core.records import record_of
from saima.org.models import Person
from saima.safeguards import selectors
from saima.safeguards.permissions import (
    is_officer,
    may_apply_for,
    may_read_record,
    works_with_safeguards,
)
from saima.safeguards.record.exports import record_tables


@login_required
def index(request: HttpRequest) -> HttpResponse:
    if not works_with_safeguards(request.user):
        raise PermissionDenied
    applications = selectors.application_queue(request.user)
    cases = selectors.cases_visible(request.user)
    context = {
        "officer": is_officer(request.user),
        "applications": applications.filter(status__in=selectors.OPEN_APPLICATIONS)[:20],
        "decided": applications.exclude(status__in=selectors.OPEN_APPLICATIONS).order_by(
            "-decided_at"
        )[:10],
        "queue": selectors.case_queue(cases)[:10],
        "stats": {
            **selectors.case_statistics(cases),
            "referred": len(selectors.false_accusation_findings(request.user)),
        },
        "own_person": request.user.person if getattr(request.user, "person_id", None) else None,  # type: ignore[union-attr]
    }
    return render(request, "safeguards/index.html", context)


@login_required
def people(request: HttpRequest) -> HttpResponse:
    if not works_with_safeguards(request.user):
        raise PermissionDenied
    query = request.GET.get("q", "")
    found = selectors.people_in_scope(request.user, query)
    return render(
        request,
        "safeguards/people.html",
        {"people": found[:200], "q": query[:60], "count": found.count()},
    )


def _person(request: HttpRequest, pk: int) -> Person:
    person = get_object_or_404(Person.objects.select_related("unit"), pk=pk)
    if not may_read_record(request.user, person):
        raise Http404
    return person


@login_required
def person_record(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    context = {
        "person": person,
        "sections": record_of(person),
        "may_apply": may_apply_for(request.user, person),
    }
    return render(request, "safeguards/person_record.html", context)


@login_required
def person_record_export(request: HttpRequest, pk: int) -> HttpResponse:
    person = _person(request, pk)
    content = tables_xlsx(record_tables(person, record_of(person)))
    stamp = timezone.localdate().strftime("%Y%m%d")
    return attachment_response(content, XLSX, f"干部考核档案-{person.name}-{stamp}.xlsx")
