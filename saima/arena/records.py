"""The arena's section of a person's record (干部档案): contests where they presented, with
rank and score once revealed."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from saima.arena.models import Contestant, ContestStatus
from saima.core.records import RecordEntry


def contest_entries(person: Any) -> list[RecordEntry]:
    entries = []
    for entry in (
        Contestant.objects.filter(person_id=person.pk)
        .select_related("contest", "unit")
        .order_by("-contest__date", "contest__pk")
    ):
        contest = entry.contest
        title = _("%(c)s：代表%(u)s上台陈述") % {"c": contest.title, "u": entry.unit.name}
        if entry.topic:
            title += f"（{entry.topic}）"
        if contest.status == ContestStatus.REVEALED and entry.rank is not None:
            outcome = _("第 %(r)s 名（共 %(n)s 个单位），%(s).2f 分") % {
                "r": entry.rank,
                "n": contest.contestants.count(),
                "s": entry.final_score or 0.0,
            }
        else:
            outcome = _("尚未揭晓")
        entries.append(
            RecordEntry(
                ref=f"arena.contestant:{entry.pk}",
                when=contest.date,
                title=title,
                outcome=outcome,
                url=reverse("arena:results", args=[contest.pk]),
            )
        )
    return entries
