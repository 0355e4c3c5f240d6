"""Lights pages: a list's progress hub (light map, months, quarters), a locality's dashboard
(month × project grid, trend), the rules, and the list's steps (compute, publish, propose,
exempt, incentives) as one POST endpoint asking the action objects.

Published lists' published months are public; computed-but-unpublished months, SPI and the
reasons' detail are for the list's watchers and the locality's own viewers.
"""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from saima.core.exports import Table, table_response
from saima.core.workflow import take
from saima.org.models import Unit
from saima.projects.lights import selectors
from saima.projects.lights.actions import CreateRules
from saima.projects.lights.forms import RulesForm
from saima.projects.lights.services import current_rules
from saima.projects.models import LightColour, ProjectList
from saima.projects.permissions import (
    may_manage_list,
    may_view_list,
    may_view_locality_progress,
    may_watch_list,
)

PAGE = 100
MONTHS = list(range(1, 13))


def visible_list(request: HttpRequest, code: str) -> ProjectList:
    plist = get_object_or_404(ProjectList.objects.select_related("owner"), code=code)
    if not may_view_list(request.user, plist):
        raise Http404
    return plist


def watched_list(request: HttpRequest, code: str) -> ProjectList:
    plist = get_object_or_404(ProjectList.objects.select_related("owner"), code=code)
    if not may_watch_list(request.user, plist):
        raise Http404
    return plist


def to_portal(request: HttpRequest, name: str, *args: object) -> HttpResponseBase | None:
    """Visitors who are not signed in read the public pages on the portal (公开门户), in their
    language; the app's pages stay for signed-in users (their own units' unpublished data)."""
    if request.user.is_authenticated or request.GET.get("format"):
        return None
    return redirect(f"portal:projects:{name}", *args)


def progress(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = visible_list(request, code)
    internal = may_watch_list(request.user, plist)
    manager = may_manage_list(request.user, plist)
    months = selectors.visible_months(plist, internal=internal)
    shown = months or selectors.ratings_of(plist, internal=False)
    if shown and (public := to_portal(request, "list", plist.code)) is not None:
        return public
    latest = months[-1] if months else None
    ratings = selectors.ratings_of(plist, internal=internal)
    context = {
        "plist": plist,
        "internal": internal,
        "manager": manager,
        "latest": latest,
        "rows": (rows := selectors.light_map(plist, latest)),
        "cities": selectors.by_parent(rows),
        "months": _months_with_runs(plist) if internal else [],
        "visible": months,
        "quarters": [(q, ratings.get(q)) for q in (1, 2, 3, 4)],
        "rules": current_rules(plist) if internal else None,
        "colours": LightColour,
    }
    return render(request, "projects/lights/progress.html", context)


def _months_with_runs(plist: ProjectList) -> list[tuple[int, Any]]:
    runs = selectors.month_runs(plist)
    return [(m, runs.get(m)) for m in MONTHS]


def _grid_table(
    plist: ProjectList, locality: Unit, rows: list[selectors.GridRow], months: list[int]
) -> Table:
    labels = dict(LightColour.choices)
    body = [
        [r.project.code, r.project.name, r.project.locality.name]
        + [str(labels[c.light]) if c else "" for c in r.cells]
        for r in rows
    ]
    headers = [_("项目代码"), _("项目名称"), _("所在地")] + [
        _("%(m)s月") % {"m": m} for m in months
    ]
    return Table(f"{plist.year} {locality.name}", headers, body)


def locality(request: HttpRequest, code: str, unit_code: str) -> HttpResponseBase:
    plist = visible_list(request, code)
    unit = get_object_or_404(Unit, code=unit_code)
    if not selectors.in_locality(plist, unit):
        raise Http404
    internal = may_view_locality_progress(request.user, plist, unit)
    months = selectors.visible_months(plist, internal=internal)
    if months and (public := to_portal(request, "locality", plist.code, unit.code)) is not None:
        return public
    projects = list(selectors.locality_projects(plist, unit))
    rows = selectors.worst_first(selectors.grid(plist, projects, months))
    if request.GET.get("format") in ("csv", "xlsx"):
        table = _grid_table(plist, unit, rows, months)
        return table_response(table, request.GET["format"], f"lights-{plist.code}-{unit.code}")
    page = Paginator(rows, PAGE).get_page(request.GET.get("page"))
    page_rows = selectors.cells_html(list(page), _("滞后"))
    trend = selectors.trend(rows, months)
    latest = trend[-1] if trend else None
    context = {
        "plist": plist,
        "unit": unit,
        "internal": internal,
        "months": months,
        "page": page,
        "page_rows": page_rows,
        "trend": trend,
        "latest": latest,
        "total": len(rows),
    }
    return render(request, "projects/lights/locality.html", context)


def rules(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = watched_list(request, code)
    manager = may_manage_list(request.user, plist)
    form = RulesForm(request.POST or None)
    if request.method == "POST":
        if not manager:
            raise Http404
        if form.is_valid():
            step = CreateRules(
                request.user,
                plist,
                rules_toml=form.cleaned_data["rules_toml"],
                preset_code=form.cleaned_data["preset"],
                reason=form.cleaned_data["reason"],
            )
            if take(request, step, _("已保存新版规则")) is not None:
                return redirect("projects:rules", plist.code)
    versions = list(plist.rule_versions.select_related("created_by"))
    context = {"plist": plist, "manager": manager, "form": form, "versions": versions}
    return render(request, "projects/lights/rules.html", context)
