"""Supervision pages: the list's items (督查事项), an item with its notes, its letter (督办函)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from saima.core.exports import Table, table_response
from saima.core.workflow import take
from saima.projects.lights.views import watched_list
from saima.projects.models import SupervisionItem, SupervisionStatus
from saima.projects.permissions import may_view_supervision
from saima.projects.supervision.actions import AddNote, CloseItem


def supervision(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = watched_list(request, code)
    rows = list(
        plist.supervision_items.select_related("project__locality").order_by(
            "status", "due_date", "number"
        )
    )
    if request.GET.get("format") in ("csv", "xlsx"):
        body = [
            [
                i.number,
                i.project.code,
                i.project.name,
                i.project.locality.name,
                i.responsible,
                i.required_actions,
                i.due_date.isoformat(),
                i.get_status_display(),
            ]
            for i in rows
        ]
        headers = [
            _("督办编号"),
            _("项目代码"),
            _("项目名称"),
            _("所在地"),
            _("责任人"),
            _("督办要求"),
            _("办结时限"),
            _("状态"),
        ]
        return table_response(
            Table(_("督查事项"), headers, body), request.GET["format"], f"supervision-{plist.code}"
        )
    open_rows = [i for i in rows if i.status == SupervisionStatus.OPEN]
    context = {
        "plist": plist,
        "rows": rows,
        "open": len(open_rows),
        "closed": len(rows) - len(open_rows),
    }
    return render(request, "projects/supervision/list.html", context)


def viewable_item(request: HttpRequest, pk: int) -> SupervisionItem:
    item = get_object_or_404(
        SupervisionItem.objects.select_related(
            "project__locality",
            "project__owner_unit",
            "project_list__owner",
            "rating_entry__rating",
        ),
        pk=pk,
    )
    if not may_view_supervision(request.user, item):
        raise Http404
    return item


def item(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = viewable_item(request, pk)
    context: dict[str, Any] = {
        "item": found,
        "plist": found.project_list,
        "notes": list(found.notes.select_related("author")),
        "note": AddNote(request.user, found),
        "close": CloseItem(request.user, found),
    }
    return render(request, "projects/supervision/item.html", context)


def letter(request: HttpRequest, pk: int) -> HttpResponseBase:
    found = viewable_item(request, pk)
    return render(
        request, "projects/supervision/letter.html", {"item": found, "plist": found.project_list}
    )


@login_required
@require_POST
def item_action(request: HttpRequest, pk: int, action: str) -> HttpResponseBase:
    found = viewable_item(request, pk)
    step: Any
    if action == "note":
        step, success = AddNote(request.user, found, request.POST.get("text", "")), _("已填写进展")
    elif action == "close":
        step, success = CloseItem(request.user, found, request.POST.get("note", "")), _("已销号")
    else:
        raise Http404
    take(request, step, success)
    return redirect("projects:supervision_item", found.pk)
