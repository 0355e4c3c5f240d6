"""Answering an objection (答复异议), as an action object (``saima.core.workflow``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.races.models import Objection, Result
from saima.races.objections import services
from saima.races.objections.services import answer_refusal
from saima.races.permissions import may_answer_objection


class AnswerObjection(Action[Objection]):
    """Answer in writing; an upheld objection may name the corrected version that resolves it."""

    label = _("书面答复")

    def __init__(
        self,
        user: Any,
        objection: Objection,
        *,
        upheld: bool = False,
        answer: str = "",
        correction: Result | None = None,
    ) -> None:
        super().__init__(user)
        self.objection = objection
        self.upheld = upheld
        self.answer = answer
        self.correction = correction

    def permitted(self) -> bool:
        return may_answer_objection(self.user, self.objection)

    def refusal(self) -> str | None:
        return answer_refusal(self.objection)

    def perform(self) -> Objection:
        return services.objection_answer(
            actor=self.user,
            objection=self.objection,
            upheld=self.upheld,
            answer=self.answer,
            correction=self.correction,
        )
