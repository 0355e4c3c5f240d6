"""Arena contests in a bulletin: the contests of the period that were revealed and released to
the public, in the issuing unit's subtree, with their ranking (the frozen final scores)."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from saima.arena.models import Contest
from saima.bulletins.content import Bar, Block, Chart, Section, Table
from saima.bulletins.sections import Scope


def _span(scope: Scope) -> tuple[dt.date, dt.date]:
    if scope.kind == "annual" or scope.quarter is None:
        return dt.date(scope.year, 1, 1), dt.date(scope.year, 12, 31)
    first = dt.date(scope.year, 3 * scope.quarter - 2, 1)
    last_month = 3 * scope.quarter
    end = dt.date(scope.year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1)
    return first, end


def build(scope: Scope) -> list[Section]:
    start, end = _span(scope)
    contests = list(
        Contest.objects.filter(
            released=True,
            owner__path__startswith=scope.unit.path,
            date__gte=start,
            date__lte=end,
        ).order_by("date", "pk")
    )
    blocks: list[Block] = []
    for contest in contests:
        ranked = list(
            contest.contestants.filter(rank__isnull=False)
            .select_related("unit", "person")
            .order_by("rank", "position")
        )
        if not ranked:
            continue
        winners = "、".join(c.unit.name for c in ranked[:3])
        blocks.append(
            Block(
                text=_(
                    "%(date)s，%(title)s举行，%(n)s 位参赛者现场陈述、评委当场打分。前三名：%(top)s。"
                )
                % {
                    "date": f"{contest.date.year}年{contest.date.month}月{contest.date.day}日",
                    "title": contest.title,
                    "n": len(ranked),
                    "top": winners,
                }
            )
        )
        blocks.append(
            Block(
                table=Table(
                    caption=_("%(title)s结果") % {"title": contest.title},
                    headers=[_("名次"), _("单位"), _("陈述人"), _("陈述主题"), _("得分")],
                    rows=[
                        [
                            str(c.rank),
                            c.unit.name,
                            c.person.name if c.person is not None else "—",
                            c.topic or "—",
                            "—" if c.final_score is None else f"{c.final_score:.2f}",
                        ]
                        for c in ranked
                    ],
                    numeric=[0, 4],
                )
            )
        )
        blocks.append(
            Block(
                chart=Chart(
                    caption=_("%(title)s得分") % {"title": contest.title},
                    unit=_("得分"),
                    bars=[
                        Bar(
                            c.unit.name,
                            round(c.final_score or 0.0, 2),
                            "red" if c.rank == 1 else "",
                        )
                        for c in ranked
                    ],
                )
            )
        )
    if not blocks:
        return []
    return [Section(key="arena", heading=_("擂台赛比拼结果"), blocks=blocks)]
