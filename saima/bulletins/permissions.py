"""Who may do what with bulletins, built on ``saima.org.permissions``.

- drafting, editing, generating and publishing a bulletin, and reading its drafts: organisers of
  the issuing unit (or above);
- a published bulletin and its final PDF/DOCX: everyone, no login (考评结果公开).
"""

from __future__ import annotations

from saima.bulletins.models import Bulletin, BulletinStatus
from saima.org.models import Unit
from saima.org.permissions import AnyUser, may_organise, units_organised_by


def may_draft_for(user: AnyUser, unit: Unit) -> bool:
    return may_organise(user, unit)


def may_draft_any(user: AnyUser) -> bool:
    return bool(getattr(user, "is_superuser", False)) or units_organised_by(user).exists()


def may_manage_bulletin(user: AnyUser, bulletin: Bulletin) -> bool:
    return may_organise(user, bulletin.owner)


def may_read_bulletin(user: AnyUser, bulletin: Bulletin) -> bool:
    return bulletin.status == BulletinStatus.PUBLISHED or may_manage_bulletin(user, bulletin)
