"""Computing and publishing results, as action objects (``saima.core.workflow``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.races.models import Period, PeriodStatus, Result
from saima.races.permissions import may_manage_race
from saima.races.results import services
from saima.races.results.services import compute_refusal, publish_refusal


class ComputeResult(Action[Result]):
    """Rank the verified values and freeze a new version; after publication, a correction."""

    label = _("计算并冻结结果")

    def __init__(self, user: Any, period: Period, reason: str = "") -> None:
        super().__init__(user)
        self.period = period
        self.reason = reason

    def permitted(self) -> bool:
        return may_manage_race(self.user, self.period.race)

    def refusal(self) -> str | None:
        return compute_refusal(self.period)

    def is_correction(self) -> bool:
        """After publication a new version corrects the published one and needs a reason."""
        return self.period.status == PeriodStatus.PUBLISHED

    def perform(self) -> Result:
        return services.result_compute(actor=self.user, period=self.period, reason=self.reason)


class PublishResult(Action[Result]):
    """Make the newest computed version public and current."""

    label = _("发布")

    def __init__(self, user: Any, result: Result) -> None:
        super().__init__(user)
        self.result = result

    def permitted(self) -> bool:
        return may_manage_race(self.user, self.result.period.race)

    def refusal(self) -> str | None:
        return publish_refusal(self.result)

    def perform(self) -> Result:
        return services.result_publish(actor=self.user, result=self.result)
