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
        self.created = False  # after ``execute``: whether a new version was frozen

    def permitted(self) -> bool:
        return may_manage_race(self.user, self.period.race)

    def refusal(self) -> str | None:
        return compute_refusal(self.period)

    def is_correction(self) -> bool:
        """After publication a new version corrects the published one and needs a reason."""
        return self.period.status == PeriodStatus.PUBLISHED

    def perform(self) -> Result:
        latest = self.period.results.order_by("-version").values_list("pk", flat=True).first()
        result = services.result_compute(actor=self.user, period=self.period, reason=self.reason)
        self.created = result.pk != latest
        return result

    def outcome(self, result: Result) -> str:
        """What happened, for the user: a new version frozen, or the inputs unchanged and the
        existing version standing."""
        if self.created:
            return str(_("已计算并冻结第 %(v)s 版结果，请核对后发布。") % {"v": result.version})
        return str(
            _("数据、方案和算法都没有变化，未生成新版本：现有第 %(v)s 版结果仍然有效。")
            % {"v": result.version}
        )


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
