"""Reads of the safeguards: queues, scopes, statistics, public notices."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from saima.core.referrals import Referral, false_accusations
from saima.org.models import Person, Role, RoleGrant, Unit
from saima.org.permissions import AnyUser, scope_filter
from saima.safeguards.models import (
    ApplicationStatus,
    CaseStatus,
    ClarificationCase,
    ClarificationForm,
    Consent,
    Finding,
    ReformItem,
    ToleranceApplication,
)

OPEN_CASES = (CaseStatus.OPENED, CaseStatus.VERIFIED)
OPEN_APPLICATIONS = (ApplicationStatus.SUBMITTED, ApplicationStatus.UNDER_REVIEW)


def _own(user: AnyUser) -> Q:
    person_id = getattr(user, "person_id", None)
    return Q(person_id=person_id) if person_id else Q(pk__in=[])


def applications_visible(user: AnyUser) -> QuerySet[ToleranceApplication]:
    """Applications over the user's discipline scope, and their own."""
    scope = scope_filter(user, [Role.DISCIPLINE], field="unit__path")
    return ToleranceApplication.objects.filter(scope | _own(user)).select_related(
        "person", "unit", "item"
    )


def application_queue(user: AnyUser) -> QuerySet[ToleranceApplication]:
    return applications_visible(user).order_by("status", "submitted_at", "pk")


def cases_visible(user: AnyUser) -> QuerySet[ClarificationCase]:
    scope = scope_filter(user, [Role.DISCIPLINE], field="unit__path")
    return ClarificationCase.objects.filter(scope | _own(user)).select_related("person", "unit")


def case_queue(cases: QuerySet[ClarificationCase]) -> QuerySet[ClarificationCase]:
    """Open cases, frontline cadres (一线干部) first, then by petition count, oldest first."""
    return cases.filter(status__in=OPEN_CASES).order_by(
        "-person__frontline", "-petitions", "opened_at", "pk"
    )


def case_statistics(cases: QuerySet[ClarificationCase]) -> dict[str, int]:
    """The statistics panel: cases, cleared, false accusations (诬告) found, notices public."""
    counts = cases.aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status__in=OPEN_CASES)),
        cleared=Count("pk", filter=Q(status=CaseStatus.CLARIFIED)),
        false_accusations=Count("pk", filter=Q(finding=Finding.FALSE_ACCUSATION)),
        untrue=Count("pk", filter=Q(finding=Finding.UNTRUE)),
        substantiated=Count("pk", filter=Q(finding=Finding.SUBSTANTIATED)),
    )
    counts["notices"] = public_notices(cases).count()
    return counts


def with_consent() -> Exists:
    return Exists(Consent.objects.filter(case=OuterRef("pk"), withdrawn_at=None))


def public_notices(
    cases: QuerySet[ClarificationCase] | None = None,
) -> QuerySet[ClarificationCase]:
    """Public notices (公开通报) the public may read: clarified by notice, consent standing."""
    base = ClarificationCase.objects.all() if cases is None else cases
    return (
        base.filter(status=CaseStatus.CLARIFIED, form=ClarificationForm.PUBLIC_NOTICE)
        .filter(with_consent())
        .select_related("person", "unit")
        .order_by("-clarified_at", "-pk")
    )


def notice_issuers(cases: list[ClarificationCase]) -> dict[int, Unit | None]:
    """The unit that issued each notice (通报单位): the nearest unit over the person's unit in
    which the officer who clarified the case holds the discipline role (a superuser with no
    such role: none)."""
    grants = RoleGrant.objects.filter(
        role=Role.DISCIPLINE, user_id__in={c.clarified_by_id for c in cases}
    ).select_related("unit")
    by_user: dict[int, list[Unit]] = {}
    for grant in grants:
        by_user.setdefault(grant.user_id, []).append(grant.unit)
    issuers: dict[int, Unit | None] = {}
    for case in cases:
        over = [
            u
            for u in by_user.get(case.clarified_by_id or 0, [])
            if case.unit.path.startswith(u.path)
        ]
        issuers[case.pk] = max(over, key=lambda u: len(u.path), default=None)
    return issuers


def people_in_scope(user: AnyUser, query: str = "") -> QuerySet[Person]:
    """Cadres whose record the user may read through a role (discipline or organiser)."""
    people = Person.objects.filter(
        scope_filter(user, [Role.DISCIPLINE, Role.ORGANISER], field="unit__path")
    ).select_related("unit")
    query = query.strip()[:60]
    if query:
        people = people.filter(
            Q(name__icontains=query) | Q(position__icontains=query) | Q(unit__name__icontains=query)
        )
    return people.order_by("unit__path", "name", "pk")


@dataclass(frozen=True)
class ReferredFinding:
    """A false-accusation finding (诬告查实) from another app, with the person it clears and
    the case opened from it, if any."""

    referral: Referral
    person: Person
    case: ClarificationCase | None


def false_accusation_findings(user: AnyUser) -> list[ReferredFinding]:
    """Findings (``saima.core.referrals``) about cadres in the user's discipline scope."""
    referrals = false_accusations()
    if not referrals:
        return []
    people = {
        p.pk: p
        for p in Person.objects.filter(
            scope_filter(user, [Role.DISCIPLINE], field="unit__path"),
            pk__in={r.person_id for r in referrals},
        ).select_related("unit")
    }
    refs = [r.ref for r in referrals if r.person_id in people]
    cases = {
        (c.person_id, c.source_ref): c
        for c in ClarificationCase.objects.filter(source_ref__in=refs)
    }
    return [
        ReferredFinding(r, people[r.person_id], cases.get((r.person_id, r.ref)))
        for r in referrals
        if r.person_id in people
    ]


def referral_for(person: Person, ref: str) -> Referral | None:
    return next((r for r in false_accusations(person.pk) if r.ref == ref), None)


def items_visible(user: AnyUser) -> QuerySet[ReformItem]:
    """Reform items the user manages, and those a linked cadre may apply under."""
    condition = scope_filter(user, [Role.DISCIPLINE, Role.ORGANISER], field="owner__path")
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is not None:
        condition |= Q(pk__in=items_for(person).values("pk"))
    return ReformItem.objects.filter(condition).select_related("owner")


def items_for(person: Person) -> QuerySet[ReformItem]:
    """Items whose owning unit contains the person's unit: what they may apply under."""
    paths = [person.unit.path[:end] for end in range(1, len(person.unit.path) + 1)]
    return ReformItem.objects.filter(owner__path__in=paths).select_related("owner")


def dashboard_counts(user: AnyUser) -> dict[str, Any]:
    applications = applications_visible(user)
    cases = cases_visible(user)
    waiting = [f for f in false_accusation_findings(user) if f.case is None]
    return {
        "referred": waiting[:5],
        "submitted": applications.filter(status=ApplicationStatus.SUBMITTED).count(),
        "under_review": applications.filter(status=ApplicationStatus.UNDER_REVIEW).count(),
        "cases": list(case_queue(cases)[:5]),
        "stats": case_statistics(cases),
    }
