"""Every step an officer or a unit takes, as action objects (``saima.core.workflow``): the
pages ask them which buttons to show and why not, the views take them."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.conduct import awards, clues
from saima.conduct.models import (
    Award,
    AwardRound,
    Clue,
    ClueMessage,
    ClueStatus,
    FlagHolding,
    Rectification,
)
from saima.conduct.permissions import (
    may_handle_clue,
    may_report_rectification,
    may_run_round,
    may_verify_rectification,
)
from saima.core.workflow import Action
from saima.org.models import Person, Unit


class ClueAction(Action[Any]):
    """A step on one clue by an officer who may handle it."""

    target: str = ""

    def __init__(self, user: Any, clue: Clue, **inputs: Any) -> None:
        super().__init__(user)
        self.clue = clue
        self.inputs = inputs

    def permitted(self) -> bool:
        return may_handle_clue(self.user, self.clue)

    def refusal(self) -> str | None:
        reason = clues.move_refusal(self.clue, self.target)
        return reason or clues.handler_refusal(self.clue, self.user)


class AssignClue(ClueAction):
    label = _("分派承办人")
    target = ClueStatus.ASSIGNED

    def refusal(self) -> str | None:
        return clues.move_refusal(self.clue, self.target)

    def perform(self) -> Clue:
        return clues.clue_assign(actor=self.user, clue=self.clue, assignee=self.inputs["assignee"])


class StartClue(ClueAction):
    label = _("开始核查")
    target = ClueStatus.INVESTIGATING

    def perform(self) -> Clue:
        return clues.clue_start(actor=self.user, clue=self.clue)


class NoteClue(ClueAction):
    label = _("记录核查情况")

    def refusal(self) -> str | None:
        return clues.note_refusal(self.clue) or clues.handler_refusal(self.clue, self.user)

    def perform(self) -> ClueMessage:
        return clues.clue_note(actor=self.user, clue=self.clue, text=self.inputs["text"])


class AskSubmitter(ClueAction):
    label = _("向反映人提问")

    def refusal(self) -> str | None:
        return clues.ask_refusal(self.clue) or clues.handler_refusal(self.clue, self.user)

    def perform(self) -> ClueMessage:
        return clues.clue_ask(actor=self.user, clue=self.clue, text=self.inputs["text"])


class ResumeClue(ClueAction):
    label = _("不待答复，继续核查")
    target = ClueStatus.INVESTIGATING

    def refusal(self) -> str | None:
        if self.clue.status != ClueStatus.AWAITING_ANSWER:
            return str(_("此线索没有在等待反映人答复"))
        return clues.handler_refusal(self.clue, self.user)

    def perform(self) -> Clue:
        return clues.clue_resume(actor=self.user, clue=self.clue)


class DecideClue(ClueAction):
    label = _("作出核查结论")
    target = ClueStatus.SUBSTANTIATED  # any decision: the three share their source state

    def perform(self) -> Clue:
        return clues.clue_decide(
            actor=self.user,
            clue=self.clue,
            decision=self.inputs["decision"],
            findings=self.inputs["findings"],
        )


CLUE_ACTIONS: dict[str, type[ClueAction]] = {
    "assign": AssignClue,
    "start": StartClue,
    "note": NoteClue,
    "ask": AskSubmitter,
    "resume": ResumeClue,
    "decide": DecideClue,
}


# ---------------------------------------------------------------- rounds


class RoundAction(Action[Any]):
    def __init__(self, user: Any, award_round: AwardRound, **inputs: Any) -> None:
        super().__init__(user)
        self.award_round = award_round
        self.inputs = inputs

    def permitted(self) -> bool:
        return may_run_round(self.user, self.award_round)

    def refusal(self) -> str | None:
        return awards.round_refusal(self.award_round)


class AddSnailAward(RoundAction):
    label = _("评定蜗牛奖")

    def perform(self) -> Award:
        clue: Clue = self.inputs["clue"]
        return awards.award_add(
            actor=self.user,
            award_round=self.award_round,
            kind="snail",
            unit=clue.unit,
            clue=clue,
            reason=self.inputs["reason"],
            points=self.inputs.get("points", Decimal(0)),
            bonus=self.inputs.get("bonus", Decimal(0)),
        )


class AddRedFlagAward(RoundAction):
    label = _("评定红旗奖")

    def perform(self) -> Award:
        person: Person | None = self.inputs.get("person")
        unit: Unit = self.inputs["unit"]
        return awards.award_add(
            actor=self.user,
            award_round=self.award_round,
            kind="red_flag",
            unit=unit,
            person=person,
            reason=self.inputs["reason"],
            points=self.inputs.get("points", Decimal(0)),
            bonus=self.inputs.get("bonus", Decimal(0)),
        )


class RemoveAward(RoundAction):
    label = _("撤销")

    def perform(self) -> None:
        award: Award = self.inputs["award"]
        awards.award_remove(actor=self.user, award=award)


class PassFlag(RoundAction):
    label = _("授予流动红旗")

    def perform(self) -> FlagHolding:
        return awards.flag_pass(
            actor=self.user,
            award_round=self.award_round,
            unit=self.inputs["unit"],
            reason=self.inputs["reason"],
        )


class PublishRound(RoundAction):
    label = _("发布评定结果")

    def refusal(self) -> str | None:
        return awards.publish_refusal(self.award_round)

    def perform(self) -> AwardRound:
        return awards.round_publish(
            actor=self.user, award_round=self.award_round, note=self.inputs.get("note", "")
        )


# ---------------------------------------------------------------- rectification


class ReportRectification(Action[Rectification]):
    label = _("报送整改情况")

    def __init__(self, user: Any, item: Rectification, report: str = "") -> None:
        super().__init__(user)
        self.item = item
        self.report = report

    def permitted(self) -> bool:
        return may_report_rectification(self.user, self.item)

    def refusal(self) -> str | None:
        return awards.report_refusal(self.item)

    def perform(self) -> Rectification:
        return awards.rectification_report(actor=self.user, item=self.item, report=self.report)


class VerifyRectification(Action[Rectification]):
    label = _("验收")

    def __init__(
        self, user: Any, item: Rectification, accept: bool = False, opinion: str = ""
    ) -> None:
        super().__init__(user)
        self.item = item
        self.accept = accept
        self.opinion = opinion

    def permitted(self) -> bool:
        return may_verify_rectification(self.user, self.item)

    def refusal(self) -> str | None:
        return awards.verify_refusal(self.item)

    def perform(self) -> Rectification:
        return awards.rectification_verify(
            actor=self.user, item=self.item, accept=self.accept, opinion=self.opinion
        )
