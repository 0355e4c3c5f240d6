"""Reading clues, rounds and the flag: every officer's list is cut to their scope, and the
public reads only what is published."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils.translation import gettext as _

from saima.conduct.models import (
    Award,
    AwardKind,
    AwardRound,
    Clue,
    ClueStatus,
    FlagHolding,
    Rectification,
    RectificationStatus,
)
from saima.conduct.permissions import own_unit_id
from saima.core.records import RecordEntry
from saima.core.referrals import Referral
from saima.org.models import Person, Role, Unit, User
from saima.org.permissions import AnyUser, scope_filter


def clues_for(user: AnyUser, status: str = "") -> QuerySet[Clue]:
    """Clues in the officer's discipline scope, without those about their own unit or self."""
    clues = Clue.objects.filter(scope_filter(user, [Role.DISCIPLINE], field="unit__path"))
    own = own_unit_id(user)
    if own is not None:
        person = getattr(user, "person", None)
        clues = clues.exclude(unit_id=own).exclude(person=person)
    if status:
        clues = clues.filter(status=status)
    return clues.select_related("unit", "person", "assignee")


def status_counts(user: AnyUser) -> dict[str, int]:
    counts = {status: 0 for status in ClueStatus.values}
    for status in clues_for(user).values_list("status", flat=True):
        counts[status] += 1
    return counts


def eligible_assignees(clue: Clue) -> list[User]:
    """Discipline officers whose scope holds the clue's unit and who are not conflicted."""
    from saima.conduct.permissions import may_be_assigned

    ancestors = [p for p in _ancestor_paths(clue.unit.path)]
    users = (
        User.objects.filter(
            grants__role=Role.DISCIPLINE, grants__unit__path__in=ancestors, is_active=True
        )
        .distinct()
        .select_related("person")
        .order_by("username")
    )
    return [user for user in users if may_be_assigned(user, clue)]


def _ancestor_paths(path: str) -> list[str]:
    parts = [p for p in path.split("/") if p]
    return ["/" + "/".join(parts[: i + 1]) + "/" for i in range(len(parts))]


def units_in_discipline_scope(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_filter(user, [Role.DISCIPLINE])).order_by("path")


def units_under(owner: Unit) -> QuerySet[Unit]:
    """The units an award of ``owner``'s round may go to: its subtree, itself excepted."""
    return Unit.objects.filter(path__startswith=owner.path).exclude(pk=owner.pk).order_by("path")


def rounds_for(user: AnyUser) -> QuerySet[AwardRound]:
    return AwardRound.objects.filter(
        scope_filter(user, [Role.DISCIPLINE], field="owner__path")
    ).select_related("owner")


def round_scopes_for(user: AnyUser) -> QuerySet[Unit]:
    return Unit.objects.filter(scope_filter(user, [Role.DISCIPLINE])).exclude(level="department")


def rectifications_for(user: AnyUser) -> QuerySet[Rectification]:
    """Items the user verifies (discipline scope) or reports (their units)."""
    condition = scope_filter(user, [Role.DISCIPLINE, Role.ORGANISER], field="unit__path")
    condition |= scope_filter(user, [Role.REPORTER], field="unit__path")
    return (
        Rectification.objects.filter(condition)
        .select_related("unit", "award__round")
        .order_by("status", "-pk")
    )


def published_rounds(owner: Unit | None = None) -> QuerySet[AwardRound]:
    rounds = AwardRound.objects.filter(published_on__isnull=False)
    if owner is not None:
        rounds = rounds.filter(owner=owner)
    return (
        rounds.select_related("owner", "flag__unit")
        .prefetch_related("awards__unit", "awards__person")
        .order_by("owner__path", "-year", "-quarter")
    )


def flag_history(owner: Unit) -> list[FlagHolding]:
    """The rotating flag's holders in ``owner``'s scope, newest first (published rounds)."""
    return list(
        FlagHolding.objects.filter(owner=owner, round__published_on__isnull=False)
        .select_related("unit", "round")
        .order_by("-round__year", "-round__quarter")
    )


def public_owners() -> QuerySet[Unit]:
    return Unit.objects.filter(award_rounds__published_on__isnull=False).distinct()


# ---------------------------------------------------------------- for other apps, via core


def record_entries(person: Person) -> list[RecordEntry]:
    """The person's record, 作风建设 section: published awards to them or to their unit, and
    substantiated clues about them (negative)."""
    entries: list[RecordEntry] = []
    awards = (
        Award.objects.filter(round__published_on__isnull=False)
        .filter(Q(person=person) | Q(unit_id=person.unit_id, person__isnull=True))
        .select_related("round", "unit")
    )
    for award in awards:
        consequence = _("综合考核 %(points)s 分，绩效奖金 %(bonus)s 元") % {
            "points": floatformat(award.points, "-2"),
            "bonus": floatformat(award.bonus, "0g"),
        }
        entries.append(
            RecordEntry(
                ref=f"conduct.award:{award.pk}",
                when=award.round.published_on,
                title=f"{award.round} · {award.get_kind_display()}：{award.reason}",
                outcome=consequence,
                negative=award.kind == AwardKind.SNAIL,
                url=reverse("portal:conduct:round", args=[award.round_id]),
            )
        )
    for clue in Clue.objects.filter(person=person, status=ClueStatus.SUBSTANTIATED):
        entries.append(
            RecordEntry(
                ref=f"conduct.clue:{clue.pk}",
                when=clue.decided_on,
                title=_("线索查实：%(summary)s") % {"summary": clue.summary},
                outcome=clue.findings[:200],
                negative=True,
                url=reverse("conduct:clue", args=[clue.pk]),
            )
        )
    return sorted(entries, key=lambda e: (e.when is None, e.when), reverse=True)


def false_accusation_findings(person_id: int | None = None) -> list[Referral]:
    """Clues decided as false accusation (诬告陷害) about a person: where clarification starts."""
    clues = Clue.objects.filter(status=ClueStatus.FALSE_ACCUSATION, person__isnull=False)
    if person_id is not None:
        clues = clues.filter(person_id=person_id)
    return [
        Referral(
            person_id=clue.person_id or 0,
            ref=f"conduct.clue:{clue.pk}",
            date=clue.decided_on or clue.received_on,
            summary=_("线索 #%(pk)s 经核查为诬告陷害：%(summary)s")
            % {"pk": clue.pk, "summary": clue.summary},
            url=reverse("conduct:clue", args=[clue.pk]),
        )
        for clue in clues
    ]


def open_rectifications(unit: Unit) -> int:
    return (
        Rectification.objects.filter(unit=unit).exclude(status=RectificationStatus.CLOSED).count()
    )


def dashboard_context(user: Any) -> dict[str, Any]:
    return {
        "counts": status_counts(user),
        "waiting": clues_for(user, ClueStatus.NEW).count(),
        "mine": clues_for(user)
        .filter(assignee=user)
        .exclude(
            status__in=[
                ClueStatus.SUBSTANTIATED,
                ClueStatus.UNSUBSTANTIATED,
                ClueStatus.FALSE_ACCUSATION,
            ]
        )
        .count(),
    }
