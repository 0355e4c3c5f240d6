"""The races' navigation item and home-page panels: each role sees what to do next."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from saima.core.actions import register_actions
from saima.core.navigation import DashboardPanel, NavItem, register_nav, register_panel
from saima.org.models import Role
from saima.org.permissions import grants_of, has_role


def _reporter_context(request: HttpRequest) -> dict[str, Any]:
    from saima.races.reporting.selectors import reporter_open_reports
    from saima.races.results.selectors import latest_rankings

    units = [g.unit for g in grants_of(request.user) if g.role == Role.REPORTER]
    return {
        "reports": list(reporter_open_reports(request.user)[:20]),
        "units": units,
        "rankings": latest_rankings(units),
    }


def _organiser_context(request: HttpRequest) -> dict[str, Any]:
    from saima.races.reporting.selectors import periods_by_race, races_managed_by

    races = list(races_managed_by(request.user)[:10])
    periods = periods_by_race(races)
    return {
        "races": [
            {"race": race, "period": periods[race.pk][0] if periods[race.pk] else None}
            for race in races
        ]
    }


def _public_context(request: HttpRequest) -> dict[str, Any]:
    from saima.races.results.selectors import latest_public_boards, selected_units_by_group

    boards = latest_public_boards()
    selected = selected_units_by_group(boards)
    return {"boards": [{"result": b, "groups": selected.get(b.pk, [])} for b in boards]}


def _is_organiser(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or has_role(user, Role.ORGANISER)


ACTIONS: dict[str, str | Promise] = {
    "races.race.create": _("新建赛马"),
    "races.race.update": _("修改赛马方案或设置"),
    "races.period.open": _("开启填报周期"),
    "races.period.close": _("截止填报"),
    "races.period.reopen": _("重新开放填报"),
    "races.period.deadline": _("调整填报截止时间"),
    "races.report.save": _("保存填报草稿"),
    "races.report.submit": _("报送数据"),
    "races.report.import": _("批量导入数据"),
    "races.report.verify": _("审核通过"),
    "races.report.verify_bulk": _("批量审核通过"),
    "races.report.return": _("退回修改"),
    "races.report.correct": _("更正数据"),
    "races.evidence.add": _("上传佐证材料"),
    "races.import.upload": _("上传导入文件"),
    "races.import.refuse": _("导入文件有误，未导入"),
    "races.import.cancel": _("取消导入预览"),
    "races.import.repreview": _("重新预览导入"),
    "races.reminder.manual": _("人工催办"),
    "races.reminder.auto": _("自动催办"),
    "races.result.compute": _("计算并冻结结果"),
    "races.result.publish": _("发布结果"),
    "races.objection.submit": _("提出异议"),
    "races.objection.answer": _("答复异议"),
    "races.objection.correction": _("异议关联更正版本"),
}


def register() -> None:
    register_actions(ACTIONS)
    register_nav(NavItem(_("指标赛马"), "races:index", lambda user: True, order=10))
    register_panel(
        DashboardPanel(
            "races-reporter",
            "races/panels/reporter.html",
            lambda user: has_role(user, Role.REPORTER),
            _reporter_context,
            order=10,
        )
    )
    register_panel(
        DashboardPanel(
            "races-organiser",
            "races/panels/organiser.html",
            _is_organiser,
            _organiser_context,
            order=11,
        )
    )
    register_panel(
        DashboardPanel(
            "races-public", "races/panels/public.html", lambda user: True, _public_context, order=50
        )
    )
