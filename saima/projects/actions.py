"""Steps on a key-project list as action objects (``saima.core.workflow``): the list page asks
them which buttons to show and why one is disabled; views run them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saima.core.workflow import Action
from saima.projects import reporting, services
from saima.projects.models import ListMembership, Project, ProjectList, ReportingDeadline
from saima.projects.permissions import may_manage_list


class ListAction(Action[Any]):
    """A step on one list, taken by its managers (重点项目办)."""

    def __init__(self, user: Any, plist: ProjectList) -> None:
        super().__init__(user)
        self.plist = plist

    def permitted(self) -> bool:
        return may_manage_list(self.user, self.plist)


class AddToList(ListAction):
    """列入: put a project on the list, with a written reason."""

    label = _("列入清单")

    def __init__(self, user: Any, plist: ProjectList, project: Project, reason: str = "") -> None:
        super().__init__(user, plist)
        self.project, self.reason = project, reason

    def refusal(self) -> str | None:
        return services.membership_refusal(self.plist, self.project, adding=True)

    def perform(self) -> ListMembership:
        return services.membership_add(
            actor=self.user, plist=self.plist, project=self.project, reason=self.reason
        )


class RemoveFromList(AddToList):
    """移出: take a project off the list, with a written reason; its history stays."""

    label = _("移出清单")

    def refusal(self) -> str | None:
        return services.membership_refusal(self.plist, self.project, adding=False)

    def perform(self) -> ListMembership:
        return services.membership_remove(
            actor=self.user, plist=self.plist, project=self.project, reason=self.reason
        )


class PublishList(ListAction):
    label = _("公开清单")

    def refusal(self) -> str | None:
        return str(_("清单已经公开")) if self.plist.published_at else None

    def perform(self) -> ProjectList:
        return services.list_publish(actor=self.user, plist=self.plist)


class SendReminders(ListAction):
    """催办 before a month's deadline, 督促 after it: the units still missing the report."""

    label = _("催办未报送的项目")

    def __init__(self, user: Any, plist: ProjectList, month: int = 1) -> None:
        super().__init__(user, plist)
        self.month = month

    def perform(self) -> int:
        due = reporting.due_at(self.plist, self.plist.year, self.month)
        return reporting.reminders_send(
            actor=self.user,
            plist=self.plist,
            month=self.month,
            after_deadline=due <= timezone.now(),
        )


class SetDeadline(ListAction):
    label = _("调整截止时间")

    def __init__(
        self, user: Any, plist: ProjectList, month: int = 1, due: dt.datetime | None = None
    ) -> None:
        super().__init__(user, plist)
        self.month, self.due = month, due

    def perform(self) -> ReportingDeadline:
        if self.due is None:
            raise TypeError("SetDeadline needs the new deadline")
        return reporting.deadline_set(
            actor=self.user, plist=self.plist, month=self.month, due=self.due
        )
