"""Computing the incentive proposals as an action object."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.projects.incentives import services
from saima.projects.models import IncentiveProposal, ProjectList
from saima.projects.permissions import may_manage_list


class ComputeIncentives(Action[list[IncentiveProposal]]):
    label = _("计算激励建议")

    def __init__(self, user: Any, plist: ProjectList) -> None:
        super().__init__(user)
        self.plist = plist

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.plist)

    def refusal(self) -> str | None:
        from saima.projects.lights.services import current_rules

        if current_rules(self.plist) is None:
            return str(_("请先设定本清单的规则"))
        return None

    def perform(self) -> list[IncentiveProposal]:
        return services.incentives_compute(actor=self.user, project_list=self.plist)
