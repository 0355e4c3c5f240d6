"""Reads of the lights: the list's months, the light map by locality, a locality's month ×
project grid and its trend. Each a fixed number of queries, whatever the number of projects."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from saima.engine.progress import explain_light
from saima.org.models import Unit
from saima.projects.models import (
    LightColour,
    LightRun,
    MonthlyLight,
    Project,
    ProjectList,
    QuarterRating,
)
from saima.projects.progress import fetch

COLOURS = ("green", "yellow", "red", "grey")
MARKS = ("●", "▲", "■", "○")  # a shape per light, so no reader depends on colour alone
LABELS = (_("绿"), _("黄"), _("红"), _("灰"))
REASON_LABELS = {
    "not_reported": _("未报送"),
    "lag_yellow": _("投资滞后（黄灯区间）"),
    "lag_red": _("投资滞后超过红灯线"),
    "quarter_capped": _("季度末才亮红灯"),
    "start_overdue": _("应开工未开工"),
    "start_overdue_red": _("应开工未开工超过规定月数"),
    "completion_overdue": _("应完工未完工"),
    "completion_overdue_red": _("应完工未完工超过规定月数"),
    "escalated": _("连续滞后升级为红灯"),
    "recovered_kept": _("追上进度，滞后留痕"),
    "exempt": _("不可抗力豁免"),
    "on_schedule": _("按计划推进"),
}


def visible_months(plist: ProjectList, *, internal: bool) -> list[int]:
    """The months whose lights the reader sees: computed (internal readers) or published."""
    runs = LightRun.objects.filter(project_list=plist, is_current=True)
    if not internal:
        runs = runs.filter(published_at__isnull=False)
    return sorted(runs.values_list("month", flat=True))


def month_runs(plist: ProjectList) -> dict[int, LightRun]:
    runs = LightRun.objects.filter(project_list=plist, is_current=True).select_related(
        "rule_version"
    )
    return {run.month: run for run in runs}


def ratings_of(plist: ProjectList, *, internal: bool) -> dict[int, QuarterRating]:
    ratings = QuarterRating.objects.filter(project_list=plist)
    if not internal:
        ratings = ratings.filter(status="published")
    return {r.quarter: r for r in ratings}


@dataclass
class LocalityRow:
    unit: Unit
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def light_map(plist: ProjectList, month: int | None) -> list[LocalityRow]:
    """Per locality (所在地), the projects by light in ``month`` (two queries)."""
    if month is None:
        return []
    counts = (
        MonthlyLight.objects.filter(project_list=plist, month=month)
        .values_list("project__locality_id", "light")
        .annotate(n=Count("pk"))
    )
    rows: dict[int, LocalityRow] = {}
    units = Unit.objects.in_bulk({c[0] for c in counts})
    for locality, light, n in counts:
        row = rows.setdefault(locality, LocalityRow(units[locality], dict.fromkeys(COLOURS, 0)))
        row.counts[COLOURS[light]] = n
    return sorted(rows.values(), key=lambda r: r.unit.path)


def by_parent(rows: list[LocalityRow]) -> list[LocalityRow]:
    """The rows summed to their parent units (counties → cities), in path order (one query)."""
    parents = Unit.objects.in_bulk({r.unit.parent_id for r in rows if r.unit.parent_id})
    summed: dict[int, LocalityRow] = {}
    for row in rows:
        parent = parents.get(row.unit.parent_id or 0, row.unit)
        total = summed.setdefault(parent.pk, LocalityRow(parent, dict.fromkeys(COLOURS, 0)))
        for colour, n in row.counts.items():
            total.counts[colour] = total.counts.get(colour, 0) + n
    return sorted(summed.values(), key=lambda r: r.unit.path)


def localities_of(plist: ProjectList) -> QuerySet[Unit]:
    ids = plist.memberships.values("project__locality_id")
    return Unit.objects.filter(pk__in=ids)


def in_locality(plist: ProjectList, locality: Unit) -> bool:
    return plist.memberships.filter(project__locality__path__startswith=locality.path).exists()


@dataclass
class Cell:
    light: int
    bits: int
    lag: float | None
    spi: float | None

    @property
    def reasons(self) -> tuple[str, ...]:
        return explain_light(self.bits)

    @property
    def colour(self) -> str:
        return COLOURS[self.light]

    @property
    def mark(self) -> str:
        return MARKS[self.light]

    @property
    def label(self) -> str:
        return str(LABELS[self.light])

    @property
    def why(self) -> str:
        return "；".join(str(REASON_LABELS.get(code, code)) for code in self.reasons)


@dataclass
class GridRow:
    project: Project
    cells: list[Cell | None]

    @property
    def latest(self) -> Cell | None:
        return next((c for c in reversed(self.cells) if c is not None), None)


def locality_projects(plist: ProjectList, locality: Unit) -> QuerySet[Project]:
    return (
        Project.objects.filter(
            memberships__project_list=plist, locality__path__startswith=locality.path
        )
        .distinct()
        .select_related("locality")
        .only("code", "name", "locality__name", "locality__code")
        .order_by("code")
    )


def grid(plist: ProjectList, projects: list[Project], months: list[int]) -> list[GridRow]:
    """One row per project, one cell per month (None: no light that month); one query."""
    index = {m: i for i, m in enumerate(months)}
    rows = {p.pk: GridRow(p, [None] * len(months)) for p in projects}
    lights = fetch(
        MonthlyLight.objects.filter(
            project_list=plist, project_id__in=list(rows), month__in=months
        ).values_list("project_id", "month", "light", "reasons", "lag", "spi")
    )
    for pid, month, light, reasons, lag, spi in lights:
        rows[pid].cells[index[month]] = Cell(light, reasons, lag, spi)
    return list(rows.values())


def trend(rows: list[GridRow], months: list[int]) -> list[dict[str, Any]]:
    """Per month, the rows' projects by light (from the grid already read: no query)."""
    table = [dict.fromkeys(COLOURS, 0) for _month in months]
    for row in rows:
        for i, cell in enumerate(row.cells):
            if cell is not None:
                table[i][COLOURS[cell.light]] += 1
    return [
        {"month": m, **counts, "total": sum(counts.values())}
        for m, counts in zip(months, table, strict=True)
    ]


