"""A contest's results for its people (the public's page is the portal's), and their export."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from saima.arena import selectors
from saima.arena.models import Contest
from saima.arena.permissions import (
    is_public,
    is_revealed,
    may_manage_contest,
    may_view_board,
    may_view_judge_scores,
    may_watch_contest,
)
from saima.arena.views.common import _contest
from saima.core.exports import Table, table_response


def results(request: HttpRequest, pk: int) -> HttpResponseBase:
    """The results for the contest's people (managers, watchers, judges, contestants). The
    public's results page is the portal's (one address, kept whole, printable): a released
    contest's visitors who are not its watchers are sent there."""
    contest = _contest(request, pk)
    fmt = request.GET.get("format")
    if is_public(contest) and fmt is None and not may_watch_contest(request.user, contest):
        return redirect("portal:arena:contest", contest.pk)
    table = selectors.result_table(contest, request.user) if is_revealed(contest) else None
    if fmt in ("csv", "xlsx") and table is not None and not table.partial:
        return table_response(_export(contest, table), fmt, f"{contest.title}-结果")
    sheets = selectors.judge_scores(contest) if may_view_judge_scores(request.user, contest) else []
    previous, follow = selectors.pledge_follow_up(contest)
    return render(
        request,
        "arena/results.html",
        {
            "contest": contest,
            "table": table,
            "sheets": sheets,
            "criteria": list(contest.criteria.all()),
            "watch": may_watch_contest(request.user, contest),
            "manager": may_manage_contest(request.user, contest),
            "previous": previous,
            "follow": follow if may_watch_contest(request.user, contest) else [],
            "board": may_view_board(request.user, contest),
        },
    )


def _export(contest: Contest, table: selectors.ResultTable) -> Table:
    headers = [_("名次"), _("单位"), _("陈述人"), _("得分")]
    headers += [str(p["name"]) for p in table.panels]
    headers += [f"{k['name']}" for k in table.criteria]
    headers += [_("平均分"), _("去掉最高分和最低分"), _("标准化分")]
    rows = []
    for row in table.rows:
        c = row["object"]
        rows.append(
            [row["rank"], c.unit.name, str(c.person or ""), round(row["score"], 4)]
            + [round(row[f"panel:{p['code']}"], 4) for p in table.panels]
            + [round(row[f"criterion:{k['code']}"], 4) for k in table.criteria]
            + [round(row[f"{m}:score"], 4) for m in table.methods]
        )
    return Table(title=contest.title, headers=headers, rows=rows)
