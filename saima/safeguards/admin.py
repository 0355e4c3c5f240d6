"""The safeguards in the Django admin: read-only. Every change goes through the pages and their
services (each step checked and audited); the admin only shows what is stored."""

from __future__ import annotations

from django.contrib import admin

from saima.core.admin import ReadOnlyAdmin
from saima.safeguards.models import ClarificationCase, Condition, ReformItem, ToleranceApplication


@admin.register(ReformItem)
class ReformItemAdmin(ReadOnlyAdmin):
    list_display = ["name", "owner", "created_at"]
    search_fields = ["name"]


@admin.register(Condition)
class ConditionAdmin(ReadOnlyAdmin):
    list_display = ["text", "kind", "item", "active"]
    list_filter = ["kind", "active"]


@admin.register(ToleranceApplication)
class ToleranceApplicationAdmin(ReadOnlyAdmin):
    list_display = ["person", "item", "status", "submitted_at", "decided_at"]
    list_filter = ["status"]


@admin.register(ClarificationCase)
class ClarificationCaseAdmin(ReadOnlyAdmin):
    list_display = ["person", "status", "finding", "form", "petitions", "opened_at"]
    list_filter = ["status", "finding", "form"]
