"""Quarterly ratings as action objects: propose, review (add, remove), publish."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.projects.models import Project, ProjectList, QuarterRating, RatingEntry
from saima.projects.permissions import may_manage_list
from saima.projects.ratings import services


class ProposeRating(Action[QuarterRating]):
    label = _("按规则提出季度名单")

    def __init__(self, user: Any, plist: ProjectList, quarter: int) -> None:
        super().__init__(user)
        self.plist, self.quarter = plist, quarter

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.plist)

    def refusal(self) -> str | None:
        return services.propose_refusal(self.plist, self.quarter)

    def perform(self) -> QuarterRating:
        return services.rating_propose(
            actor=self.user, project_list=self.plist, quarter=self.quarter
        )


class _Review(Action[Any]):
    def __init__(self, user: Any, rating: QuarterRating) -> None:
        super().__init__(user)
        self.rating = rating

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.rating.project_list)

    def refusal(self) -> str | None:
        return services.review_refusal(self.rating)


class AddEntry(_Review):
    label = _("增列")

    def __init__(
        self, user: Any, rating: QuarterRating, project: Project, kind: str, reason: str
    ) -> None:
        super().__init__(user, rating)
        self.project, self.kind, self.reason = project, kind, reason

    def perform(self) -> RatingEntry:
        return services.rating_entry_add(
            actor=self.user,
            rating=self.rating,
            project=self.project,
            kind=self.kind,
            reason=self.reason,
        )


class RemoveEntry(_Review):
    label = _("删除")

    def __init__(self, user: Any, entry: RatingEntry, reason: str) -> None:
        super().__init__(user, entry.rating)
        self.entry, self.reason = entry, reason

    def perform(self) -> RatingEntry:
        return services.rating_entry_remove(actor=self.user, entry=self.entry, reason=self.reason)


class PublishRating(_Review):
    label = _("发布季度通报")

    def perform(self) -> QuarterRating:
        return services.rating_publish(actor=self.user, rating=self.rating)