def worst_first(rows: list[GridRow]) -> list[GridRow]:
    """Red first, then yellow, grey, green (by the latest month), then by code."""
    order: dict[int, int] = {
        LightColour.RED: 0,
        LightColour.YELLOW: 1,
        LightColour.GREY: 2,
        LightColour.GREEN: 3,
    }
    return sorted(rows, key=lambda r: (order[r.latest.light] if r.latest else 4, r.project.code))


def public_lists() -> Q:
    return Q(published_at__isnull=False)


def cells_html(rows: list[GridRow], lag_word: str) -> list[tuple[GridRow, SafeString]]:
    """Each row's cells as one HTML string (a page of 100 projects × 12 months is 1,200 cells:
    rendered here once, not by 1,200 template loops). Every cell: colour, shape, text label and
    the reasons with the lag as its title."""
    labels = [html.escape(str(label)) for label in LABELS]
    lag_word = html.escape(lag_word)
    words: dict[int, str] = {}
    out = []
    for row in rows:
        parts = []
        for cell in row.cells:
            if cell is None:
                parts.append('<td class="lt lt-none">–</td>')
                continue
            why = words.get(cell.bits)
            if why is None:  # escaped once per distinct set of reasons
                why = words[cell.bits] = html.escape(
                    "；".join(str(REASON_LABELS.get(c, c)) for c in explain_light(cell.bits))
                )
            title = why if cell.lag is None else f"{why}（{lag_word} {cell.lag:.1f}）"
            parts.append(
                f'<td class="lt lt-{COLOURS[cell.light]}" title="{title}">'
                f'<span class="lt-mark" aria-hidden="true">{MARKS[cell.light]}</span>'
                f"{labels[cell.light]}</td>"
            )
        out.append((row, mark_safe("".join(parts))))  # every value escaped above
    return out
