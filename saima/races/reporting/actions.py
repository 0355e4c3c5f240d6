"""The organiser's steps on a period and its reports, as action objects (``saima.core.workflow``).

Views run them, and the period and review pages ask them which buttons to show and why one is
disabled. Who may act is asked of ``races.permissions``; what the state allows, of the rules in
``reporting.services``, which the services ask again under the row lock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.org.models import Unit
from saima.races.models import Period, Report
from saima.races.permissions import may_manage_race, may_verify_report
from saima.races.reporting import services
from saima.races.reporting.services import (
    CLOSABLE,
    REOPENABLE,
    REVIEWABLE,
    correction_refusal,
    period_state_refusal,
    review_refusal,
    verification_refusal,
)

T = TypeVar("T")


class PeriodAction(Action[T]):
    """A step on one period, taken by the race's organisers."""

    def __init__(self, user: Any, period: Period) -> None:
        super().__init__(user)
        self.period = period

    def permitted(self) -> bool:
        return may_manage_race(self.user, self.period.race)


class ClosePeriod(PeriodAction[Period]):
    label = _("截止填报")

    def refusal(self) -> str | None:
        return period_state_refusal(self.period, CLOSABLE)

    def perform(self) -> Period:
        return services.period_close(actor=self.user, period=self.period)


class ReopenPeriod(PeriodAction[Period]):
    label = _("重新开放填报")

    def refusal(self) -> str | None:
        return period_state_refusal(self.period, REOPENABLE)

    def perform(self) -> Period:
        return services.period_reopen(actor=self.user, period=self.period)


class SetDeadline(PeriodAction[Period]):
    label = _("调整截止时间")

    def __init__(self, user: Any, period: Period, deadline: dt.datetime | None = None) -> None:
        super().__init__(user, period)
        self.deadline = deadline

    def refusal(self) -> str | None:
        return period_state_refusal(self.period, CLOSABLE)

    def perform(self) -> Period:
        if self.deadline is None:
            raise TypeError("SetDeadline needs the new deadline")
        return services.period_set_deadline(
            actor=self.user, period=self.period, deadline=self.deadline
        )


class SendReminders(PeriodAction[int]):
    """催办: notify the reporters of the chosen units that have not handed in."""

    label = _("向选中单位发送催办")

    def __init__(self, user: Any, period: Period, units: Iterable[Unit] = ()) -> None:
        super().__init__(user, period)
        self.units = units

    def refusal(self) -> str | None:
        return period_state_refusal(self.period, REVIEWABLE)

    def perform(self) -> int:
        return services.reminders_send(actor=self.user, period=self.period, units=self.units)


class VerifyCleanReports(PeriodAction[int]):
    """一键审核: verify every submitted report that raised no anomaly flag."""

    label = _("一键审核无异常的单位")

    def refusal(self) -> str | None:
        return verification_refusal(self.period)

    def perform(self) -> int:
        return services.reports_verify_clean(actor=self.user, period=self.period)


class CorrectValues(Action[Report]):
    """更正数据: the organiser's correction once reporting closed, with its reason."""

    label = _("更正数据")

    def __init__(
        self,
        user: Any,
        report: Report,
        values: Mapping[str, Any] | None = None,
        reason: str = "",
    ) -> None:
        """``values``: indicator code → the value as entered (text or number; empty = none)."""
        super().__init__(user)
        self.report = report
        self.values = values or {}
        self.reason = reason

    def permitted(self) -> bool:
        return may_verify_report(self.user, self.report)

    def refusal(self) -> str | None:
        return correction_refusal(self.report.period)

    def perform(self) -> Report:
        values = {code: services.clean_value(raw) for code, raw in self.values.items()}
        return services.value_correct(
            actor=self.user, report=self.report, values=values, reason=self.reason
        )


class ReviewReport(Action[Report]):
    """Verify or return one submitted report: the race's organisers, never the unit itself."""

    def __init__(
        self, user: Any, report: Report, comment: str = "", notes: Mapping[str, str] | None = None
    ) -> None:
        super().__init__(user)
        self.report = report
        self.comment = comment
        self.notes = notes or {}

    def permitted(self) -> bool:
        return may_verify_report(self.user, self.report)

    def refusal(self) -> str | None:
        return review_refusal(self.report)


class VerifyReport(ReviewReport):
    label = _("审核通过")

    def perform(self) -> Report:
        return services.report_verify(
            actor=self.user, report=self.report, comment=self.comment, notes=self.notes
        )


class ReturnReport(ReviewReport):
    label = _("退回修改")

    def perform(self) -> Report:
        return services.report_return(
            actor=self.user, report=self.report, comment=self.comment, notes=self.notes
        )
