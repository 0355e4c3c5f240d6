"""Reads of the quarterly ratings and the annual commendation list (年表彰)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from saima.projects.models import ProjectList, QuarterRating, RatingEntry, RatingKind, RatingStatus

REASON_LABELS = {
    "snail:red_months": _("季度内红灯月数达到规定"),
    "snail:start_overdue": _("应开工未开工"),
    "snail:completion_overdue": _("应完工未完工"),
    "snail:quarter_missed": _("未完成季度目标"),
}


def entry_reasons(entry: RatingEntry) -> str:
    if entry.kind == RatingKind.RED_FLAG:
        if entry.origin == "added":
            return str(_("审定增列"))
        return str(_("综合得分第 %(rank)s 名") % {"rank": entry.rank}) if entry.rank else ""
    codes = [c for c in entry.reasons.split(",") if c]
    labels = [str(REASON_LABELS.get(c, c)) for c in codes]
    return "；".join(labels) or str(_("审定增列"))


def entries(rating: QuarterRating, kind: str, *, internal: bool) -> QuerySet[RatingEntry]:
    rows = rating.entries.filter(kind=kind).select_related(
        "project__locality", "project__owner_unit"
    )
    if not internal:
        rows = rows.filter(removed=False)
    return rows.order_by("removed", "rank", "project__code")


@dataclass
class Commended:
    """A project named a red flag in the year's published quarters (年度表彰)."""

    entry: RatingEntry
    quarters: list[int] = field(default_factory=list)


def commendations(plist: ProjectList) -> list[Commended]:
    """Red-flag projects of the published quarters, most quarters first (one query)."""
    rows = (
        RatingEntry.objects.filter(
            rating__project_list=plist,
            rating__status=RatingStatus.PUBLISHED,
            kind=RatingKind.RED_FLAG,
            removed=False,
        )
        .select_related("project__locality", "rating")
        .order_by("project__code", "rating__quarter")
    )
    by_project: dict[int, Commended] = {}
    for entry in rows:
        item = by_project.setdefault(entry.project_id, Commended(entry))
        item.quarters.append(entry.rating.quarter)
    return sorted(by_project.values(), key=lambda c: (-len(c.quarters), c.entry.project.code))


def published_quarters(plist: ProjectList) -> list[int]:
    return list(
        plist.ratings.filter(status=RatingStatus.PUBLISHED)
        .order_by("quarter")
        .values_list("quarter", flat=True)
    )
