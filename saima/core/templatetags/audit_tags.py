"""``{% audit_chain_head %}``: the audit chain's head, on every published board and kit page.

``{% load audit_tags %}{% audit_chain_head %}`` shows the current head; ``{% audit_chain_head
seq %}`` the head as it was right after event ``seq`` (e.g. the event that published a result).
"""

from __future__ import annotations

from typing import Any

from django import template

from saima.core.audit import chain_head

register = template.Library()


@register.inclusion_tag("core/includes/audit_head.html")
def audit_chain_head(seq: int | None = None) -> dict[str, Any]:
    return {"head": chain_head(at_seq=seq)}
