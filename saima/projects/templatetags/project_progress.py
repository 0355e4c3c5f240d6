"""``{% project_progress project %}``: a project's light history, ratings and cards on its page
(the project page's ``project_supervision`` block). Public readers see published months and
published ratings; the card and its history only those who may see the project's card."""

from __future__ import annotations

from typing import Any

from django import template

from saima.engine.progress import explain_light
from saima.projects.lights.selectors import COLOURS, LABELS, MARKS, REASON_LABELS
from saima.projects.models import Card, MonthlyLight, Project, RatingEntry, RatingStatus
from saima.projects.permissions import may_view_card, may_watch_list

register = template.Library()


def _history(project: Project, user: Any) -> list[dict[str, Any]]:
    lights = (
        MonthlyLight.objects.filter(project=project)
        .select_related("project_list", "run")
        .order_by("project_list__year", "project_list__code", "month")
    )
    lists: dict[int, dict[str, Any]] = {}
    for light in lights:
        plist = light.project_list
        internal = may_watch_list(user, plist)
        if light.run.published_at is None and not internal:
            continue
        if plist.published_at is None and not internal:
            continue
        row = lists.setdefault(plist.pk, {"plist": plist, "cells": [None] * 12})
        why = "；".join(str(REASON_LABELS.get(c, c)) for c in explain_light(light.reasons))
        row["cells"][light.month - 1] = {
            "colour": COLOURS[light.light],
            "mark": MARKS[light.light],
            "label": str(LABELS[light.light]),
            "why": why,
            "lag": light.lag,
        }
    return list(lists.values())


@register.inclusion_tag("projects/lights/_project_panel.html", takes_context=True)
def project_progress(context: template.Context, project: Project) -> dict[str, Any]:
    user = context["request"].user
    ratings = (
        RatingEntry.objects.filter(
            project=project,
            removed=False,
            rating__status=RatingStatus.PUBLISHED,
            rating__project_list__published_at__isnull=False,
        )
        .select_related("rating__project_list")
        .order_by("rating__project_list__year", "rating__quarter")
    )
    cards = [
        card
        for card in Card.objects.filter(project=project).select_related("project_list", "project")
        if may_view_card(user, card)
    ]
    return {
        "project": project,
        "history": _history(project, user),
        "ratings": list(ratings),
        "cards": cards,
        "months": range(1, 13),
    }
