from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "saima.portal"
    label = "portal"
    verbose_name = "公开门户"

    def ready(self) -> None:
        from saima.core.publications import on_publication
        from saima.portal.cache import forget_pages

        on_publication("portal.pages", lambda kind, object_id: forget_pages())
