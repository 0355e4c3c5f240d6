"""Rules, lights and exemptions as action objects (``saima.core.workflow``)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.projects.lights import services
from saima.projects.models import Exemption, LightRuleVersion, LightRun, Project, ProjectList
from saima.projects.permissions import may_manage_list


class CreateRules(Action[LightRuleVersion]):
    label = _("保存新版规则")

    def __init__(
        self,
        user: Any,
        plist: ProjectList,
        rules_toml: str = "",
        preset_code: str = "",
        reason: str = "",
    ) -> None:
        super().__init__(user)
        self.plist, self.rules_toml, self.preset_code, self.reason = (
            plist,
            rules_toml,
            preset_code,
            reason,
        )

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.plist)

    def perform(self) -> LightRuleVersion:
        return services.rules_version_create(
            actor=self.user,
            project_list=self.plist,
            rules_toml=self.rules_toml,
            preset_code=self.preset_code,
            reason=self.reason,
        )


class ComputeLights(Action[LightRun]):
    label = _("计算本月亮灯")

    def __init__(self, user: Any, plist: ProjectList, month: int, reason: str = "") -> None:
        super().__init__(user)
        self.plist, self.month, self.reason = plist, month, reason

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.plist)

    def refusal(self) -> str | None:
        return services.compute_refusal(self.plist, self.month, self.reason)

    def perform(self) -> LightRun:
        return services.lights_compute(
            actor=self.user, project_list=self.plist, month=self.month, reason=self.reason
        )


class PublishLights(Action[LightRun]):
    label = _("发布本月亮灯")

    def __init__(self, user: Any, run: LightRun) -> None:
        super().__init__(user)
        self.run = run

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.run.project_list)

    def refusal(self) -> str | None:
        return services.publish_refusal(self.run)

    def perform(self) -> LightRun:
        return services.lights_publish(actor=self.user, run=self.run)


class GrantExemption(Action[Exemption]):
    label = _("不可抗力豁免")

    def __init__(
        self, user: Any, plist: ProjectList, project: Project, month: int, reason: str
    ) -> None:
        super().__init__(user)
        self.plist, self.project, self.month, self.reason = plist, project, month, reason

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.plist)

    def perform(self) -> Exemption:
        return services.exemption_grant(
            actor=self.user,
            project=self.project,
            year=self.plist.year,
            month=self.month,
            reason=self.reason,
        )
