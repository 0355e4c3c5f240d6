"""The safeguards' navigation item, home panel and audit action names."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saima.core.actions import register_actions
from saima.core.navigation import DashboardPanel, NavItem, register_nav, register_panel
from saima.safeguards.permissions import is_officer, works_with_safeguards

ACTIONS: dict[str, str | Promise] = {
    "safeguards.item.create": _("新建改革事项"),
    "safeguards.condition.save": _("修改容错清单条目"),
    "safeguards.condition.active": _("启用或停用容错清单条目"),
    "safeguards.application.submit": _("提出容错申请"),
    "safeguards.application.accept": _("受理容错申请"),
    "safeguards.application.assess": _("逐项审查容错条件"),
    "safeguards.application.decide": _("作出容错决定"),
    "safeguards.case.open": _("受理澄清正名"),
    "safeguards.case.verify": _("登记澄清核实结论"),
    "safeguards.case.clarify": _("澄清正名"),
    "safeguards.case.close": _("办结澄清案件（不予澄清）"),
    "safeguards.consent.record": _("登记公开通报同意"),
    "safeguards.consent.withdraw": _("撤回公开通报同意"),
    "safeguards.record.export": _("导出干部考核档案"),
}


def _officer_context(request: HttpRequest) -> dict[str, Any]:
    from saima.safeguards.selectors import dashboard_counts

    return dashboard_counts(request.user)


def register() -> None:
    register_actions(ACTIONS)
    register_nav(NavItem(_("容错与澄清"), "safeguards:index", works_with_safeguards, order=60))
    register_nav(
        NavItem(_("澄清正名通报"), "portal:clarification:list", lambda user: True, order=61)
    )
    register_panel(
        DashboardPanel(
            "safeguards-officer",
            "safeguards/panels/officer.html",
            is_officer,
            _officer_context,
            order=12,
        )
    )
