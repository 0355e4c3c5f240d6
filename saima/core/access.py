"""Who may read the audit log and run verification, and which unit an audited object concerns.

Core does not know units, roles or grants: those belong to the organisation app, which sits
above core. Instead the organisation app registers one ``AccessPolicy`` in its ``ready()``::

    register_access_policy(AccessPolicy(roles_of=..., role_labels=..., may_read_audit=...,
                                        may_verify_audit=..., audit_events_visible=...,
                                        audit_scope_of=...))

and core's views, panels, context processor and ``record_event`` ask ``access_policy()``.
Until one is registered (core alone, or a test without the org app) the default policy lets
active superusers do everything and everyone else nothing: denied by default.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q


def is_superuser(user: Any) -> bool:
    return bool(getattr(user, "is_active", False) and getattr(user, "is_superuser", False))


def _superuser_roles(user: Any) -> set[str]:
    return {"superuser"} if is_superuser(user) else set()


def _no_labels(user: Any) -> list[str]:
    return []


def _superuser_events(user: Any) -> Q:
    return Q() if is_superuser(user) else Q(pk__in=[])


def _no_scope(obj: Any) -> str:
    return ""


@dataclass(frozen=True)
class AccessPolicy:
    """The answers core needs about people and units, given by the app that knows them.

    - ``roles_of(user)``: role codes ("organiser", "superuser" …) for the shell's context;
    - ``role_labels(user)``: the user's roles in words ("组织者 · 杭州市"), for the home page;
    - ``may_read_audit(user)``: may open the audit log;
    - ``may_verify_audit(user)``: may run the chain and result verification from the web;
    - ``audit_events_visible(user)``: a filter on ``AuditEvent`` rows the user may read;
    - ``audit_scope_of(obj)``: the scope ("/33/3301/") recorded with an event about ``obj``
      ("" for platform-wide events).
    """

    roles_of: Callable[[Any], set[str]] = _superuser_roles
    role_labels: Callable[[Any], list[str]] = _no_labels
    may_read_audit: Callable[[Any], bool] = is_superuser
    may_verify_audit: Callable[[Any], bool] = is_superuser
    audit_events_visible: Callable[[Any], Q] = _superuser_events
    audit_scope_of: Callable[[Any], str] = _no_scope


DEFAULT_POLICY = AccessPolicy()
_policy: list[AccessPolicy] = [DEFAULT_POLICY]


def register_access_policy(policy: AccessPolicy) -> None:
    """Install the policy (called once, from the organisation app's ``ready()``)."""
    _policy[0] = policy


def access_policy() -> AccessPolicy:
    return _policy[0]
