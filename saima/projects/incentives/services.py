"""Incentive linkage (激励挂钩): next-year central-budget funds (万元) and land quota (亩) per
locality, from the year's published ratings by the list's rules (``[incentives]``), computed by
the engine's ``propose_incentives`` with every term of the derivation kept.

Counts per locality (the project's 所在地): red flags and snails named in the list's published
quarterly ratings (removed entries do not count; a project named in two quarters counts twice),
and red cards (红牌退场) of the list's projects.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Count
from django.utils.translation import gettext as _

from saima.core.audit import record_event
from saima.engine.progress import IncentiveProposal as EngineProposal
from saima.engine.progress import YearCounts, propose_incentives
from saima.org.models import Unit
from saima.projects.errors import ProjectError
from saima.projects.lights.services import current_rules, rules_of
from saima.projects.models import (
    Card,
    CardState,
    IncentiveProposal,
    ListMembership,
    ProjectList,
    RatingEntry,
    RatingKind,
    RatingStatus,
)


def year_counts(project_list: ProjectList) -> dict[int, YearCounts]:
    """Locality id → the year's counts (localities of every project ever on the list)."""
    localities = set(
        ListMembership.objects.filter(project_list=project_list).values_list(
            "project__locality_id", flat=True
        )
    )
    named = (
        RatingEntry.objects.filter(
            rating__project_list=project_list,
            rating__status=RatingStatus.PUBLISHED,
            removed=False,
        )
        .values_list("project__locality_id", "kind")
        .annotate(n=Count("pk"))
    )
    red_cards = (
        Card.objects.filter(project_list=project_list, state=CardState.RED_CARD)
        .values_list("project__locality_id")
        .annotate(n=Count("pk"))
    )
    counts: dict[int, dict[str, int]] = {pk: {} for pk in localities}
    for locality, kind, n in named:
        key = "red_flags" if kind == RatingKind.RED_FLAG else "snails"
        counts.setdefault(locality, {})[key] = n
    for locality, n in red_cards:
        counts.setdefault(locality, {})["red_cards"] = n
    return {pk: YearCounts(**values) for pk, values in counts.items()}


def _terms(proposal: EngineProposal) -> dict[str, list[dict[str, Any]]]:
    def plain(terms: Any) -> list[dict[str, Any]]:
        return [
            {"label": t.label, "count": t.count, "rate": str(t.rate), "amount": str(t.amount)}
            for t in terms
        ]

    return {"funds": plain(proposal.fund_terms), "land": plain(proposal.land_terms)}


def incentives_compute(*, actor: Any, project_list: ProjectList) -> list[IncentiveProposal]:
    """(Re)compute every locality's proposal of the list; one audit event for the whole set."""
    version = current_rules(project_list)
    if version is None:
        raise ProjectError(_("请先设定本清单的规则"))
    rules = rules_of(version).incentives
    with transaction.atomic():
        ProjectList.objects.select_for_update().get(pk=project_list.pk)
        counts = year_counts(project_list)
        units = Unit.objects.in_bulk(list(counts))
        ordered = sorted(counts, key=lambda pk: units[pk].path)
        proposals = propose_incentives({str(pk): counts[pk] for pk in ordered}, rules)
        IncentiveProposal.objects.filter(project_list=project_list).delete()
        rows = IncentiveProposal.objects.bulk_create(
            IncentiveProposal(
                project_list=project_list,
                locality_id=int(p.locality),
                rule_version=version,
                red_flags=counts[int(p.locality)].red_flags,
                snails=counts[int(p.locality)].snails,
                red_cards=counts[int(p.locality)].red_cards,
                funds=p.funds,
                land=p.land,
                terms=_terms(p),
            )
            for p in proposals
        )
        record_event(
            actor=actor,
            action="projects.incentives.compute",
            obj=project_list,
            after={
                "rule_version": version.version,
                "proposals": {
                    units[int(p.locality)].code: {"funds": str(p.funds), "land": str(p.land)}
                    for p in proposals
                },
            },
        )
    return rows
