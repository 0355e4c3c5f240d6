from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConductConfig(AppConfig):
    name = "saima.conduct"
    label = "conduct"
    verbose_name = _("作风建设")

    def ready(self) -> None:
        from saima.conduct import dashboard, selectors
        from saima.conduct.urls import ANONYMOUS_PREFIX
        from saima.core.anonymity import register_anonymous_prefix
        from saima.core.records import register_record_section
        from saima.core.referrals import register_referral_source

        register_anonymous_prefix(ANONYMOUS_PREFIX)
        register_record_section("conduct.awards", _("作风建设"), selectors.record_entries, order=40)
        register_referral_source(selectors.false_accusation_findings)
        dashboard.register()
