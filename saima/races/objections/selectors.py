"""Reads about objections (异议): a race's objections, and the versions that may resolve one.

Until when a result may be disputed is ``results.selectors.objection_deadline``: the board shows
it, and the objection services ask it.
"""

from __future__ import annotations

from django.db.models import QuerySet

from saima.races.models import HEAVY, Objection, Race, Result


def objections_of_race(race: Race) -> list[Objection]:
    return list(
        Objection.objects.filter(result__period__race=race).select_related(
            "result__period__race", "unit", "correction"
        )
    )


def corrections_for(objection: Objection) -> QuerySet[Result]:
    """The later versions of the disputed result's period, one of which may resolve it."""
    return Result.objects.filter(
        period_id=objection.result.period_id, version__gt=objection.result.version
    ).defer(*HEAVY)
