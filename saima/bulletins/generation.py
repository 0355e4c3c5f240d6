"""A bulletin's generation, the body of the background task: freeze the content read from
published results, render both drafts, store them as a new version (with its audit event).
A failure is recorded on the bulletin and shown; nothing half-made is stored."""

from __future__ import annotations

import hashlib
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from saima.bulletins.content import Content
from saima.bulletins.models import Bulletin, BulletinStatus, BulletinVersion
from saima.bulletins.rendering import Header, render_docx, render_pdf
from saima.bulletins.sections import Scope, build_content
from saima.core.audit import record_event

log = logging.getLogger(__name__)

HEADER_FIELDS = (
    "issuer",
    "doc_number",
    "title",
    "addressees",
    "lead",
    "closing",
    "issue_date",
    "copies_to",
)


def header_values(bulletin: Bulletin) -> dict[str, Any]:
    values = {name: getattr(bulletin, name) for name in HEADER_FIELDS}
    values["issue_date"] = bulletin.issue_date.isoformat()
    return values


def header_of(bulletin: Bulletin) -> Header:
    return Header(**header_values(bulletin), printed_by=bulletin.issuer)


def _step(bulletin_id: int, progress: int, step: str) -> None:
    Bulletin.objects.filter(pk=bulletin_id).update(
        progress=progress, step=step, touched_at=timezone.now()
    )


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_generation(bulletin_id: int, actor: Any) -> BulletinVersion | None:
    """The task's work: freeze the content, render both drafts, store a new version."""
    bulletin = Bulletin.objects.select_related("owner").get(pk=bulletin_id)
    if bulletin.status != BulletinStatus.GENERATING:
        return None
    try:
        with override("zh-hans"):
            scope = Scope(bulletin.owner, bulletin.kind, bulletin.year, bulletin.quarter)
            _step(bulletin_id, 5, _("汇总已发布的结果"))
            content = build_content(
                scope,
                lambda done, key: _step(
                    bulletin_id, 5 + done * 45 // 100, _("汇总已发布的结果：%(key)s") % {"key": key}
                ),
            )
            header = header_of(bulletin)
            _step(bulletin_id, 55, _("排版 PDF"))
            pdf = render_pdf(header, content, draft=True)
            _step(bulletin_id, 80, _("生成 DOCX"))
            docx = render_docx(header, content, draft=True)
            _step(bulletin_id, 95, _("保存"))
        return _store_version(bulletin_id, actor, header, content, pdf, docx)
    except Exception as exc:  # recorded on the bulletin and shown; the worker stays alive
        log.exception("bulletin %s: generation failed", bulletin_id)
        Bulletin.objects.filter(pk=bulletin_id).update(
            status=BulletinStatus.FAILED, step="", error=f"{type(exc).__name__}: {exc}"[:2000]
        )
        return None


def _store_version(
    bulletin_id: int, actor: Any, header: Header, content: Content, pdf: bytes, docx: bytes
) -> BulletinVersion | None:
    with transaction.atomic():
        bulletin = Bulletin.objects.select_for_update().get(pk=bulletin_id)
        if bulletin.status != BulletinStatus.GENERATING:
            return None
        number = (
            bulletin.versions.order_by("-number").values_list("number", flat=True).first() or 0
        ) + 1
        stem = f"{bulletin.pk}-v{number}"
        version = BulletinVersion(
            bulletin=bulletin,
            number=number,
            header=header.to_json(),
            content=content.to_json(),
            pdf_sha256=sha256(pdf),
            docx_sha256=sha256(docx),
            created_by=actor,
        )
        version.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        version.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        version.save()
        bulletin.status = BulletinStatus.READY
        bulletin.progress = 100
        bulletin.step = ""
        bulletin.save(update_fields=["status", "progress", "step"])
        record_event(
            actor=actor,
            action="bulletins.generate",
            obj=bulletin,
            after={
                "version": number,
                "sections": content.headings(),
                "pdf_sha256": version.pdf_sha256,
                "docx_sha256": version.docx_sha256,
            },
        )
    return version
