"""Names of audit actions in words. Apps add theirs with ``register_actions`` in ``ready()``."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

_LABELS: dict[str, str | Promise] = {
    "org.unit.create": _("新建单位"),
    "org.peergroup.set": _("设置同类组"),
    "org.person.create": _("新建干部"),
    "org.user.create": _("新建用户"),
    "org.role.grant": _("授予角色"),
}


def register_actions(labels: dict[str, str | Promise]) -> None:
    _LABELS.update(labels)


def action_label(code: str) -> str:
    label = _LABELS.get(code)
    return str(label) if label is not None else code
