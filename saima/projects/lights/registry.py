"""What the lights part of the projects app registers with core in ``ready()``: its audit
action names, the lights verifier, and its section of the person's record (干部档案)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from saima.core.actions import register_actions
from saima.core.records import RecordEntry, register_record_section
from saima.core.verification import register_verifier

ACTIONS: dict[str, str | Promise] = {
    "projects.rules.create": gettext_lazy("保存亮灯规则新版本"),
    "projects.lights.compute": gettext_lazy("计算月亮灯"),
    "projects.lights.publish": gettext_lazy("发布月亮灯"),
    "projects.exemption.grant": gettext_lazy("批准不可抗力豁免"),
    "projects.rating.propose": gettext_lazy("按规则提出季度名单"),
    "projects.rating.add": gettext_lazy("审定增列"),
    "projects.rating.remove": gettext_lazy("审定删除"),
    "projects.rating.publish": gettext_lazy("发布季度通报"),
    "projects.card.transition": gettext_lazy("黄牌红牌变更"),
    "projects.membership.remove": gettext_lazy("移出重点项目清单"),
    "projects.supervision.open": gettext_lazy("列入督查事项"),
    "projects.supervision.note": gettext_lazy("填写督办进展"),
    "projects.supervision.close": gettext_lazy("督查事项销号"),
    "projects.incentives.compute": gettext_lazy("计算激励建议"),
}


def record_entries(person: Any) -> list[RecordEntry]:
    """For a responsible leader (责任领导): the published red flags and snails of their projects,
    and their projects' cards (snail ratings and yellow/red cards count against them)."""
    from saima.projects.models import Card, CardState, RatingEntry, RatingKind, RatingStatus

    entries = []
    named = RatingEntry.objects.filter(
        project__leader=person, rating__status=RatingStatus.PUBLISHED, removed=False
    ).select_related("project", "rating__project_list")
    for entry in named.order_by("rating__published_at", "pk"):
        snail = entry.kind == RatingKind.SNAIL
        entries.append(
            RecordEntry(
                ref=f"projects.ratingentry:{entry.pk}",
                when=timezone.localdate(entry.rating.published_at)
                if entry.rating.published_at
                else None,
                title=f"{entry.rating.label} {entry.get_kind_display()}：{entry.project.name}",
                outcome=str(entry.get_kind_display()),
                negative=snail,
                url=reverse("projects:rating", args=[entry.rating_id]),
            )
        )
    cards = Card.objects.filter(
        project__leader=person,
        state__in=[CardState.YELLOW_CARD, CardState.CLEARED, CardState.RED_CARD],
    ).select_related("project")
    for card in cards.order_by("updated_at", "pk"):
        deadline = (
            _("整改期限 %(y)s-%(m)02d") % {"y": card.deadline_year, "m": card.deadline_month}
            if card.deadline_year and card.deadline_month
            else ""
        )
        entries.append(
            RecordEntry(
                ref=f"projects.card:{card.pk}",
                when=timezone.localdate(card.updated_at),
                title=_("%(state)s：%(name)s")
                % {"state": card.get_state_display(), "name": card.project.name},
                outcome=f"{card.get_state_display()}（{deadline}）"
                if deadline
                else str(card.get_state_display()),
                negative=card.state != CardState.CLEARED,
                url=reverse("projects:card", args=[card.pk]),
            )
        )
    return entries


def register() -> None:
    from saima.projects.lights.verification import stored_lights_problems

    register_actions(ACTIONS)
    register_verifier(
        "projects.lights",
        stored_lights_problems,
        gettext_lazy("重点项目月亮灯（按存档输入和规则版本重算）"),
    )
    register_record_section("projects.cards", gettext_lazy("重点项目"), record_entries, order=30)
