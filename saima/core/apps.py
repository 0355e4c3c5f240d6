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


def _name_the_login_protection_admin() -> None:
    """django-axes names its admin section "Axes" in every language."""
    if apps.is_installed("axes"):
        apps.get_app_config("axes").verbose_name = _("登录保护")


class CoreConfig(AppConfig):
    name = "saima.core"
    label = "core"
    verbose_name = _("平台核心")

    def ready(self) -> None:
        _name_the_task_admin()
        _name_the_login_protection_admin()
        from django.core import checks

        from saima.core.checks import audit_signing_key

        checks.register(audit_signing_key)
        from saima.core import panels, security  # noqa: F401  (security connects the lockout log)
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
