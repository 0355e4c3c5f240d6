from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from saima.org.models import PeerGroup, Person, RoleGrant, Unit, User


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "level", "kind", "parent", "is_mountain_county"]
    list_filter = ["level", "is_mountain_county"]
    search_fields = ["code", "name", "name_en"]
    readonly_fields = ["path"]


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "owner"]
    filter_horizontal = ["members"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "position", "unit", "frontline"]
    search_fields = ["name", "position"]


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class SaimaUserAdmin(UserAdmin):
    inlines = [RoleGrantInline]
    fieldsets = (*UserAdmin.fieldsets, ("Saima", {"fields": ("display_name", "person")}))
