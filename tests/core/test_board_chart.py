"""The board chart: names kept inside the chart on screens, one bar per row down a phone."""

from __future__ import annotations

from saima.races.results.charts import board_chart, board_chart_narrow, narrow_chart_height
from saima.races.results.selectors import BoardRow


def rows(n: int, quota: int) -> list[BoardRow]:
    return [
        BoardRow(
            unit_code=f"33{i:04d}",
            unit_name=f"测试县{i:02d}" if i != 7 else "景宁畲族自治县",
            rank=i + 1,
            score=100.0 - i,
            selected=i < quota,
            tie=False,
            p05=float(i + 1),
            p95=float(i + 2),
            p_selected=None,
            change=None,
        )
        for i in range(n)
    ]


def test_the_rank_axis_names_itself_at_its_top_and_labels_stay_inside():
    option = board_chart(rows(90, 11), 11)
    rank_axis = option["yAxis"][1]
    assert rank_axis["inverse"] and rank_axis["nameLocation"] == "start"
    assert all(grid["containLabel"] for grid in option["grid"])
    names_axis = option["xAxis"][1]["axisLabel"]
    assert names_axis["overflow"] == "truncate" and names_axis["width"] > 0


def test_on_a_phone_every_unit_gets_its_own_row_with_its_name():
    board = rows(90, 11)
    option = board_chart_narrow(board, 11)
    assert option["yAxis"]["type"] == "category" and option["yAxis"]["inverse"]
    assert option["yAxis"]["data"] == [r.unit_name for r in board]
    assert option["yAxis"]["axisLabel"]["interval"] == 0, "every name shown"
    bars = option["series"][0]
    assert [b["value"] for b in bars["data"]] == [r.score for r in board]
    assert bars["markLine"]["data"] == [{"yAxis": 10}]
    assert narrow_chart_height(board) >= 18 * 90, "at least 18 px per name"


def test_the_unit_page_charts_keep_their_axis_names_clear_of_the_labels():
    from types import SimpleNamespace

    from saima.races.results.charts import contribution_chart, history_chart

    history = [
        SimpleNamespace(
            rank=r, result=SimpleNamespace(period=SimpleNamespace(short_label=f"2026Q{q}"))
        )
        for q, r in ((1, 2), (2, 3), (3, 1))
    ]
    option = history_chart(history)  # type: ignore[arg-type]
    ranks = option["yAxis"]
    assert ranks["inverse"] and ranks["nameLocation"] == "start"  # at the top, not on the dates
    assert option["grid"]["containLabel"]
    contributions = contribution_chart(
        [{"indicator": SimpleNamespace(name="固定资产投资增速"), "contribution": 12.0}]
    )
    assert contributions["xAxis"]["nameLocation"] == "middle"  # under the axis, not cut off
    assert contributions["grid"]["containLabel"]
