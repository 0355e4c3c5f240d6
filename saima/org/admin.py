"""The Django admin for units, peer groups, people, users and role grants.

Every write goes through ``saima.org.services``, which set a unit's path, check the acting
user's permissions and record the audit event, exactly as anywhere else. What the services do
not offer stays read-only here: a unit's code, level and parent (its path and everyone's scope
follow from them) cannot be changed, and units cannot be deleted.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse

from saima.org import services
from saima.org.models import PeerGroup, Person, RoleGrant, Unit, User

_admin_actor: ContextVar[Any] = ContextVar("saima_admin_actor", default=None)


def _adopt(obj: Any, saved: Any) -> None:
    """Make the admin's unsaved instance the row the service saved (for its redirect and log)."""
    obj.pk = saved.pk
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(saved, field.attname))
    obj._state.adding, obj._state.db = False, saved._state.db


def _edited(obj: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(obj, name) for name in fields}


class UnitAdminForm(forms.ModelForm[Unit]):
    class Meta:
        model = Unit
        fields = ["code", "name", "name_en", "level", "kind", "parent", "is_mountain_county"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.instance.pk is None and data.get("level") and data.get("code"):
            try:
                services.unit_place_check(
                    code=data["code"], level=data["level"], parent=data.get("parent")
                )
            except services.OrgError as exc:
                raise forms.ValidationError(str(exc)) from None
        return data


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin[Unit]):
    form = UnitAdminForm
    list_display = ["code", "name", "level", "kind", "parent", "is_mountain_county"]
    list_filter = ["level", "is_mountain_county"]
    search_fields = ["code", "name", "name_en"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code", "level", "parent", "path"] if obj is not None else ["path"]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Unit, form: Any, change: bool) -> None:
        if change:
            current = Unit.objects.get(pk=obj.pk)
            services.unit_update(
                actor=request.user, unit=current, **_edited(obj, services.UNIT_EDITABLE)
            )
            return
        unit = services.unit_create(
            actor=request.user,
            code=obj.code,
            name=obj.name,
            level=obj.level,
            parent=obj.parent,
            kind=obj.kind,
            name_en=obj.name_en,
            is_mountain_county=obj.is_mountain_county,
        )
        _adopt(obj, unit)


@admin.register(PeerGroup)
class PeerGroupAdmin(admin.ModelAdmin[PeerGroup]):
    list_display = ["code", "name", "owner"]
    filter_horizontal = ["members"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return ["code"] if obj is not None else []

    def save_model(self, request: HttpRequest, obj: PeerGroup, form: Any, change: bool) -> None:
        group = services.peer_group_set(
            actor=request.user,
            code=obj.code,
            name=obj.name,
            owner=obj.owner,
            members=list(form.cleaned_data["members"]),
        )
        _adopt(obj, group)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        """Membership was set by ``peer_group_set`` (and audited with the rest)."""

    def delete_model(self, request: HttpRequest, obj: PeerGroup) -> None:
        services.peer_group_delete(actor=request.user, group=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[PeerGroup]) -> None:
        for group in queryset:
            services.peer_group_delete(actor=request.user, group=group)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin[Person]):
    list_display = ["name", "position", "unit", "frontline"]
    search_fields = ["name", "position"]

    def save_model(self, request: HttpRequest, obj: Person, form: Any, change: bool) -> None:
        if change:
            current = Person.objects.select_related("unit").get(pk=obj.pk)
            services.person_update(
                actor=request.user, person=current, **_edited(obj, services.PERSON_EDITABLE)
            )
            return
        person = services.person_create(
            actor=request.user,
            name=obj.name,
            unit=obj.unit,
            position=obj.position,
            frontline=obj.frontline,
        )
        _adopt(obj, person)

    def delete_model(self, request: HttpRequest, obj: Person) -> None:
        services.person_delete(actor=request.user, person=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        for person in queryset.select_related("unit"):
            services.person_delete(actor=request.user, person=person)


class RoleGrantInline(admin.TabularInline[RoleGrant, User]):
    model = RoleGrant
    extra = 0
    autocomplete_fields = ["unit"]


if TYPE_CHECKING:
    _PasswordForm = AdminPasswordChangeForm[User]
else:
    _PasswordForm = AdminPasswordChangeForm


class AuditedPasswordChangeForm(_PasswordForm):
    """Sets the password through ``user_password_set`` (audited, the hash never recorded)."""

    def save(self, commit: bool = True) -> Any:
        password = self.cleaned_data.get("password1")
        if not self.cleaned_data.get("usable_password", True) or not password:
            password = None
        services.user_password_set(actor=_admin_actor.get(), user=self.user, password=password)
        return self.user


USER_FIELDSETS: Any = (
    (None, {"fields": ("username", "password")}),
    (
        "Saima",
        {"fields": ("display_name", "person", "first_name", "last_name", "email")},
    ),
    ("Permissions", {"fields": ("is_active", "is_staff", "is_superuser")}),
    ("Dates", {"fields": ("last_login", "date_joined")}),
)


@admin.register(User)
class SaimaUserAdmin(UserAdmin[User]):
    inlines = [RoleGrantInline]
    fieldsets = USER_FIELDSETS
    readonly_fields = ["last_login", "date_joined"]
    change_password_form = AuditedPasswordChangeForm

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        """Users are deactivated, never deleted: their events and grants keep their meaning."""
        return False

    def save_model(self, request: HttpRequest, obj: User, form: Any, change: bool) -> None:
        if change:
            current = User.objects.get(pk=obj.pk)
            services.user_update(
                actor=request.user, user=current, **_edited(obj, services.USER_EDITABLE)
            )
            return
        password = form.cleaned_data.get("password1") or None
        if not form.cleaned_data.get("usable_password", True):
            password = None
        user = services.user_create(actor=request.user, username=obj.username, password=password)
        _adopt(obj, user)

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Role grants through ``role_grant`` and ``role_revoke`` (permission-checked, audited)."""
        if formset.model is not RoleGrant:
            super().save_formset(request, form, formset, change)
            return
        formset.save(commit=False)
        for grant in formset.deleted_objects:
            services.role_revoke(actor=request.user, grant=grant)
        for grant, _fields in formset.changed_objects:
            services.role_revoke(actor=request.user, grant=RoleGrant.objects.get(pk=grant.pk))
            services.role_grant(
                actor=request.user, user=form.instance, role=grant.role, unit=grant.unit
            )
        for grant in formset.new_objects:
            services.role_grant(
                actor=request.user, user=form.instance, role=grant.role, unit=grant.unit
            )

    def user_change_password(
        self, request: HttpRequest, id: str, form_url: str = ""
    ) -> HttpResponse:
        token = _admin_actor.set(request.user)
        try:
            return super().user_change_password(request, id, form_url)
        finally:
            _admin_actor.reset(token)
