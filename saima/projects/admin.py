"""Read-mostly admin views of the register (writes go through the services and their audit)."""

from __future__ import annotations

from django.contrib import admin

from saima.projects.models import (
    AnnualPlan,
    ListMembership,
    MonthlyReport,
    Project,
    ProjectList,
    ReportingDeadline,
)


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Looking only: a change here would bypass the audit log."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(ProjectList)
class ProjectListAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "owner", "year", "published_at")


@admin.register(Project)
class ProjectAdmin(ReadOnlyAdmin):
    list_display = ("code", "name", "owner_unit", "locality", "category", "total_investment")
    list_filter = ("category",)
    search_fields = ("code", "name")


@admin.register(ListMembership)
class ListMembershipAdmin(ReadOnlyAdmin):
    list_display = ("project_list", "project", "added_at", "removed_at")


@admin.register(AnnualPlan)
class AnnualPlanAdmin(ReadOnlyAdmin):
    list_display = ("project", "year", "planned_start", "planned_completion")


@admin.register(MonthlyReport)
class MonthlyReportAdmin(ReadOnlyAdmin):
    list_display = ("project", "year", "month", "status", "late", "cumulative_investment")
    list_filter = ("status", "late", "year")


@admin.register(ReportingDeadline)
class ReportingDeadlineAdmin(ReadOnlyAdmin):
    list_display = ("project_list", "year", "month", "due_at", "reminded_at", "chased_at")
