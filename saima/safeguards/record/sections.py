"""The safeguards' sections of the person's record, and the refs its decisions excuse.

Registered in ``SafeguardsConfig.ready()`` with ``saima.core.records``.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.records import RecordEntry
from saima.org.models import Person
from saima.safeguards.models import (
    DECIDED,
    ApplicationStatus,
    CaseStatus,
    ClarificationCase,
    ToleranceApplication,
)


def tolerance_entries(person: Person) -> list[RecordEntry]:
    """Every decided tolerance application of the person (容错决定)."""
    applications = ToleranceApplication.objects.filter(
        person=person, status__in=DECIDED
    ).select_related("item")
    entries = []
    for application in applications.order_by("-decided_at", "-pk"):
        outcome = application.get_status_display()
        if application.red_lines:
            outcome += _("（触及：%(lines)s）") % {"lines": application.red_lines}
        elif application.excused:
            outcome += _("（免予负面考核 %(count)d 项）") % {"count": len(application.excused)}
        entries.append(
            RecordEntry(
                ref=f"safeguards.toleranceapplication:{application.pk}",
                when=timezone.localdate(application.decided_at) if application.decided_at else None,
                title=_("容错申请：%(item)s") % {"item": application.item.name},
                outcome=outcome,
                url=reverse("safeguards:application", args=[application.pk]),
            )
        )
    return entries


def clarification_entries(person: Person) -> list[RecordEntry]:
    """Concluded clarification cases (澄清正名) of the person."""
    cases = ClarificationCase.objects.filter(
        person=person, status__in=(CaseStatus.CLARIFIED, CaseStatus.CLOSED)
    )
    entries = []
    for case in cases.order_by("-clarified_at", "-pk"):
        outcome = case.get_finding_display()
        if case.status == CaseStatus.CLARIFIED:
            outcome += " · " + case.get_form_display()
        entries.append(
            RecordEntry(
                ref=f"safeguards.clarificationcase:{case.pk}",
                when=timezone.localdate(case.clarified_at) if case.clarified_at else None,
                title=_("澄清正名：%(allegation)s") % {"allegation": case.allegation[:60]},
                outcome=outcome,
                url=reverse("safeguards:case", args=[case.pk]),
            )
        )
    return entries


def tolerated_refs(person: Person) -> set[str]:
    """Refs a tolerance decision excuses (予以容错, or the parts of 部分容错)."""
    refs: set[str] = set()
    decided = ToleranceApplication.objects.filter(
        person=person, status__in=(ApplicationStatus.TOLERATED, ApplicationStatus.PARTLY)
    )
    for excused in decided.values_list("excused", flat=True):
        refs.update(excused or [])
    return refs
