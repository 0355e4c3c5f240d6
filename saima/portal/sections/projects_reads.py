"""What the key projects' section reads (重点项目的公开数据): published lists' published light
months and published quarterly lists only.

A light month is public when its list is published (``ProjectList.published_at``) and the
month's current run is published (``LightRun.published_at``); a quarter's red flags and snails
(红旗项目、蜗牛项目) when its ``QuarterRating`` is published on a published list. Everything
else — computed months not yet published, proposed quarters, removed entries and their review
notes, drafts, photos, problems — never reaches the portal. The light maps, grids and the
entries' reasons come from the app's own selectors.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from saima.org.models import Unit
from saima.projects.lights import selectors as light_selectors
from saima.projects.models import (
    LightColour,
    LightRun,
    MonthlyLight,
    ProjectList,
    QuarterRating,
    RatingEntry,
    RatingKind,
    RatingStatus,
)
from saima.projects.ratings import selectors as rating_selectors

COLOURS = light_selectors.COLOURS  # green, yellow, red, grey (the light's number is the index)


def public_lists() -> QuerySet[ProjectList]:
    return ProjectList.objects.filter(published_at__isnull=False).select_related("owner")


def public_list(code: str) -> ProjectList:
    """A published list with at least one published light month or quarter, else 404."""
    plist = get_object_or_404(public_lists(), code=code)
    if not (published_months(plist) or published_ratings(plist)):
        raise Http404
    return plist


def published_runs() -> QuerySet[LightRun]:
    """The current, published light run of every month of every published list."""
    return (
        LightRun.objects.filter(
            is_current=True,
            published_at__isnull=False,
            project_list__published_at__isnull=False,
        )
        .defer("inputs")
        .select_related("project_list__owner", "rule_version")
    )


def ever_published_runs() -> QuerySet[LightRun]:
    """Every run that was public at some time (a corrected month's earlier runs too)."""
    return (
        LightRun.objects.filter(
            published_at__isnull=False, project_list__published_at__isnull=False
        )
        .defer("inputs")
        .select_related("project_list", "rule_version")
    )


def published_months(plist: ProjectList) -> list[int]:
    return light_selectors.visible_months(plist, internal=False)


def published_run(plist: ProjectList, month: int) -> LightRun:
    return get_object_or_404(published_runs(), project_list=plist, month=month)


def corrected_months() -> set[tuple[int, int]]:
    """(list id, month) of the published months whose lights were corrected after publication."""
    earlier = LightRun.objects.filter(is_current=False, published_at__isnull=False)
    return set(earlier.values_list("project_list_id", "month"))


def published_quarter_ratings() -> QuerySet[QuarterRating]:
    return QuarterRating.objects.filter(
        status=RatingStatus.PUBLISHED,
        published_at__isnull=False,
        project_list__published_at__isnull=False,
    ).select_related("project_list__owner", "rule_version")


def published_ratings(plist: ProjectList) -> list[QuarterRating]:
    return list(published_quarter_ratings().filter(project_list=plist).order_by("quarter"))


def published_rating(plist: ProjectList, quarter: int) -> QuarterRating:
    return get_object_or_404(published_quarter_ratings(), project_list=plist, quarter=quarter)


def month_label(plist: ProjectList, month: int) -> str:
    return _("%(year)s年%(month)s月") % {"year": plist.year, "month": month}


# ---------------------------------------------------------------- light maps


@dataclass(frozen=True)
class MapRow:
    """One locality's projects by light in a month, with each colour's share for the bar."""

    unit: Unit
    counts: dict[str, int]
    total: int

    def share(self, colour: str) -> float:
        return 100.0 * self.counts.get(colour, 0) / self.total if self.total else 0.0

    @property
    def segments(self) -> list[dict[str, Any]]:
        labels = dict(zip(COLOURS, light_selectors.LABELS, strict=True))
        marks = dict(zip(COLOURS, light_selectors.MARKS, strict=True))
        return [
            {
                "colour": c,
                "n": self.counts.get(c, 0),
                "share": round(self.share(c), 2),
                "label": labels[c],
                "mark": marks[c],
            }
            for c in COLOURS
            if self.counts.get(c, 0)
        ]


def _rows(rows: list[light_selectors.LocalityRow]) -> list[MapRow]:
    return [MapRow(r.unit, dict(r.counts), r.total) for r in rows]


def light_map(plist: ProjectList, month: int) -> dict[str, Any]:
    """The month's lights by locality: counties, their cities, and the whole list's totals.
    ``by_city`` is False when every locality lies in one city (a city's own list)."""
    counties = light_selectors.light_map(plist, month)
    cities = light_selectors.by_parent(counties)
    totals = dict.fromkeys(COLOURS, 0)
    for row in counties:
        for colour, n in row.counts.items():
            totals[colour] += n
    city_rows = _rows(cities)
    county_rows = _rows(counties)
    children: dict[int, list[MapRow]] = defaultdict(list)
    for county in county_rows:
        children[county.unit.parent_id or county.unit.pk].append(county)
    return {
        "by_city": len(city_rows) > 1,
        "cities": [{"row": c, "counties": children.get(c.unit.pk, [])} for c in city_rows],
        "counties": county_rows,
        "total": MapRow(plist.owner, totals, sum(totals.values())),
    }


def month_counts(run_ids: list[int]) -> dict[int, dict[str, int]]:
    """The lights of each run by colour (one query; a superseded run's lights are gone)."""
    counts: dict[int, dict[str, int]] = {}
    rows = (
        MonthlyLight.objects.filter(run_id__in=run_ids)
        .values_list("run_id", "light")
        .annotate(n=Count("pk"))
    )
    for run_id, light, n in rows:
        counts.setdefault(run_id, dict.fromkeys(COLOURS, 0))[COLOURS[light]] = n
    return counts


def locality_of(plist: ProjectList, code: str) -> Unit:
    unit = get_object_or_404(Unit, code=code)
    if not light_selectors.in_locality(plist, unit):
        raise Http404
    return unit


def locality_grid(plist: ProjectList, unit: Unit, months: list[int]) -> dict[str, Any]:
    """The locality's month × project grid over the published months, red first."""
    projects = list(light_selectors.locality_projects(plist, unit))
    rows = light_selectors.worst_first(light_selectors.grid(plist, projects, months))
    return {
        "rows": light_selectors.cells_html(rows, _("滞后")),
        "trend": light_selectors.trend(rows, months),
        "total": len(rows),
    }


def lights_rows(run: LightRun) -> list[dict[str, Any]]:
    """The month's lights as plain rows (public fields only), worst first then by code."""
    lights = (
        MonthlyLight.objects.filter(run=run)
        .select_related("project__locality")
        .only(
            "light",
            "lag",
            "spi",
            "project__code",
            "project__name",
            "project__locality__code",
            "project__locality__name",
        )
        .order_by("-light", "project__code")
    )
    return [
        {
            "project_code": light.project.code,
            "project_name": light.project.name,
            "locality_code": light.project.locality.code,
            "locality_name": light.project.locality.name,
            "light": COLOURS[light.light],
            "lag": light.lag,
            "spi": light.spi,
            "rule_version": run.rule_version.version,
        }
        for light in lights
    ]


LIGHT_WORDS = {c: LightColour(i).label for i, c in enumerate(COLOURS)}


# ---------------------------------------------------------------- ratings


def rating_entries(rating: QuarterRating, kind: str) -> list[tuple[RatingEntry, str]]:
    """The quarter's published entries of ``kind`` (removed ones left out) with their reasons."""
    entries = rating_selectors.entries(rating, kind, internal=False)
    return [(e, rating_selectors.entry_reasons(e)) for e in entries]


def rating_rows(rating: QuarterRating) -> list[dict[str, Any]]:
    rows = []
    for kind in (RatingKind.RED_FLAG, RatingKind.SNAIL):
        for entry, reason in rating_entries(rating, kind):
            rows.append(
                {
                    "kind": str(kind.value),
                    "project_code": entry.project.code,
                    "project_name": entry.project.name,
                    "locality_code": entry.project.locality.code,
                    "locality_name": entry.project.locality.name,
                    "rank": entry.rank,
                    "composite": entry.composite,
                    "reason": reason,
                }
            )
    return rows


def entries_by_rating(ratings: list[QuarterRating]) -> dict[int, dict[str, list[RatingEntry]]]:
    """Each published rating's kept entries by kind (one query)."""
    out: dict[int, dict[str, list[RatingEntry]]] = {
        r.pk: {RatingKind.RED_FLAG: [], RatingKind.SNAIL: []} for r in ratings
    }
    entries = (
        RatingEntry.objects.filter(rating__in=ratings, removed=False)
        .select_related("project__locality")
        .order_by("rank", "project__code")
    )
    for entry in entries:
        out[entry.rating_id][entry.kind].append(entry)
    return out
