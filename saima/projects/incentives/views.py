"""The incentive linkage page: each locality's proposal with its derivation; XLSX/CSV export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

from saima.core.exports import Table, table_response
from saima.projects.incentives.actions import ComputeIncentives
from saima.projects.lights.views import watched_list

LABELS = {"red_flags": "红旗项目", "snails": "蜗牛项目", "red_cards": "红牌退场", "cap": "上限调整"}


def derivation(terms: list[dict[str, str]], unit: str) -> str:
    """ "3 × 500 (红旗项目) − 1 × 300 (蜗牛项目) − 200 (上限调整) = 1000" in words."""
    if not terms:
        return "0"
    parts = []
    for t in terms:
        label = _(LABELS.get(t["label"], t["label"]))
        if t["label"] == "cap":
            parts.append(f"{Decimal(t['amount']):+f} {unit}（{label}）")
        else:
            parts.append(f"{t['count']} × {Decimal(t['rate']):f}（{label}）")
    total = sum((Decimal(t["amount"]) for t in terms), Decimal("0"))
    return " + ".join(parts) + f" = {total:f} {unit}"


def incentives(request: HttpRequest, code: str) -> HttpResponseBase:
    plist = watched_list(request, code)
    rows = list(
        plist.incentives.select_related("locality", "rule_version").order_by("locality__path")
    )
    lines: list[dict[str, Any]] = [
        {
            "p": p,
            "funds_how": derivation(p.terms.get("funds", []), _("万元")),
            "land_how": derivation(p.terms.get("land", []), _("亩")),
        }
        for p in rows
    ]
    if request.GET.get("format") in ("csv", "xlsx"):
        body = [
            [
                line["p"].locality.name,
                line["p"].red_flags,
                line["p"].snails,
                line["p"].red_cards,
                line["p"].funds,
                line["funds_how"],
                line["p"].land,
                line["land_how"],
            ]
            for line in lines
        ]
        headers = [
            _("地区"),
            _("红旗项目"),
            _("蜗牛项目"),
            _("红牌退场"),
            _("中央预算内资金（万元）"),
            _("资金计算过程"),
            _("用地指标（亩）"),
            _("用地计算过程"),
        ]
        return table_response(
            Table(_("激励建议"), headers, body), request.GET["format"], f"incentives-{plist.code}"
        )
    context = {
        "plist": plist,
        "lines": lines,
        "compute": ComputeIncentives(request.user, plist),
        "version": rows[0].rule_version if rows else None,
        "computed_at": max((p.computed_at for p in rows), default=None),
    }
    return render(request, "projects/incentives/incentives.html", context)
