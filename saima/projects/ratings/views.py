"""Quarterly ratings pages: the quarter's red flags and snails (public once published; its
review for the list's managers), the review steps, the annual commendation list (年表彰)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.core.exports import Table, table_response
from saima.core.workflow import Action, take
from saima.projects.lights.views import to_portal, visible_list
from saima.projects.models import Project, QuarterRating, RatingEntry, RatingKind, RatingStatus
from saima.projects.permissions import may_manage_list, may_view_rating, may_watch_list
from saima.projects.ratings import selectors
from saima.projects.ratings.actions import AddEntry, PublishRating, RemoveEntry


def viewable_rating(request: HttpRequest, pk: int) -> QuarterRating:
    rating = get_object_or_404(
        QuarterRating.objects.select_related("project_list__owner", "rule_version"), pk=pk
    )
    if not may_view_rating(request.user, rating):
        raise Http404
    return rating


def _table(rating: QuarterRating, rows: list[RatingEntry]) -> Table:
    body = [
        [
            e.get_kind_display(),
            e.project.code,
            e.project.name,
            e.project.locality.name,
            e.rank or "",
            e.composite if e.composite is not None else "",
            selectors.entry_reasons(e),
            e.note,
        ]
        for e in rows
    ]
    headers = [
        _("类别"),
        _("项目代码"),
        _("项目名称"),
        _("所在地"),
        _("名次"),
        _("综合得分"),
        _("依据"),
        _("审定说明"),
    ]
    return Table(rating.label, headers, body)


def rating(request: HttpRequest, pk: int) -> HttpResponseBase:
    item = viewable_rating(request, pk)
    if item.status == RatingStatus.PUBLISHED and item.project_list.published_at is not None:
        public = to_portal(request, "rating", item.project_list.code, item.quarter)
        if public is not None:
            return public
    internal = may_watch_list(request.user, item.project_list)
    red = list(selectors.entries(item, RatingKind.RED_FLAG, internal=internal))
    snails = list(selectors.entries(item, RatingKind.SNAIL, internal=internal))
    if request.GET.get("format") in ("csv", "xlsx"):
        shown = [e for e in red + snails if not e.removed]
        return table_response(
            _table(item, shown),
            request.GET["format"],
            f"rating-{item.project_list.code}-Q{item.quarter}",
        )
    context = {
        "rating": item,
        "plist": item.project_list,
        "internal": internal,
        "manager": may_manage_list(request.user, item.project_list),
        "publish": PublishRating(request.user, item),
        "sections": [
            (_("红旗项目"), "red_flag", [(e, selectors.entry_reasons(e)) for e in red]),
            (_("蜗牛项目"), "snail", [(e, selectors.entry_reasons(e)) for e in snails]),
        ],
        "kinds": RatingKind.choices,
    }
    return render(request, "projects/ratings/rating.html", context)


def _step(request: HttpRequest, item: QuarterRating, action: str) -> tuple[Action[Any], str]:
    reason = request.POST.get("reason", "")
    if action == "add":
        project = get_object_or_404(
            Project,
            code=request.POST.get("project", ""),
            memberships__project_list=item.project_list,
            memberships__removed_at__isnull=True,
        )
        return AddEntry(request.user, item, project, request.POST.get("kind", ""), reason), _(
            "已增列"
        )
    if action == "remove":
        entry = get_object_or_404(RatingEntry, pk=request.POST.get("entry") or 0, rating=item)
        return RemoveEntry(request.user, entry, reason), _("已从名单中删除，理由已记录")
    if action == "publish":
        return PublishRating(request.user, item), _("季度通报已发布；蜗牛项目已列入督查事项")
    raise Http404


@login_required
@require_POST
def rating_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    item = viewable_rating(request, pk)
    step, success = _step(request, item, action)
    take(request, step, success)
    return redirect("projects:rating", item.pk)


def commendations(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = visible_list(request, code)
    rows = selectors.commendations(plist)
    quarters = selectors.published_quarters(plist)
    if request.GET.get("format") in ("csv", "xlsx"):
        body = [
            [
                c.entry.project.code,
                c.entry.project.name,
                c.entry.project.locality.name,
                len(c.quarters),
                "、".join(f"Q{q}" for q in c.quarters),
            ]
            for c in rows
        ]
        table = Table(
            _("年度表彰"),
            [_("项目代码"), _("项目名称"), _("所在地"), _("红旗次数"), _("季度")],
            body,
        )
        return table_response(table, request.GET["format"], f"commendations-{plist.code}")
    context = {"plist": plist, "rows": rows, "quarters": quarters, "complete": len(quarters) == 4}
    return render(request, "projects/ratings/commendations.html", context)
