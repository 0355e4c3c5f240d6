from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from saima.org.models import Unit, UnitLevel
from saima.org.selectors import peer_groups_with_counts, province


def _level_counts() -> list[dict[str, object]]:
    counts = dict(Unit.objects.values_list("level").annotate(n=Count("pk")).order_by())
    return [
        {"label": level.label, "n": counts[level.value]}
        for level in UnitLevel
        if counts.get(level.value)
    ]


@login_required
def unit_directory(request: HttpRequest) -> HttpResponse:
    root = province()
    counties = Unit.objects.filter(level=UnitLevel.COUNTY).order_by("path")
    cities = (
        Unit.objects.filter(level=UnitLevel.CITY)
        .prefetch_related(Prefetch("children", queryset=counties, to_attr="counties"))
        .order_by("path")
    )
    context = {
        "province": root,
        "cities": cities,
        "groups": peer_groups_with_counts(),
        "counts": _level_counts(),
    }
    return render(request, "org/unit_directory.html", context)


@login_required
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit.objects.select_related("parent"), code=code)
    children = unit.children.order_by("level", "path")
    return render(
        request,
        "org/unit_detail.html",
        {
            "unit": unit,
            "children": children,
            "groups": unit.peer_groups.all(),
            "people": unit.people.all(),
        },
    )
