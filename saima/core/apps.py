from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "saima.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        from saima.core import panels
        from saima.core.navigation import DashboardPanel, register_panel

        register_panel(
            DashboardPanel(
                "core-audit",
                "core/panels/audit.html",
                panels.may_read_audit,
                panels.audit_context,
                order=950,
            )
        )
