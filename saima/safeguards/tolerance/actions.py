"""The steps of a tolerance application (容错申请) as action objects (``saima.core.workflow``).

States (``ApplicationStatus``) and the only edges between them:

    待受理 --accept--> 审查中 --assess (any number)--> 审查中 --decide--> 予以容错 | 部分容错 | 不予容错

Decided applications are final (a new fact is a new application).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.org.models import Person
from saima.safeguards.models import Assessment, Condition, ReformItem, ToleranceApplication
from saima.safeguards.permissions import may_apply_for, may_review_application
from saima.safeguards.tolerance import services


class SubmitApplication(Action[ToleranceApplication]):
    label = _("提出容错申请")

    def __init__(
        self,
        user: Any,
        person: Person,
        *,
        item: ReformItem | None = None,
        facts: str = "",
        remedy: str = "",
        covers: list[str] | None = None,
    ) -> None:
        super().__init__(user)
        self.person, self.item = person, item
        self.facts, self.remedy, self.covers = facts, remedy, covers

    def permitted(self) -> bool:
        return may_apply_for(self.user, self.person)

    def perform(self) -> ToleranceApplication:
        assert self.item is not None
        return services.application_submit(
            actor=self.user,
            item=self.item,
            person=self.person,
            facts=self.facts,
            remedy=self.remedy,
            covers=self.covers,
        )


class _Review(Action[Any]):
    forbidden = _("你不能审查此申请（本人、本人提出或本单位干部的申请须回避）")

    def __init__(self, user: Any, application: ToleranceApplication) -> None:
        super().__init__(user)
        self.application = application

    def permitted(self) -> bool:
        return may_review_application(self.user, self.application)


class AcceptApplication(_Review):
    label = _("受理")

    def refusal(self) -> str | None:
        return services.accept_refusal(self.application)

    def perform(self) -> ToleranceApplication:
        return services.application_accept(actor=self.user, application=self.application)


class AssessCondition(_Review):
    label = _("逐项审查")

    def __init__(
        self,
        user: Any,
        application: ToleranceApplication,
        *,
        condition: Condition | None = None,
        holds: bool = False,
        reason: str = "",
    ) -> None:
        super().__init__(user, application)
        self.condition, self.holds, self.reason = condition, holds, reason

    def refusal(self) -> str | None:
        return services.assess_refusal(self.application)

    def perform(self) -> Assessment:
        assert self.condition is not None
        return services.assessment_record(
            actor=self.user,
            application=self.application,
            condition=self.condition,
            holds=self.holds,
            reason=self.reason,
        )


class DecideApplication(_Review):
    label = _("作出决定")

    def __init__(
        self,
        user: Any,
        application: ToleranceApplication,
        *,
        outcome: str | None = None,
        reason: str = "",
        excused: list[str] | None = None,
    ) -> None:
        super().__init__(user, application)
        self.outcome, self.reason, self.excused = outcome, reason, excused

    def refusal(self) -> str | None:
        return services.decide_refusal(self.application, self.outcome)

    def perform(self) -> ToleranceApplication:
        return services.application_decide(
            actor=self.user,
            application=self.application,
            outcome=self.outcome or "",
            reason=self.reason,
            excused=self.excused,
        )
