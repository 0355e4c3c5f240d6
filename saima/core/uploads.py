"""Storing an uploaded file, the same way for every app: size limit, safe name, audit.

    with transaction.atomic():
        evidence = Evidence(report=report, uploaded_by=actor)
        upload_store(
            actor=actor, instance=evidence, field="file", name_field="name", upload=upload,
            max_bytes=MAX_EVIDENCE_BYTES, action="races.evidence.add", after={"report": report.pk},
        )

``upload_check`` alone refuses a file before anything else is written (call it first when the
upload goes with other changes, so nothing is half-saved).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils.translation import gettext as _

from saima.core.audit import record_event

MIB = 1024 * 1024


class UploadRefused(ValueError):
    """The upload is refused; the message is meant for the user."""


def safe_upload_name(name: str, fallback: str = "file") -> str:
    """The last path component, without control or reserved characters, ≤ 120 characters."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    base = "".join(ch for ch in base if ch.isprintable() and ch not in '<>:"|?*').strip(" .")
    return (base or fallback)[-120:]


def upload_check(
    upload: UploadedFile[Any],
    *,
    max_bytes: int,
    suffixes: Iterable[str] = (),
    fallback: str = "file",
) -> str:
    """The safe name to store ``upload`` under; ``UploadRefused`` if too big or of a wrong type."""
    if upload.size is not None and upload.size > max_bytes:
        raise UploadRefused(_("文件不能超过 %(mib)s MB") % {"mib": max_bytes // MIB})
    name = safe_upload_name(upload.name or fallback, fallback)
    allowed = tuple(s.lower() for s in suffixes)
    if allowed and not name.lower().endswith(allowed):
        raise UploadRefused(_("只支持 %(types)s 文件") % {"types": "、".join(allowed)})
    return name


def upload_store(
    *,
    actor: Any,
    instance: models.Model,
    field: str,
    upload: UploadedFile[Any],
    max_bytes: int,
    action: str,
    after: dict[str, Any] | None = None,
    suffixes: Iterable[str] = (),
    fallback: str = "file",
    name_field: str = "",
) -> str:
    """Check the upload, save it into ``instance.<field>``, save ``instance``, record ``action``.

    The safe name is also set on ``instance.<name_field>`` when given (before saving, so the
    audit event names the file). Returns it. One transaction: a refused file leaves nothing.
    """
    name = upload_check(upload, max_bytes=max_bytes, suffixes=suffixes, fallback=fallback)
    if name_field:
        setattr(instance, name_field, name)
    with transaction.atomic():
        getattr(instance, field).save(name, upload, save=False)
        instance.save()
        record_event(
            actor=actor,
            action=action,
            obj=instance,
            after={**(after or {}), "file": name, "size": upload.size},
        )
    return name
