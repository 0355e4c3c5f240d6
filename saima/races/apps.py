from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RacesConfig(AppConfig):
    name = "saima.races"
    label = "races"
    verbose_name = _("指标赛马")

    def ready(self) -> None:
        from saima.races import dashboard

        dashboard.register()
