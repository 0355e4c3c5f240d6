from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RacesConfig(AppConfig):
    name = "saima.races"
    label = "races"
    verbose_name = _("指标赛马")

    def ready(self) -> None:
        from saima.core.records import register_record_section
        from saima.core.verification import register_verifier
        from saima.races import dashboard
        from saima.races.records import result_entries
        from saima.races.results.verification import frozen_results_problems

        dashboard.register()
        register_verifier(
            "races.results", frozen_results_problems, _("已发布的指标赛马结果（摘要与重算）")
        )
        register_record_section("races.results", _("指标赛马"), result_entries, order=10)
