"""Names of audit actions in words. Apps add theirs with ``register_actions`` in ``ready()``."""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {
    "core.audit.verify": _("校验审计链与结果"),
    "core.calendarday.create": _("新增日历例外"),
    "core.calendarday.change": _("修改日历例外"),
    "core.calendarday.delete": _("删除日历例外"),
}


def register_actions(labels: Mapping[str, str | Promise]) -> None:
    _LABELS.update(labels)


def action_label(code: str) -> str:
    label = _LABELS.get(code)
    return str(label) if label is not None else code


def is_known_action(code: str) -> bool:
    return code in _LABELS


def action_choices() -> list[tuple[str, str]]:
    """Every named action as (code, name), by name: the audit log's filter."""
    return sorted(((code, str(label)) for code, label in _LABELS.items()), key=lambda c: c[1])
