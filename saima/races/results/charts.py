"""ECharts options of the result pages: the board (scores and rank intervals), a unit's rank
history and its contributions by indicator. Plain data in, a JSON-ready dict out."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from saima.races.models import ResultRow
from saima.races.results.selectors import BoardRow


def board_chart(rows: list[BoardRow], quota: int) -> dict[str, Any]:
    """ECharts option: scores as bars (selected in red), below them rank intervals (p5–p95).

    On a narrow screen (a judge's or official's phone) the unit names turn 60° and the legend
    moves out of the way, through ECharts' own media queries.
    """
    score_label, rank_label = gettext("得分"), gettext("名次")
    interval_label = gettext("排名区间（5%–95%）")
    names = [r.unit_name for r in rows]
    bars = [
        {"value": round(r.score, 2), "itemStyle": {"color": "#b3261e" if r.selected else "#9aa4ae"}}
        for r in rows
    ]
    intervals = [
        [r.p05, r.p95, r.p05, r.p95] if r.p05 is not None else ["-", "-", "-", "-"] for r in rows
    ]
    base = {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [score_label, interval_label, rank_label], "top": 0},
        "grid": [
            {"left": 50, "right": 20, "top": 40, "height": "38%"},
            {"left": 50, "right": 20, "top": "58%", "height": "28%"},
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
                },
            },
        ],
        "yAxis": [
            {"type": "value", "name": score_label, "gridIndex": 0},
            {
                "type": "value",
                "name": rank_label,
                "gridIndex": 1,
                "inverse": True,
                "min": 1,
                "splitLine": {"show": False},
            },
        ],
        "series": [
            {
                "name": score_label,
                "type": "bar",
                "data": bars,
                "color": "#9aa4ae",
                "xAxisIndex": 0,
                "yAxisIndex": 0,
                "markLine": {
                    "silent": True,
                    "symbol": "none",
                    "lineStyle": {"type": "dashed", "color": "#b3261e"},
                    "label": {"formatter": gettext("名额 %(n)s") % {"n": quota}, "position": "end"},
                    "data": [{"xAxis": max(0, min(quota, len(names)) - 1)}],
                }
                if rows and quota
                else {},
            },
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
    narrow = {
        "legend": {"top": 0, "itemGap": 6, "textStyle": {"fontSize": 10}},
        "grid": [
            {"left": 36, "right": 8, "top": 56, "height": "34%"},
            {"left": 36, "right": 8, "top": "56%", "height": "26%"},
        ],
        "xAxis": [{}, {"axisLabel": {"rotate": 60, "interval": 0, "fontSize": 10}}],
        "yAxis": [{}, {"name": ""}],  # the legend names the rank dots; the name would hit labels
    }
    return {"baseOption": base, "media": [{"query": {"maxWidth": 560}, "option": narrow}]}


def history_chart(history: list[ResultRow]) -> dict[str, Any]:
    labels = [h.result.period.short_label for h in history]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "grid": {"left": 40, "right": 20, "top": 30, "bottom": 30},
        "xAxis": {"type": "category", "data": labels},
        "yAxis": {
            "type": "value",
            "name": gettext("名次"),
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
        "grid": {"left": 170, "right": 30, "top": 10, "bottom": 30},
        "xAxis": {"type": "value", "name": gettext("得分贡献")},
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
