"""System checks for core's settings: a bad audit signing key stops start-up, not a request."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


def audit_signing_key(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    from saima.core.checkpoints import public_key

    try:
        public_key()
    except ImproperlyConfigured as exc:
        return [checks.Error(str(exc), id="saima.E001")]
    return []
