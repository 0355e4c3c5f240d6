"""The organiser's steps on a bulletin, as action objects (``saima.core.workflow``)."""

from __future__ import annotations

from typing import Any, TypeVar

from django.utils.translation import gettext_lazy as _

from saima.bulletins import services
from saima.bulletins.models import Bulletin
from saima.bulletins.permissions import may_manage_bulletin
from saima.core.workflow import Action

T = TypeVar("T")


class BulletinAction(Action[T]):
    def __init__(self, user: Any, bulletin: Bulletin) -> None:
        super().__init__(user)
        self.bulletin = bulletin

    def permitted(self) -> bool:
        return may_manage_bulletin(self.user, self.bulletin)


class GenerateBulletin(BulletinAction[Bulletin]):
    label = _("生成通报")

    def refusal(self) -> str | None:
        return services.generate_refusal(self.bulletin)

    def perform(self) -> Bulletin:
        return services.bulletin_generate(actor=self.user, bulletin=self.bulletin)


class PublishBulletin(BulletinAction[Bulletin]):
    label = _("发布")

    def refusal(self) -> str | None:
        return services.publish_refusal(self.bulletin)

    def perform(self) -> Bulletin:
        return services.bulletin_publish(actor=self.user, bulletin=self.bulletin)


class EditBulletin(BulletinAction[Bulletin]):
    label = _("修改")

    def __init__(self, user: Any, bulletin: Bulletin, **values: Any) -> None:
        super().__init__(user, bulletin)
        self.values = values

    def refusal(self) -> str | None:
        return services.edit_refusal(self.bulletin)

    def perform(self) -> Bulletin:
        return services.bulletin_edit(actor=self.user, bulletin=self.bulletin, **self.values)
