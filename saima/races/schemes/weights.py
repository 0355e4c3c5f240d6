"""Effective weights (实际权重) of a scheme, and the chart the scheme editor shows them in.

An indicator's effective weight is its section's weight (normalised over sections) times its
share within the section; without section weights it is simply its weight over the total. The
engine's ``scheme_weights`` computes them (as ``rank`` does); this module shapes a chart.

>>> from saima.engine import scheme_from_dict
>>> s = scheme_from_dict({"name": "x", "groups": [{"code": "g", "quota": 1}],
...     "sections": [{"code": "a", "weight": 0.5}, {"code": "b", "weight": 0.5}],
...     "indicators": [{"code": "i", "section": "a", "direction": "higher", "weight": 2},
...                    {"code": "j", "section": "a", "direction": "higher", "weight": 1},
...                    {"code": "k", "section": "b", "direction": "lower", "weight": 1}]})
>>> [round(100 * w, 1) for w in effective_weights(s)]
[33.3, 16.7, 50.0]
"""

from __future__ import annotations

from typing import Any

from saima.engine import Scheme, scheme_weights

# Section colours of the weights chart, in section order (red first, as on the boards).
SECTION_COLOURS = ("#b3261e", "#1d4f91", "#a86b00", "#1e6b3a", "#5b3a9a", "#0e7490", "#6e7781")
DATA_DRIVEN = ("entropy", "critic")


def effective_weights(scheme: Scheme) -> list[float] | None:
    """Each indicator's share of the total score (sums to 1); None when data decide (熵权法, CRITIC)."""
    weights = scheme_weights(scheme)
    return None if weights is None else [float(w) for w in weights]


def section_totals(scheme: Scheme, weights: list[float] | None) -> dict[str, float | None]:
    """Each section's share of the total score, by section code."""
    totals: dict[str, float | None] = {
        s.code: None if weights is None else 0.0 for s in scheme.sections
    }
    if weights is not None:
        for indicator, weight in zip(scheme.indicators, weights, strict=True):
            totals[indicator.section] = (totals[indicator.section] or 0.0) + weight
    return totals


def weights_chart(scheme: Scheme, weights: list[float] | None) -> dict[str, Any]:
    """A horizontal bar per indicator, one series (colour) per section; percentages, 1 decimal.

    The scheme editor's script rebuilds the same option as the organiser types.
    """
    names = [i.name for i in scheme.indicators]
    series = []
    for index, section in enumerate(scheme.sections):
        data = [
            round(100 * weights[k], 1)
            if weights is not None and i.section == section.code
            else None
            for k, i in enumerate(scheme.indicators)
        ]
        series.append(
            {
                "name": section.name,
                "type": "bar",
                "stack": "weight",
                "data": data,
                "itemStyle": {"color": SECTION_COLOURS[index % len(SECTION_COLOURS)]},
                "label": {"show": True, "position": "right", "formatter": "{c}%"},
                "barMaxWidth": 18,
            }
        )
    return {
        "animation": False,
        "grid": {"left": 8, "right": 48, "top": 36, "bottom": 8, "containLabel": True},
        "legend": {"top": 0, "type": "scroll"},
        "tooltip": {"trigger": "item", "formatter": "{b}：{c}%"},
        "xAxis": {
            "type": "value",
            "splitNumber": 4,
            "axisLabel": {"formatter": "{value}%", "hideOverlap": True},
        },
        "yAxis": {"type": "category", "data": names, "inverse": True},
        "series": series,
    }
