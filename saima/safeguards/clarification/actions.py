"""The steps of a clarification case (澄清正名) as action objects (``saima.core.workflow``).

States (``CaseStatus``) and the only edges between them:

    已受理 --verify--> 已核实 --clarify (letter | face to face | public notice)--> 已澄清
                              --close (反映属实)--> 已办结（不予澄清）

Consent to a public notice is recorded and withdrawn beside these edges (not a state).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.org.models import Person
from saima.safeguards.clarification import services
from saima.safeguards.models import ClarificationCase, Consent
from saima.safeguards.permissions import (
    may_apply_for,
    may_change_consent,
    may_handle_case,
)


class OpenCase(Action[ClarificationCase]):
    label = _("受理澄清正名")

    def __init__(
        self,
        user: Any,
        person: Person,
        *,
        allegation: str = "",
        petitions: int = 0,
        source_ref: str = "",
    ) -> None:
        super().__init__(user)
        self.person, self.allegation = person, allegation
        self.petitions, self.source_ref = petitions, source_ref

    def permitted(self) -> bool:
        return may_apply_for(self.user, self.person)

    def perform(self) -> ClarificationCase:
        return services.case_open(
            actor=self.user,
            person=self.person,
            allegation=self.allegation,
            petitions=self.petitions,
            source_ref=self.source_ref,
        )


class CaseStep(Action[Any]):
    forbidden = _("你不能办理此案件（本人或本单位干部的案件须回避）")

    def __init__(self, user: Any, case: ClarificationCase, **inputs: Any) -> None:
        super().__init__(user)
        self.case = case
        self.inputs = inputs

    def permitted(self) -> bool:
        return may_handle_case(self.user, self.case)


class VerifyCase(CaseStep):
    label = _("登记核实结论")

    def refusal(self) -> str | None:
        return services.verify_refusal(self.case)

    def perform(self) -> ClarificationCase:
        return services.case_verify(actor=self.user, case=self.case, **self.inputs)


class ClarifyCase(CaseStep):
    label = _("澄清正名")

    def refusal(self) -> str | None:
        return services.clarify_refusal(self.case, self.inputs.get("form"))

    def perform(self) -> ClarificationCase:
        return services.case_clarify(actor=self.user, case=self.case, **self.inputs)


class CloseCase(CaseStep):
    label = _("办结（不予澄清）")

    def refusal(self) -> str | None:
        return services.close_refusal(self.case)

    def perform(self) -> ClarificationCase:
        return services.case_close(actor=self.user, case=self.case, **self.inputs)


class RecordConsent(CaseStep):
    label = _("登记本人同意公开通报")

    def refusal(self) -> str | None:
        return services.consent_refusal(self.case)

    def perform(self) -> Consent:
        given_on: dt.date = self.inputs["given_on"]
        return services.consent_record(actor=self.user, case=self.case, given_on=given_on)


class WithdrawConsent(CaseStep):
    label = _("撤回公开通报同意")
    forbidden = _("只有本人或办理人员可以撤回同意")

    def permitted(self) -> bool:
        return may_change_consent(self.user, self.case)

    def refusal(self) -> str | None:
        return services.withdraw_refusal(self.case)

    def perform(self) -> Consent:
        return services.consent_withdraw(actor=self.user, case=self.case)
