"""Every write to bulletins: draft, edit, generate (in the background), publish.

Each runs in one transaction with its audit event. Generating and publishing lock the bulletin
row first and re-check its state, so ten clicks at once start one generation and publish once.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from saima.bulletins.content import Content
from saima.bulletins.generation import (
    HEADER_FIELDS,
    header_of,
    header_values,
    run_generation,
    sha256,
)
from saima.bulletins.models import (
    EDITABLE,
    Bulletin,
    BulletinKind,
    BulletinStatus,
)
from saima.bulletins.rendering import Header, render_docx, render_pdf
from saima.bulletins.tasks import generate
from saima.core.audit import record_event
from saima.core.publications import publication_changed
from saima.core.workflow import ActionRefused
from saima.org.models import Unit

log = logging.getLogger(__name__)


class BulletinError(ActionRefused):
    """A bulletin step refused; the message is for the user."""


def default_title(owner: Unit, kind: str, year: int, quarter: int | None) -> str:
    if kind == BulletinKind.ANNUAL:
        return _("关于%(year)s年度赛马激励先进地区的表彰通报") % {"year": year}
    return _("关于%(year)s年第%(n)s季度赛马激励评价结果的通报") % {"year": year, "n": quarter}


def bulletin_create(
    *,
    actor: Any,
    owner: Unit,
    kind: str,
    year: int,
    quarter: int | None,
    issuer: str,
    doc_number: str,
    title: str = "",
    addressees: str = "",
    lead: str = "",
    closing: str = "",
    issue_date: dt.date | None = None,
    copies_to: str = "",
) -> Bulletin:
    if kind == BulletinKind.ANNUAL:
        quarter = None
    elif quarter not in (1, 2, 3, 4):
        raise BulletinError(_("季度通报须选择第 1–4 季度"))
    if Bulletin.objects.filter(owner=owner, kind=kind, year=year, quarter=quarter).exists():
        raise BulletinError(
            _("%(unit)s 的这一期通报已经存在，请在原稿上修改") % {"unit": owner.name}
        )
    try:
        with transaction.atomic():
            bulletin = Bulletin.objects.create(
                owner=owner,
                kind=kind,
                year=year,
                quarter=quarter,
                issuer=issuer.strip(),
                doc_number=doc_number.strip(),
                title=title.strip() or default_title(owner, kind, year, quarter),
                addressees=addressees.strip(),
                lead=lead.strip(),
                closing=closing.strip(),
                issue_date=issue_date or timezone.localdate(),
                copies_to=copies_to.strip(),
                created_by=actor,
            )
            record_event(
                actor=actor, action="bulletins.create", obj=bulletin, after=header_values(bulletin)
            )
    except IntegrityError as exc:  # the same draft created twice at once
        raise BulletinError(
            _("%(unit)s 的这一期通报已经存在，请在原稿上修改") % {"unit": owner.name}
        ) from exc
    return bulletin


def edit_refusal(bulletin: Bulletin) -> str | None:
    if bulletin.status == BulletinStatus.PUBLISHED:
        return _("通报已发布，不能再修改")
    if bulletin.status == BulletinStatus.GENERATING and not bulletin.stalled:
        return _("正在生成，请稍候")
    return None


def bulletin_edit(*, actor: Any, bulletin: Bulletin, **values: Any) -> Bulletin:
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        reason = edit_refusal(locked)
        if reason:
            raise BulletinError(reason)
        before = header_values(locked)
        for name in HEADER_FIELDS:
            if name in values:
                value = values[name]
                setattr(locked, name, value.strip() if isinstance(value, str) else value)
        locked.save()
        after = header_values(locked)
        changed = {k: v for k, v in after.items() if before[k] != v}
        if changed:
            record_event(
                actor=actor,
                action="bulletins.edit",
                obj=locked,
                before={k: before[k] for k in changed},
                after=changed,
            )
    return locked


def generate_refusal(bulletin: Bulletin) -> str | None:
    return edit_refusal(bulletin)


def bulletin_generate(*, actor: Any, bulletin: Bulletin) -> Bulletin:
    """Queue a generation (the task runs after commit); refused while one runs."""
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        reason = generate_refusal(locked)
        if reason:
            raise BulletinError(reason)
        locked.status = BulletinStatus.GENERATING
        locked.progress = 0
        locked.step = _("排队中")
        locked.error = ""
        locked.touched_at = timezone.now()
        locked.save(update_fields=["status", "progress", "step", "error", "touched_at"])
        record_event(actor=actor, action="bulletins.generate.start", obj=locked)
        actor_id = getattr(actor, "pk", None)
        transaction.on_commit(lambda: generate.enqueue(locked.pk, actor_id))
    return locked


def publish_refusal(bulletin: Bulletin) -> str | None:
    if bulletin.status == BulletinStatus.PUBLISHED:
        return _("通报已发布")
    if bulletin.status != BulletinStatus.READY:
        return _("请先生成通报，核对无误后再发布")
    return None


def bulletin_publish(*, actor: Any, bulletin: Bulletin) -> Bulletin:
    """Render the final PDF and DOCX (no 草稿 mark) of the newest version and publish them."""
    with transaction.atomic():
        locked = Bulletin.objects.select_for_update().get(pk=bulletin.pk)
        reason = publish_refusal(locked)
        if reason:
            raise BulletinError(reason)
        version = locked.versions.order_by("-number").first()
        assert version is not None  # READY means a version was stored
        if Bulletin.objects.filter(
            doc_number=locked.doc_number, status=BulletinStatus.PUBLISHED
        ).exists():
            raise BulletinError(
                _("发文字号 %(number)s 已被另一份已发布的通报使用") % {"number": locked.doc_number}
            )
        header = Header.from_json(version.header)
        content = Content.from_json(version.content)
        with override("zh-hans"):
            pdf = render_pdf(header, content, draft=False)
            docx = render_docx(header, content, draft=False)
        stem = f"{locked.pk}-{locked.year}{locked.quarter or ''}"
        locked.pdf.save(f"{stem}.pdf", ContentFile(pdf), save=False)
        locked.docx.save(f"{stem}.docx", ContentFile(docx), save=False)
        locked.pdf_sha256, locked.docx_sha256 = sha256(pdf), sha256(docx)
        locked.status = BulletinStatus.PUBLISHED
        locked.published_at = timezone.now()
        locked.save()
        record_event(
            actor=actor,
            action="bulletins.publish",
            obj=locked,
            after={
                "version": version.number,
                "doc_number": locked.doc_number,
                "pdf_sha256": locked.pdf_sha256,
                "docx_sha256": locked.docx_sha256,
            },
        )
        publication_changed(kind="bulletins.bulletin", object_id=locked.pk)
    return locked


__all__ = [
    "EDITABLE",
    "BulletinError",
    "bulletin_create",
    "bulletin_edit",
    "bulletin_generate",
    "bulletin_publish",
    "header_of",
    "run_generation",
]
