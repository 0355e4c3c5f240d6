"""The home dashboard's audit panel, for those who may read the audit log."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from saima.core.access import access_policy
from saima.core.models import AuditEvent, AuditHead


def audit_context(request: HttpRequest) -> dict[str, Any]:
    head = AuditHead.objects.filter(pk=1).first()
    visible = AuditEvent.objects.filter(
        access_policy().audit_events_visible(request.user)
    ).select_related("actor")
    return {"head": head, "recent": list(visible.order_by("-seq")[:5])}


def may_read_audit(user: Any) -> bool:
    return access_policy().may_read_audit(user)
