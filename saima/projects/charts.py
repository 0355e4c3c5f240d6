"""ECharts option of the project page: planned vs actual cumulative investment this year, with
形象进度 on a second axis. Plain data in, a JSON-ready dict out (rendered by saima.js)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext


def investment_chart(curve: dict[str, Any]) -> dict[str, Any]:
    planned, actual = gettext("计划累计投资"), gettext("实际累计完成")
    progress = gettext("形象进度（%）")
    months = [gettext("%(m)s月") % {"m": m} for m in curve["months"]]
    return {
        "animation": False,
        "tooltip": {"trigger": "axis"},
        "legend": {"data": [planned, actual, progress], "top": 0},
        "grid": {"left": 16, "right": 16, "top": 48, "bottom": 16, "containLabel": True},
        "xAxis": {"type": "category", "data": months},
        "yAxis": [
            {"type": "value", "name": gettext("万元"), "nameGap": 12},
            {"type": "value", "name": "%", "min": 0, "max": 100, "splitLine": {"show": False}},
        ],
        "series": [
            {
                "name": planned,
                "type": "line",
                "data": curve["planned"],
                "lineStyle": {"type": "dashed"},
                "symbol": "rect",
                "color": "#6b7280",
            },
            {
                "name": actual,
                "type": "line",
                "data": curve["actual"],
                "connectNulls": False,
                "symbol": "circle",
                "color": "#c0392b",
            },
            {
                "name": progress,
                "type": "bar",
                "yAxisIndex": 1,
                "data": curve["progress"],
                "barWidth": "30%",
                "color": "#93c5fd",
            },
        ],
    }
