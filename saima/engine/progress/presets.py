"""Example rule sets for the places issue 9 names, as TOML a list can start from.

They are documented examples of how each place's published rule maps onto the rule fields, not
legal texts: an organiser checks them against the local document and versions any change.
The incentive amounts are illustrative; the ones in force are set per list and year.

>>> sorted(PRESETS)
['default', 'mianyang', 'ouhai', 'songyang', 'yinchuan']
>>> preset("yinchuan").lights.start.red_after_months
3
>>> preset("nowhere")
Traceback (most recent call last):
...
KeyError: "no preset 'nowhere'; known: default, mianyang, ouhai, songyang, yinchuan"
"""

from __future__ import annotations

from .rules import ProgressRules, load_rules

DEFAULT = """
name = "重点项目月亮灯（默认规则）"
version = 1
description = "Yellow 10-30 points behind schedule, red above 30; overdue start or completion at least yellow."
"""

# 银川: 滞后 10–30 个百分点黄灯、30 个百分点以上红灯；应开工未开工当月黄灯，连续三个月红灯。
YINCHUAN = """
name = "银川市重点项目月亮灯（示例）"
version = 1
description = "Yellow 10-30 points behind, red over 30; a slipped start is yellow, red after three months."
[lights]
yellow_from = 10
red_above = 30
cadence = "month"
[lights.start]
at_least_yellow = true
red_after_months = 3
[lights.completion]
at_least_yellow = true
red_after_months = 3
"""

# 松阳: 月度目标未完成黄灯，季度目标未完成红灯。
SONGYANG = """
name = "松阳县重点项目红黄灯（示例）"
version = 1
description = "Month target missed: yellow; quarter target missed: red (and a snail)."
[lights]
yellow_from = 0
red_above = 0
cadence = "quarter"
[ratings]
snail_on_quarter_miss = true
snail_quarter_lag = 0
"""

# 绵阳: 骏马 — 超季度目标 30% 以上；蜗牛 — 未按期开工或未完成季度目标；不可抗力豁免。
MIANYANG = """
name = "绵阳市重点项目骏马蜗牛（示例）"
version = 1
description = "Red flag (骏马): investment over 130% of the quarter target; snail: missed start or missed quarter target; force majeure exempt."
[ratings]
red_flag_share = 1.0
min_investment_ratio = 1.3
snail_red_months = 0
snail_on_overdue_start = true
snail_on_overdue_completion = false
snail_on_quarter_miss = true
snail_quarter_lag = 0
"""

# 瓯海: 追上进度的月份仍亮黄灯，滞后留痕。
OUHAI = """
name = "瓯海区重点项目月亮灯（示例）"
version = 1
description = "Default thresholds; the month after a yellow or red one shows yellow even when back on schedule."
[lights]
keep_recovered_months = 1
"""

PRESETS: dict[str, str] = {
    "default": DEFAULT,
    "yinchuan": YINCHUAN,
    "songyang": SONGYANG,
    "mianyang": MIANYANG,
    "ouhai": OUHAI,
}


def preset(code: str) -> ProgressRules:
    """The example rule set `code` (KeyError naming the known ones)."""
    if code not in PRESETS:
        raise KeyError(f"no preset {code!r}; known: {', '.join(sorted(PRESETS))}")
    return load_rules(PRESETS[code])
