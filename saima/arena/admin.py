"""The arena in the Django admin: read-only. Every change goes through the services (setup
pages, host console, judge pages), which check, lock and audit; the admin only looks."""

from __future__ import annotations

from django.contrib import admin

from saima.arena.models import (
    Conflict,
    Contest,
    Contestant,
    ContestResult,
    JudgeLink,
    JudgeSeat,
    Score,
    ScoreRevision,
    Series,
)
from saima.core.admin import ReadOnlyAdmin


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ["name", "owner"]


@admin.register(Contest)
class ContestAdmin(ReadOnlyAdmin):
    list_display = ["title", "date", "owner", "status", "released", "method"]
    list_filter = ["status", "released", "level"]
    search_fields = ["title"]


@admin.register(Contestant)
class ContestantAdmin(ReadOnlyAdmin):
    list_display = ["contest", "unit", "person", "position", "scoring", "rank", "final_score"]


@admin.register(JudgeSeat)
class JudgeSeatAdmin(ReadOnlyAdmin):
    list_display = ["contest", "name", "unit", "panel", "user"]


@admin.register(JudgeLink)
class JudgeLinkAdmin(ReadOnlyAdmin):
    list_display = ["seat", "created_at", "expires_at", "revoked_at", "last_used_at"]
    exclude = ["token_hash"]


@admin.register(Conflict)
class ConflictAdmin(ReadOnlyAdmin):
    list_display = ["seat", "contestant", "reason", "declared_at"]


@admin.register(Score)
class ScoreAdmin(ReadOnlyAdmin):
    list_display = ["seat", "contestant", "criterion", "value", "version", "submitted_at"]


@admin.register(ScoreRevision)
class ScoreRevisionAdmin(ReadOnlyAdmin):
    list_display = ["score", "version", "value", "submitted_at", "via", "ip_address"]


@admin.register(ContestResult)
class ContestResultAdmin(ReadOnlyAdmin):
    list_display = ["contest", "version", "method", "digest", "created_at"]
