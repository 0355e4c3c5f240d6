"""Key projects in a bulletin: the quarter's published red-flag and snail projects, and the
lights of the quarter's last month by locality (月亮灯); the year's red-flag projects in the
annual commendation. Only published ratings and published light runs are read."""

from __future__ import annotations

from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from saima.bulletins.content import Bar, Block, Chart, Section, Table
from saima.bulletins.sections import Scope
from saima.projects.models import (
    LightColour,
    LightRun,
    MonthlyLight,
    ProjectList,
    QuarterRating,
    RatingEntry,
    RatingKind,
    RatingStatus,
)


def _lists(scope: Scope) -> list[ProjectList]:
    return list(ProjectList.objects.filter(owner=scope.unit, year=scope.year).order_by("code"))


def _entries(rating: QuarterRating, kind: str) -> list[RatingEntry]:
    return list(
        rating.entries.filter(kind=kind, removed=False)
        .select_related("project__locality__parent", "project__owner_unit")
        .order_by("rank", "project__code")
    )


def _place(entry: RatingEntry) -> str:
    locality = entry.project.locality
    parent = locality.parent
    return (
        f"{parent.name}{locality.name}"
        if parent is not None and parent.level == "city"
        else locality.name
    )


def _light_blocks(project_list: ProjectList, month: int) -> list[Block]:
    run = LightRun.objects.filter(
        project_list=project_list, month=month, is_current=True, published_at__isnull=False
    ).first()
    if run is None:
        return []
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    for city, light in MonthlyLight.objects.filter(run=run).values_list(
        "project__locality__parent__name", "light"
    ):
        counts[city or "—"][light] += 1
    colours = [LightColour.GREEN, LightColour.YELLOW, LightColour.RED, LightColour.GREY]
    rows = []
    for city in sorted(counts):
        c = counts[city]
        total = sum(c.values())
        rows.append([city, *[str(c[colour]) for colour in colours], str(total)])
    totals = Counter[int]()
    for c in counts.values():
        totals.update(c)
    rows.append(
        [_("合计"), *[str(totals[colour]) for colour in colours], str(sum(totals.values()))]
    )
    red_share = sorted(
        ((city, 100 * c[LightColour.RED] / max(1, sum(c.values()))) for city, c in counts.items()),
        key=lambda item: (-item[1], item[0]),
    )
    return [
        Block(
            text=_(
                "%(month)s月亮灯：绿灯 %(g)s 个、黄灯 %(y)s 个、红灯 %(r)s 个、灰灯（未报送）%(n)s 个。"
            )
            % {
                "month": f"{project_list.year}年{month}月",
                "g": totals[LightColour.GREEN],
                "y": totals[LightColour.YELLOW],
                "r": totals[LightColour.RED],
                "n": totals[LightColour.GREY],
            }
        ),
        Block(
            table=Table(
                caption=_("%(month)s月各地亮灯情况") % {"month": f"{project_list.year}年{month}"},
                headers=[_("设区市"), _("绿灯"), _("黄灯"), _("红灯"), _("灰灯"), _("项目数")],
                rows=rows,
                numeric=[1, 2, 3, 4, 5],
            )
        ),
        Block(
            chart=Chart(
                caption=_("各地红灯项目占比（%）"),
                unit="%",
                bars=[
                    Bar(city, round(share, 1), "red" if share else "") for city, share in red_share
                ],
            )
        ),
    ]


def _quarter_section(project_list: ProjectList, quarter: int) -> Section | None:
    rating = QuarterRating.objects.filter(
        project_list=project_list, quarter=quarter, status=RatingStatus.PUBLISHED
    ).first()
    lights = _light_blocks(project_list, quarter * 3)
    if rating is None and not lights:
        return None
    blocks: list[Block] = []
    if rating is not None:
        flags = _entries(rating, RatingKind.RED_FLAG)
        snails = _entries(rating, RatingKind.SNAIL)
        blocks.append(
            Block(
                text=_(
                    "经综合评价和审定，%(label)s评出红旗项目 %(f)s 个、蜗牛项目 %(s)s 个。"
                    "蜗牛项目列入督查事项跟踪管理，给予黄牌警告，限期整改。"
                )
                % {"label": rating.label, "f": len(flags), "s": len(snails)}
            )
        )
        if flags:
            blocks.append(
                Block(
                    table=Table(
                        caption=_("红旗项目"),
                        headers=[
                            _("序号"),
                            _("项目名称"),
                            _("所在地"),
                            _("责任单位"),
                            _("综合得分"),
                        ],
                        rows=[
                            [
                                str(i),
                                e.project.name,
                                _place(e),
                                e.project.owner_unit.name,
                                "—" if e.composite is None else f"{e.composite:.2f}",
                            ]
                            for i, e in enumerate(flags, start=1)
                        ],
                        numeric=[0, 4],
                    )
                )
            )
        if snails:
            blocks.append(
                Block(
                    table=Table(
                        caption=_("蜗牛项目"),
                        headers=[
                            _("序号"),
                            _("项目名称"),
                            _("所在地"),
                            _("责任单位"),
                            _("主要问题"),
                        ],
                        rows=[
                            [
                                str(i),
                                e.project.name,
                                _place(e),
                                e.project.owner_unit.name,
                                e.reasons or "—",
                            ]
                            for i, e in enumerate(snails, start=1)
                        ],
                        numeric=[0],
                    )
                )
            )
    blocks += lights
    return Section(key="projects", heading=project_list.name, blocks=blocks)


def _annual_section(project_list: ProjectList) -> Section | None:
    entries = list(
        RatingEntry.objects.filter(
            rating__project_list=project_list,
            rating__status=RatingStatus.PUBLISHED,
            kind=RatingKind.RED_FLAG,
            removed=False,
        ).select_related("project__locality__parent", "project__owner_unit", "rating")
    )
    if not entries:
        return None
    quarters: dict[int, list[str]] = defaultdict(list)
    by_pk = {}
    for entry in entries:
        quarters[entry.project_id].append(f"Q{entry.rating.quarter}")
        by_pk[entry.project_id] = entry
    ranked = sorted(by_pk.values(), key=lambda e: (-len(quarters[e.project_id]), e.project.code))
    return Section(
        key="projects",
        heading=project_list.name,
        blocks=[
            Block(
                text=_("%(year)s年共 %(n)s 个项目获评红旗项目，予以通报表扬。")
                % {"year": project_list.year, "n": len(ranked)}
            ),
            Block(
                table=Table(
                    caption=_("%(year)s年度红旗项目") % {"year": project_list.year},
                    headers=[
                        _("项目名称"),
                        _("所在地"),
                        _("责任单位"),
                        _("获评次数"),
                        _("获评季度"),
                    ],
                    rows=[
                        [
                            e.project.name,
                            _place(e),
                            e.project.owner_unit.name,
                            str(len(quarters[e.project_id])),
                            "、".join(sorted(quarters[e.project_id])),
                        ]
                        for e in ranked
                    ],
                    numeric=[3],
                )
            ),
        ],
    )


def build(scope: Scope) -> list[Section]:
    sections = []
    for project_list in _lists(scope):
        if scope.kind == "annual":
            section = _annual_section(project_list)
        else:
            assert scope.quarter is not None
            section = _quarter_section(project_list, scope.quarter)
        if section is not None:
            sections.append(section)
    return sections
