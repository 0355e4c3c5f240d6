"""``saima verify``: every published bulletin's files still hash to what the audit chain says."""

from __future__ import annotations

import hashlib

from saima.bulletins.models import Bulletin, BulletinStatus
from saima.core.models import AuditEvent


def _sha(field: object) -> str:
    digest = hashlib.sha256()
    with field.open("rb") as handle:  # type: ignore[attr-defined]
        for chunk in iter(lambda: handle.read(1 << 16), b""):
            digest.update(chunk)
    return digest.hexdigest()


def published_files_problems() -> list[str]:
    problems = []
    audited = {
        event.object_id: event.after
        for event in AuditEvent.objects.filter(action="bulletins.publish").only(
            "object_id", "after"
        )
    }
    for bulletin in Bulletin.objects.filter(status=BulletinStatus.PUBLISHED):
        label = f"通报 #{bulletin.pk}（{bulletin.doc_number}）"
        record = audited.get(str(bulletin.pk))
        if record is None:
            problems.append(f"{label}: no publish event in the audit chain")
            continue
        for kind in ("pdf", "docx"):
            field = getattr(bulletin, kind)
            stored = getattr(bulletin, f"{kind}_sha256")
            if stored != record.get(f"{kind}_sha256"):
                problems.append(f"{label}: {kind} digest differs from the audited one")
            elif not field or not field.storage.exists(field.name):
                problems.append(f"{label}: {kind} file is missing")
            elif _sha(field) != stored:
                problems.append(f"{label}: {kind} file does not match its audited SHA-256")
    return problems
