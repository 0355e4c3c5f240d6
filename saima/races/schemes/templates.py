"""Scheme templates (方案模板): the starting schemes an organiser picks when creating a race.

Templates produce TOML text in the engine's format; an organiser edits the text afterwards.
The Zhejiang investment race follows MECHANISMS.md §1: three sections (投资规模扩大 /
投资结构优化 / 重大项目招引实施), eleven indicators that localities report about themselves,
groups 设区市 (quota 4) and 县（市、区） (quota 11). The official indicator list was never
published, so every indicator and weight here is a documented default, meant to be edited.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saima.engine import scheme_from_dict, scheme_to_toml
from saima.org.models import Unit

INVESTMENT_SECTIONS = [
    {"code": "scale", "name": "投资规模扩大"},
    {"code": "structure", "name": "投资结构优化"},
    {"code": "projects", "name": "重大项目招引实施"},
]

# (code, name, section, direction, weight, unit, help)
INVESTMENT_INDICATORS = [
    (
        "fai_growth",
        "固定资产投资增速",
        "scale",
        "higher",
        0.12,
        "%",
        "本年累计同比增速，以统计部门快报为准",
    ),
    (
        "construction_growth",
        "建安投资增速",
        "scale",
        "higher",
        0.08,
        "%",
        "建筑安装工程投资本年累计同比增速",
    ),
    (
        "plan_completion",
        "年度投资计划完成率",
        "scale",
        "higher",
        0.08,
        "%",
        "本年累计完成额 ÷ 年度计划",
    ),
    (
        "key_project_completion",
        "省重点建设项目投资完成率",
        "scale",
        "higher",
        0.07,
        "%",
        "省重点建设项目本年累计完成投资 ÷ 年度计划投资",
    ),
    (
        "hightech_growth",
        "高新技术产业投资增速",
        "structure",
        "higher",
        0.10,
        "%",
        "本年累计同比增速",
    ),
    (
        "manufacturing_growth",
        "制造业投资增速",
        "structure",
        "higher",
        0.10,
        "%",
        "本年累计同比增速",
    ),
    ("private_share", "民间投资占比", "structure", "higher", 0.10, "%", "民间投资 ÷ 固定资产投资"),
    (
        "landing_rate",
        "省市县长项目落地率",
        "projects",
        "higher",
        0.10,
        "%",
        "已落地项目数 ÷ 签约项目数",
    ),
    (
        "red_flag_projects",
        "红旗项目数",
        "projects",
        "higher",
        0.10,
        "个",
        "本季度被评为红旗项目的个数",
    ),
    (
        "major_industrial_projects",
        "省重大产业项目数",
        "projects",
        "higher",
        0.08,
        "个",
        "列入省重大产业项目计划的个数",
    ),
    (
        "snail_projects",
        "蜗牛项目数",
        "projects",
        "lower",
        0.07,
        "个",
        "本季度被评为蜗牛项目的个数（越少越好）",
    ),
]

TOWN_SECTIONS = [
    {"code": "economy", "name": "经济发展"},
    {"code": "projects", "name": "项目建设"},
    {"code": "governance", "name": "社会治理"},
]

TOWN_INDICATORS = [
    ("industry_growth", "规上工业增加值增速", "economy", "higher", 0.14, "%", "本年累计同比增速"),
    ("fai_growth", "固定资产投资增速", "economy", "higher", 0.14, "%", "本年累计同比增速"),
    ("revenue_growth", "一般公共预算收入增速", "economy", "higher", 0.10, "%", "本年累计同比增速"),
    (
        "investment_attracted",
        "招商引资实际到位资金",
        "projects",
        "higher",
        0.14,
        "亿元",
        "本年累计到位资金",
    ),
    (
        "projects_started",
        "重点项目开工数",
        "projects",
        "higher",
        0.12,
        "个",
        "本季度新开工重点项目个数",
    ),
    (
        "land_cleared",
        "征迁交地面积",
        "projects",
        "higher",
        0.10,
        "亩",
        "本季度完成征迁并交地的面积",
    ),
    ("income_growth", "农村居民人均可支配收入增速", "governance", "higher", 0.10, "%", "同比增速"),
    (
        "petitions",
        "信访件数",
        "governance",
        "lower",
        0.08,
        "件",
        "本季度进京赴省信访件数（越少越好）",
    ),
    (
        "safety_incidents",
        "安全生产事故数",
        "governance",
        "lower",
        0.08,
        "起",
        "本季度一般及以上事故起数（越少越好）",
    ),
]


@dataclass(frozen=True)
class SchemeTemplate:
    key: str
    title: str | Promise
    description: str | Promise


TEMPLATES = [
    SchemeTemplate(
        "zhejiang_investment",
        _("浙江省投资“赛马”激励（设区市 4 个、县（市、区）11 个）"),
        _("3 个板块、11 项指标，每季度评选；分组与名额、指标与权重均可修改。"),
    ),
    SchemeTemplate(
        "county_towns",
        _("县域乡镇（街道）重点指标赛马"),
        _(
            "经济发展、项目建设、社会治理 3 个板块 9 项指标，县内乡镇（街道）同组比拼，前 3 名上榜。"
        ),
    ),
]


# Bounds of reported values (取值范围): counts are whole and never negative, shares (占比、落地率)
# lie within 0–100 %, completion rates and amounts are never negative (a plan can be
# over-fulfilled, so no maximum), growth rates are unbounded.
COUNT: dict[str, Any] = {"min": 0, "integer": True}
SHARE: dict[str, Any] = {"min": 0, "max": 100}
NON_NEGATIVE: dict[str, Any] = {"min": 0}
BOUNDS: dict[str, dict[str, Any]] = {
    "plan_completion": NON_NEGATIVE,
    "key_project_completion": NON_NEGATIVE,
    "private_share": SHARE,
    "landing_rate": SHARE,
    "red_flag_projects": COUNT,
    "major_industrial_projects": COUNT,
    "snail_projects": COUNT,
    "investment_attracted": NON_NEGATIVE,
    "projects_started": COUNT,
    "land_cleared": NON_NEGATIVE,
    "petitions": COUNT,
    "safety_incidents": COUNT,
}


def _indicators(rows: list[tuple[Any, ...]]) -> list[dict[str, Any]]:
    keys = ("code", "name", "section", "direction", "weight", "unit", "help")
    return [{**dict(zip(keys, row, strict=True)), **BOUNDS.get(row[0], {})} for row in rows]


# Both templates: min-max within each group, fixed weights, a weighted sum, no missing values,
# 红黑榜 of three (units that did not report listed as 未填报 and on the 黑榜), and weight draws of concentration 50 for the rank intervals.
TEMPLATE_METHOD: dict[str, Any] = {
    "method": {
        "normalise": "minmax",
        "scope": "group",
        "weighting": "fixed",
        "aggregate": "arithmetic",
        "missing": "reject",
    },
    "robustness": {"concentration": 50},
    "lists": {"top": 3, "bottom": 3},
    # units that did not report: named below the board as 未填报, and put on the 黑榜
    "unreported": {"treatment": "listed", "black_list": True},
}


def zhejiang_investment_doc() -> dict[str, Any]:
    return {
        "name": "浙江省投资“赛马”激励",
        **copy.deepcopy(TEMPLATE_METHOD),
        "groups": [
            {"code": "city", "name": "设区市", "quota": 4},
            {"code": "county", "name": "县（市、区）", "quota": 11},
        ],
        "sections": INVESTMENT_SECTIONS,
        "indicators": _indicators(INVESTMENT_INDICATORS),
    }


def county_towns_doc(county: Unit) -> dict[str, Any]:
    return {
        "name": f"{county.name}乡镇（街道）重点指标赛马",
        **copy.deepcopy(TEMPLATE_METHOD),
        "groups": [
            {"code": f"towns-{county.code}", "name": f"{county.name}乡镇（街道）", "quota": 3}
        ],
        "sections": TOWN_SECTIONS,
        "indicators": _indicators(TOWN_INDICATORS),
    }


def template_toml(key: str, owner: Unit) -> str:
    """The TOML text of template ``key`` for a race owned by ``owner``."""
    doc = zhejiang_investment_doc() if key == "zhejiang_investment" else county_towns_doc(owner)
    return scheme_to_toml(scheme_from_dict(doc))
