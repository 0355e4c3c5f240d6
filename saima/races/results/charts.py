"""ECharts options of the result pages: the board (scores and rank intervals), a unit's rank
history and its contributions by indicator. Plain data in, a JSON-ready dict out."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from saima.races.models import ResultRow
from saima.races.results.selectors import BoardRow


def board_chart(rows: list[BoardRow], quota: int) -> dict[str, Any]:
    """ECharts option: scores as bars (selected in red), below them rank intervals (p5–p95).

    Axis labels are kept inside the chart (``containLabel``): long names rotate, and the rank
    axis, which runs downwards, carries its name at its top end, clear of the unit names. Phones
    get ``board_chart_narrow`` instead.
    """
    score_label, rank_label = gettext("得分"), gettext("名次")
    interval_label = gettext("排名区间（5%–95%）")
    names = [r.unit_name for r in rows]
    intervals = [
        [r.p05, r.p95, r.p05, r.p95] if r.p05 is not None else ["-", "-", "-", "-"] for r in rows
    ]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [score_label, interval_label, rank_label], "top": 0},
        "grid": [
            {"left": 16, "right": 24, "top": 48, "height": "36%", "containLabel": True},
            {"left": 16, "right": 24, "top": "56%", "bottom": 16, "containLabel": True},
        ],
        "xAxis": [
            {"type": "category", "data": names, "gridIndex": 0, "axisLabel": {"show": False}},
            {
                "type": "category",
                "data": names,
                "gridIndex": 1,
                "axisLabel": {
                    "rotate": 60 if len(names) > 12 else 0,
                    "interval": 0 if len(names) <= 40 else "auto",
                    "width": 64,
                    "overflow": "truncate",  # the full name is in the tooltip and the table
                },
            },
        ],
        "yAxis": [
            {"type": "value", "name": score_label, "gridIndex": 0, "nameGap": 12},
            {
                "type": "value",
                "name": rank_label,
                "nameLocation": "start",  # the axis is inverted: "start" is its top end
                "nameGap": 12,
                "gridIndex": 1,
                "inverse": True,
                "min": 1,
                "splitLine": {"show": False},
            },
        ],
        "series": [
            _score_bars(rows, quota, score_label, vertical=True),
            {
                "name": interval_label,
                "type": "candlestick",
                "data": intervals,
                "xAxisIndex": 1,
                "yAxisIndex": 1,
                "barMaxWidth": 6,
                "itemStyle": {
                    "color": "#1d4f91",
                    "color0": "#1d4f91",
                    "borderColor": "#1d4f91",
                    "borderColor0": "#1d4f91",
                },
            },
            {
                "name": rank_label,
                "type": "scatter",
                "data": [r.rank for r in rows],
                "xAxisIndex": 1,
                "yAxisIndex": 1,
                "symbolSize": 6,
                "itemStyle": {"color": "#b3261e"},
            },
        ],
    }


NARROW_ROW_PX = 20


def board_chart_narrow(rows: list[BoardRow], quota: int) -> dict[str, Any]:
    """The board for a phone: one horizontal bar per unit, its name beside it, rank 1 on top.

    Ninety names under a chart 390 px wide cannot be read; listed down the page they can. The
    container's height grows with the rows (``narrow_chart_height``); rank intervals are in the
    table below.
    """
    score_label = gettext("得分")
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 60, "top": 44, "bottom": 4, "containLabel": True},
        "xAxis": {
            "type": "value",
            "position": "top",
            "name": score_label,
            "nameLocation": "middle",
            "nameGap": 24,
            "splitNumber": 4,
        },
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [r.unit_name for r in rows],
            "axisLabel": {"interval": 0, "fontSize": 12, "width": 84, "overflow": "truncate"},
            "axisTick": {"show": False},
        },
        "series": [_score_bars(rows, quota, score_label, vertical=False)],
    }


def narrow_chart_height(rows: list[BoardRow]) -> int:
    return 60 + NARROW_ROW_PX * len(rows)


def _score_bars(rows: list[BoardRow], quota: int, name: str, *, vertical: bool) -> dict[str, Any]:
    """Score bars, selected units in red, with a dashed line after the last place in the quota."""
    bars = [
        {"value": round(r.score, 2), "itemStyle": {"color": "#b3261e" if r.selected else "#9aa4ae"}}
        for r in rows
    ]
    series: dict[str, Any] = {"name": name, "type": "bar", "data": bars, "color": "#9aa4ae"}
    if vertical:
        series |= {"xAxisIndex": 0, "yAxisIndex": 0}
    else:
        series |= {"barMaxWidth": 14, "label": {"show": True, "position": "right", "fontSize": 11}}
    if rows and quota:
        last_in = max(0, min(quota, len(rows)) - 1)  # a category axis takes an index
        series["markLine"] = {
            "silent": True,
            "symbol": "none",
            "lineStyle": {"type": "dashed", "color": "#b3261e"},
            "label": {
                "formatter": gettext("名额 %(n)s") % {"n": quota},
                "position": "end",
            },
            "data": [{"xAxis": last_in} if vertical else {"yAxis": last_in}],
        }
    return series


def history_chart(history: list[ResultRow]) -> dict[str, Any]:
    labels = [h.result.period.short_label for h in history]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 16, "right": 24, "top": 40, "bottom": 8, "containLabel": True},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {
            "type": "value",
            "name": gettext("名次"),
            "nameLocation": "start",  # the axis is inverted: "start" is its top end
            "nameGap": 16,
            "inverse": True,
            "min": 1,
            "minInterval": 1,
        },
        "series": [
            {
                "name": gettext("名次"),
                "type": "line",
                "data": [h.rank for h in history],
                "itemStyle": {"color": "#b3261e"},
                "label": {"show": True},
            }
        ],
    }


def contribution_chart(indicators: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "animation": False,
        "tooltip": {"trigger": "axis", "axisPointer": {"type": "shadow"}},
        "grid": {"left": 8, "right": 24, "top": 10, "bottom": 28, "containLabel": True},
        "xAxis": {
            "type": "value",
            "name": gettext("得分贡献"),
            "nameLocation": "middle",  # under the axis, never clipped at its end
            "nameGap": 24,
        },
        "yAxis": {
            "type": "category",
            "inverse": True,
            "data": [x["indicator"].name for x in indicators],
        },
        "series": [
            {
                "type": "bar",
                "data": [round(x["contribution"] or 0, 2) for x in indicators],
                "itemStyle": {"color": "#1d4f91"},
            }
        ],
    }
