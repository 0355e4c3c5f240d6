from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SafeguardsConfig(AppConfig):
    name = "saima.safeguards"
    label = "safeguards"
    verbose_name = _("容错与澄清")

    def ready(self) -> None:
        from saima.core.records import register_record_section, register_tolerated_refs
        from saima.safeguards import dashboard
        from saima.safeguards.record import sections

        dashboard.register()
        register_record_section(
            "safeguards.tolerance", _("容错免责"), sections.tolerance_entries, order=80
        )
        register_record_section(
            "safeguards.clarification", _("澄清正名"), sections.clarification_entries, order=90
        )
        register_tolerated_refs(sections.tolerated_refs)
