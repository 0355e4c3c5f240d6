from django.contrib import admin

from saima.bulletins.models import Bulletin


@admin.register(Bulletin)
class BulletinAdmin(admin.ModelAdmin[Bulletin]):
    list_display = ("doc_number", "title", "owner", "kind", "year", "quarter", "status")
    list_filter = ("kind", "status", "year")
    readonly_fields = [f.name for f in Bulletin._meta.fields]

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False  # drafted through the services, which audit

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
