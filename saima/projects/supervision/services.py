"""The supervision list (督查事项): a snail project is tracked until closed (销号).

``supervision_open`` is called when a quarter's snails are published: the item names the
responsible person (责任领导, else the responsible unit), the required actions written from the
same rules that made the project a snail, and the due date (the end of the next quarter).
``supervision_note`` adds a progress note (进展情况) — the project's unit or the list's
managers; ``supervision_close`` closes the item with a note — the managers only.
"""

from __future__ import annotations

import calendar
import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.core.audit import record_event
from saima.projects.errors import ProjectError, refuse
from saima.projects.models import (
    RatingEntry,
    SupervisionItem,
    SupervisionNote,
    SupervisionStatus,
)

ACTIONS = {
    "snail:red_months": gettext_lazy("查明连续亮红灯的原因，制定赶超计划，按月报送投资完成情况"),
    "snail:start_overdue": gettext_lazy("倒排工期，落实开工条件，限期开工"),
    "snail:completion_overdue": gettext_lazy("倒排工期，限期竣工投产"),
    "snail:quarter_missed": gettext_lazy("补足季度投资缺口，按月报送完成情况"),
}


def required_actions(entry: RatingEntry) -> str:
    """The actions the snail's reasons call for, one line each (the same rules as the rating)."""
    codes = [code for code in entry.reasons.split(",") if code]
    lines = [str(ACTIONS[code]) for code in codes if code in ACTIONS]
    return "\n".join(lines) or str(_("查明滞后原因，制定整改措施，按月报送进展"))


def due_after(year: int, quarter: int) -> dt.date:
    """The last day of the quarter after ``quarter`` of ``year``."""
    month = 3 * quarter + 3
    year, month = (year + 1, month - 12) if month > 12 else (year, month)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _responsible(entry: RatingEntry) -> str:
    project = entry.project
    if project.leader is not None:
        return str(project.leader)
    return project.leader_name or project.owner_unit.name


def supervision_open(*, actor: Any, entry: RatingEntry) -> SupervisionItem:
    """The item for a published snail rating (once per rating entry)."""
    rating = entry.rating
    existing = SupervisionItem.objects.filter(rating_entry=entry).first()
    if existing is not None:
        return existing
    number = f"{rating.project_list.code}-{rating.project_list.year}Q{rating.quarter}-{entry.project.code}"
    item = SupervisionItem.objects.create(
        project_list=rating.project_list,
        project=entry.project,
        rating_entry=entry,
        number=number[:40],
        responsible=_responsible(entry)[:120],
        required_actions=required_actions(entry),
        due_date=due_after(rating.project_list.year, rating.quarter),
    )
    record_event(
        actor=actor,
        action="projects.supervision.open",
        obj=item,
        after={"number": item.number, "project": entry.project.code, "due": item.due_date},
    )
    return item


def open_refusal(item: SupervisionItem) -> str | None:
    if item.status == SupervisionStatus.CLOSED:
        return str(_("该督查事项已销号"))
    return None


def supervision_note(*, actor: Any, item: SupervisionItem, text: str) -> SupervisionNote:
    if not text.strip():
        raise ProjectError(_("请填写进展情况"))
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        refuse(open_refusal(item))
        note = SupervisionNote.objects.create(
            item=item,
            text=text.strip(),
            author=actor if getattr(actor, "is_authenticated", False) else None,
        )
        record_event(
            actor=actor,
            action="projects.supervision.note",
            obj=item,
            after={"note": note.pk, "text": note.text[:500]},
        )
    return note


def supervision_close(*, actor: Any, item: SupervisionItem, note: str) -> SupervisionItem:
    """销号: the item is done; the closing note is required."""
    if not note.strip():
        raise ProjectError(_("销号须写明说明"))
    with transaction.atomic():
        item = SupervisionItem.objects.select_for_update().get(pk=item.pk)
        refuse(open_refusal(item))
        item.status = SupervisionStatus.CLOSED
        item.closed_at = timezone.now()
        item.closing_note = note.strip()
        item.save(update_fields=["status", "closed_at", "closing_note"])
        record_event(
            actor=actor,
            action="projects.supervision.close",
            obj=item,
            before={"status": SupervisionStatus.OPEN},
            after={"status": SupervisionStatus.CLOSED},
            reason=note.strip(),
        )
    return item
