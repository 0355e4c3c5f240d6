"""The conduct app's navigation, home-page panel and audit action names."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saima.conduct.permissions import may_enter_clues
from saima.core.actions import register_actions
from saima.core.navigation import DashboardPanel, NavItem, register_nav, register_panel

ACTIONS: dict[str, str | Promise] = {
    "conduct.clue.submit": _("收到匿名或实名线索（公开征集）"),
    "conduct.clue.enter": _("录入线索"),
    "conduct.clue.read": _("查阅线索"),
    "conduct.clue.list": _("查阅线索列表"),
    "conduct.clue.evidence": _("查阅线索证据"),
    "conduct.clue.assign": _("分派线索"),
    "conduct.clue.start": _("开始核查线索"),
    "conduct.clue.note": _("记录核查情况"),
    "conduct.clue.ask": _("向反映人提问"),
    "conduct.clue.resume": _("不待答复继续核查"),
    "conduct.clue.answer": _("反映人答复"),
    "conduct.clue.decide": _("作出线索核查结论"),
    "conduct.round.open": _("开展作风评定"),
    "conduct.award.add": _("评定作风奖项"),
    "conduct.award.remove": _("撤销作风奖项"),
    "conduct.flag.pass": _("授予流动红旗"),
    "conduct.round.publish": _("发布作风评定结果"),
    "conduct.rectification.report": _("报送整改情况"),
    "conduct.rectification.verify": _("验收整改（销号）"),
}


def _context(request: HttpRequest) -> dict[str, Any]:
    from saima.conduct.selectors import dashboard_context

    return dashboard_context(request.user)


def register() -> None:
    register_actions(ACTIONS)
    register_nav(NavItem(_("作风建设"), "portal:conduct:index", lambda user: True, order=40))
    register_nav(NavItem(_("反映问题"), "conduct:report", lambda user: True, order=41))
    register_nav(NavItem(_("线索办理"), "conduct:index", may_enter_clues, order=42))
    register_panel(
        DashboardPanel(
            key="conduct.clues",
            template="conduct/panels/clues.html",
            visible=may_enter_clues,
            context=_context,
            order=40,
        )
    )
