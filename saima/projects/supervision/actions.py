"""Supervision steps as action objects: a progress note, closing (销号)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.projects.models import SupervisionItem, SupervisionNote
from saima.projects.permissions import may_manage_list, may_note_supervision
from saima.projects.supervision import services


class AddNote(Action[SupervisionNote]):
    label = _("填写进展")

    def __init__(self, user: Any, item: SupervisionItem, text: str = "") -> None:
        super().__init__(user)
        self.item, self.text = item, text

    def permitted(self) -> bool:
        return may_note_supervision(self.user, self.item)

    def refusal(self) -> str | None:
        return services.open_refusal(self.item)

    def perform(self) -> SupervisionNote:
        return services.supervision_note(actor=self.user, item=self.item, text=self.text)


class CloseItem(Action[SupervisionItem]):
    label = _("销号")

    def __init__(self, user: Any, item: SupervisionItem, note: str = "") -> None:
        super().__init__(user)
        self.item, self.note = item, note

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.item.project_list)

    def refusal(self) -> str | None:
        return services.open_refusal(self.item)

    def perform(self) -> SupervisionItem:
        return services.supervision_close(actor=self.user, item=self.item, note=self.note)
