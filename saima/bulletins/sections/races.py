"""Indicator races in a bulletin: incentive regions, rankings with rank change, 红黑榜.

Only the current published version of each result is read (``Result.is_current`` with a
``published_at``), through the races app's own board selector, so the bulletin says exactly
what the public board says.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from saima.bulletins.content import Bar, Block, Chart, Section, Table
from saima.bulletins.sections import Scope
from saima.races.models import Cadence, Race, Result
from saima.races.results.selectors import board
from saima.races.schemes.selectors import parse_scheme


def _period_numbers(race: Race, scope: Scope) -> list[int]:
    """The period numbers of ``race`` a quarterly bulletin reports (the quarter, or its last
    month for a monthly race); for an annual one, every period of the year."""
    if scope.kind == "annual":
        return list(range(1, 13))
    assert scope.quarter is not None
    if race.cadence == Cadence.QUARTER:
        return [scope.quarter]
    if race.cadence == Cadence.MONTH:
        return [scope.quarter * 3]
    return []


def _published(scope: Scope) -> list[Result]:
    races = Race.objects.filter(owner=scope.unit).order_by("code")
    results = []
    for race in races:
        numbers = _period_numbers(race, scope)
        if not numbers:
            continue
        results += list(
            Result.objects.filter(
                period__race=race,
                period__year=scope.year,
                period__number__in=numbers,
                is_current=True,
                published_at__isnull=False,
            )
            .select_related("period__race")
            .order_by("period__number")
        )
    return results


def _change(change: int | None) -> str:
    if change is None:
        return _("新上榜单")
    if change > 0:
        return _("上升 %(n)s 位") % {"n": change}
    if change < 0:
        return _("下降 %(n)s 位") % {"n": -change}
    return _("持平")


def _listing(listed: str, selected: bool) -> str:
    words = []
    if selected:
        words.append(_("激励地区"))
    if listed == "red":
        words.append(_("红榜"))
    elif listed == "black":
        words.append(_("黑榜"))
    return "、".join(words) or "—"


def _quarter_section(result: Result) -> Section:
    period = result.period
    scheme = parse_scheme(result.scheme_toml)
    published = timezone.localtime(result.published_at).date() if result.published_at else None
    blocks = [
        Block(
            text=_(
                "按照《%(scheme)s》，经各地报送、审核并公示，%(period)s评价结果已于%(date)s发布"
                "（第 %(version)s 版，核验摘要 SHA-256 %(digest)s…）。结果如下。"
            )
            % {
                "scheme": scheme.name,
                "period": period.label,
                "date": f"{published:%Y年%-m月%-d日}" if published else "—",
                "version": result.version,
                "digest": result.digest[:12],
            }
        )
    ]
    for group in scheme.groups:
        data = board(result, group.code)
        rows = data["rows"]
        if not rows:
            continue
        selected = [row.unit_name for row in rows if row.selected]
        blocks.append(
            Block(
                text=_("%(group)s：激励地区 %(n)s 个，依次为%(names)s。")
                % {"group": group.name, "n": len(selected), "names": "、".join(selected) or "—"}
            )
        )
        if data["red"] or data["black"] or data["black_unreported"]:
            red = "、".join(row.unit_name for row in data["red"]) or "—"
            black = (
                "、".join(row.unit_name for row in [*data["black"], *data["black_unreported"]])
                or "—"
            )
            blocks.append(
                Block(text=_("红榜：%(red)s；黑榜：%(black)s。") % {"red": red, "black": black})
            )
        table_rows = []
        for row in rows:
            score = "—" if row.unreported else f"{row.score:.2f}"
            note = row.unreported and _("未按时报送（%(status)s）") % {"status": row.unreported}
            table_rows.append(
                [
                    str(row.rank),
                    row.unit_name,
                    score,
                    "—" if row.unreported else _change(row.change),
                    note or _listing(row.listed, row.selected),
                ]
            )
        blocks.append(
            Block(
                table=Table(
                    caption=_("%(group)s排名") % {"group": group.name},
                    headers=[_("名次"), _("地区"), _("综合得分"), _("名次变化"), _("榜单")],
                    rows=table_rows,
                    numeric=[0, 2],
                )
            )
        )
        scored = [row for row in rows if not row.unreported]
        blocks.append(
            Block(
                chart=Chart(
                    caption=_("%(group)s综合得分") % {"group": group.name},
                    unit=_("综合得分"),
                    bars=[Bar(row.unit_name, round(row.score, 4), row.listed) for row in scored],
                )
            )
        )
    return Section(key="races", heading=period.race.name, blocks=blocks)


def _annual_section(race: Race, results: list[Result]) -> Section:
    """The year's listed regions: how many periods each unit was an incentive region."""
    periods: dict[str, list[str]] = defaultdict(list)  # by unit code: a renamed unit is one
    names: dict[str, str] = {}  # each unit's name in the latest result that listed it
    for result in sorted(results, key=lambda r: (r.period.year, r.period.number)):
        scheme = parse_scheme(result.scheme_toml)
        for group in scheme.groups:
            for row in board(result, group.code)["rows"]:
                if row.selected:
                    periods[row.unit_code].append(result.period.short_label)
                    names[row.unit_code] = row.unit_name
    counts = {names[code]: listed for code, listed in periods.items()}
    ranked = sorted(counts.items(), key=lambda item: (-len(item[1]), item[0]))
    blocks = [
        Block(
            text=_("%(year)s年共发布 %(n)s 期评价结果，%(units)s 个地区获评激励地区。")
            % {"year": results[0].period.year, "n": len(results), "units": len(ranked)}
        ),
        Block(
            table=Table(
                caption=_("%(race)s年度上榜情况") % {"race": race.name},
                headers=[_("地区"), _("上榜次数"), _("上榜期次")],
                rows=[[name, str(len(periods)), "、".join(periods)] for name, periods in ranked],
                numeric=[1],
            )
        ),
    ]
    if ranked:
        blocks.append(
            Block(
                chart=Chart(
                    caption=_("%(race)s年度上榜次数") % {"race": race.name},
                    unit=_("上榜次数"),
                    bars=[Bar(name, float(len(periods))) for name, periods in ranked[:20]],
                )
            )
        )
    return Section(key="races", heading=race.name, blocks=blocks)


def build(scope: Scope) -> list[Section]:
    results = _published(scope)
    if scope.kind == "annual":
        by_race: dict[int, list[Result]] = defaultdict(list)
        for result in results:
            by_race[result.period.race_id].append(result)
        return [_annual_section(items[0].period.race, items) for items in by_race.values() if items]
    return [_quarter_section(result) for result in results]
