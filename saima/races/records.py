"""The races' section of the person's record (``saima.core.records``): the published, current
results of the races in which the person's unit was ranked — period, rank, score, listed or not.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.records import RecordEntry
from saima.races.models import ResultRow


def result_entries(person: Any) -> list[RecordEntry]:
    rows = (
        ResultRow.objects.filter(
            unit_id=person.unit_id, result__is_current=True, result__published_at__isnull=False
        )
        .select_related("result__period__race", "unit")
        .order_by("-result__period__year", "-result__period__number", "result__period__race__name")
    )
    entries = []
    for row in rows:
        result = row.result
        published = result.published_at
        entries.append(
            RecordEntry(
                ref=f"races.resultrow:{row.pk}",
                when=timezone.localdate(published) if published else None,
                title=_("%(race)s %(period)s")
                % {"race": result.period.race.name, "period": result.period.label},
                outcome=_("第 %(rank)d 名 · 得分 %(score).2f · %(listed)s")
                % {
                    "rank": row.rank,
                    "score": row.score,
                    "listed": _("上榜") if row.selected else _("未上榜"),
                },
                url=reverse("races:unit", args=[result.pk, row.unit.code]),
            )
        )
    return entries
