"""Objects the safeguards' views look up from the URL or a form, refused the same way everywhere."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from saima.org.models import Person
from saima.safeguards.permissions import may_apply_for


def posted_pk(value: str | None) -> int:
    """A primary key from a form; anything but a short run of digits is a 404, never a 500."""
    if not value or not value.isdigit() or len(value) > 18:
        raise Http404
    return int(value)


def applicant(request: HttpRequest, pk: int) -> Person:
    """The cadre an application or a case is about: 403 unless the user may start one."""
    person = get_object_or_404(Person.objects.select_related("unit"), pk=pk)
    if not may_apply_for(request.user, person):
        raise PermissionDenied
    return person
