from django.apps import AppConfig, apps
from django.utils.translation import gettext_lazy as _


def _name_the_task_admin() -> None:
    """django-tasks-db names its admin section in English only ("Tasks Database Backend")."""
    if not apps.is_installed("django_tasks_db"):
        return
    config = apps.get_app_config("django_tasks_database")
    config.verbose_name = _("后台任务")
    for model in config.get_models():
        model._meta.verbose_name = _("任务结果")
        model._meta.verbose_name_plural = _("任务结果")


class CoreConfig(AppConfig):
    name = "saima.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        _name_the_task_admin()
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
