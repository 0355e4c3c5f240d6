from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "saima.conduct"
    label = "conduct"
    verbose_name = _("作风建设")

    def ready(self) -> None:
        from saima.conduct import dashboard, selectors
        from saima.conduct.urls import ANONYMOUS_PREFIX
        from saima.conduct.verification import conduct_problems
        from saima.core.anonymity import register_anonymous_prefix
        from saima.core.records import register_record_section
        from saima.core.referrals import register_referral_source
        from saima.core.verification import register_verifier

        register_anonymous_prefix(ANONYMOUS_PREFIX)
        register_record_section("conduct.awards", _("作风建设"), selectors.record_entries, order=40)
        register_referral_source(selectors.false_accusation_findings)
        dashboard.register()
        register_verifier(
            "conduct", conduct_problems, _("作风建设（证据摘要、蜗牛奖依据、整改销号）")
        )
