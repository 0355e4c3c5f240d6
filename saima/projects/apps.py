from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "saima.projects"
    label = "projects"
    verbose_name = _("重点项目")

    def ready(self) -> None:
        from saima.projects import dashboard

        dashboard.register()
        # lights: actions, the lights verifier, the person's record section
        from saima.projects.lights import registry

        registry.register()
