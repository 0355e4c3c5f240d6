from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgConfig(AppConfig):
    name = "saima.org"
    label = "org"
    verbose_name = _("组织与人员")

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from saima.core.navigation import NavItem, register_nav
        from saima.org import permissions  # registers the rules predicates

        register_nav(NavItem(_("单位"), "org:units", lambda user: user.is_authenticated, order=80))
        register_nav(NavItem(_("审计日志"), "audit-log", permissions.may_read_audit, order=90))
