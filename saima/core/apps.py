from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "saima.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        from saima.core import panels, security  # noqa: F401  (security connects the lockout log)
        from saima.core.navigation import DashboardPanel, register_panel
        from saima.org.permissions import may_read_audit

        register_panel(
            DashboardPanel(
                "core-scope",
                "core/panels/scope.html",
                panels.has_any_role,
                panels.scope_context,
                order=900,
            )
        )
        register_panel(
            DashboardPanel(
                "core-audit",
                "core/panels/audit.html",
                may_read_audit,
                panels.audit_context,
                order=950,
            )
        )
