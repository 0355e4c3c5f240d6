from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "org.unit.create": _("新建单位"),
    "org.unit.change": _("修改单位"),
    "org.peergroup.set": _("设置同类组"),
    "org.peergroup.delete": _("删除同类组"),
    "org.person.create": _("新建干部"),
    "org.person.change": _("修改干部"),
    "org.person.delete": _("删除干部"),
    "org.user.create": _("新建用户"),
    "org.user.change": _("修改用户"),
    "org.user.password": _("重设密码"),
    "org.role.grant": _("授予角色"),
    "org.role.revoke": _("撤销角色"),
}


class OrgConfig(AppConfig):
    name = "saima.org"
    label = "org"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from saima.core.actions import register_actions
        from saima.core.navigation import DashboardPanel, NavItem, register_nav, register_panel
        from saima.org import panels, permissions  # permissions registers the rules predicates

        permissions.install_access_policy()
        register_actions(ACTION_LABELS)
        register_nav(NavItem(_("单位"), "org:units", lambda user: user.is_authenticated, order=80))
        register_nav(NavItem(_("审计日志"), "audit-log", permissions.may_read_audit, order=90))
        register_panel(
            DashboardPanel(
                "org-scope",
                "org/panels/scope.html",
                panels.has_any_role,
                panels.scope_context,
                order=900,
            )
        )
