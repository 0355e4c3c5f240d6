from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArenaConfig(AppConfig):
    name = "saima.arena"
    label = "arena"
    verbose_name = _("擂台赛")

    def ready(self) -> None:
        from saima.arena import dashboard
        from saima.arena.records import contest_entries
        from saima.arena.results import frozen_results_problems
        from saima.core.records import register_record_section
        from saima.core.verification import register_verifier

        dashboard.register()
        register_verifier(
            "arena.results", frozen_results_problems, _("已揭晓的擂台赛结果（摘要与重算）")
        )
        register_record_section("arena.contests", _("擂台赛"), contest_entries, order=20)
