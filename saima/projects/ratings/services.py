"""Quarterly ratings (季通报): proposed by the rules, reviewed, published.

``rating_propose`` names the quarter's red flags (红旗项目) and snails (蜗牛项目) with the engine's
``rate_quarter``, from the inputs stored with the quarter's last light run (the projects still
on the list) and the quarter's **stored** lights (the lights the public saw decide "red in 2 of
3 months", not a re-run under today's rules). The organiser
reviews: ``rating_entry_add`` and ``rating_entry_remove`` need a written reason and are audited;
a removed entry stays, marked. ``rating_publish`` makes the list public, opens a snail card for
every snail (none/cleared → snail) and its supervision item (督查事项).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saima.core.audit import record_event
from saima.core.publications import publication_changed
from saima.engine.progress import SnailReason, compute_lights, rate_quarter
from saima.projects.errors import ProjectError, refuse
from saima.projects.lights.services import current_rules, current_run, rules_of
from saima.projects.models import (
    MonthlyLight,
    Project,
    ProjectList,
    QuarterRating,
    RatingEntry,
    RatingKind,
    RatingOrigin,
    RatingStatus,
)
from saima.projects.progress import fetch, member_ids, run_months


def quarter_months(quarter: int) -> list[int]:
    return [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]


def propose_refusal(project_list: ProjectList, quarter: int) -> str | None:
    if not 1 <= quarter <= 4:
        return str(_("季度须在 1–4 之间"))
    rating = QuarterRating.objects.filter(project_list=project_list, quarter=quarter).first()
    if rating is not None and rating.status == RatingStatus.PUBLISHED:
        return str(_("该季度通报已发布"))
    missing = [m for m in quarter_months(quarter) if current_run(project_list, m) is None]
    if missing:
        return str(
            _("请先计算 %(months)s 月的亮灯") % {"months": "、".join(str(m) for m in missing)}
        )
    return None


def _stored_quarter_lights(
    project_list: ProjectList, ids: np.ndarray, quarter: int, computed: np.ndarray
) -> np.ndarray:
    """The year's light grid with the quarter's months replaced by the stored lights."""
    light = computed.copy()
    rows = fetch(
        MonthlyLight.objects.filter(
            project_list=project_list, month__in=quarter_months(quarter)
        ).values_list("project_id", "month", "light")
    )
    if rows and len(ids):
        table = np.array(rows, dtype=np.int64)
        index = np.searchsorted(ids, table[:, 0])
        inside = (index < len(ids)) & (ids[np.minimum(index, len(ids) - 1)] == table[:, 0])
        light[index[inside], table[inside, 1] - 1] = table[inside, 2].astype(np.int8)
    return light


def _snail_codes(bits: int) -> str:
    return ",".join(f"snail:{str(r.name).lower()}" for r in SnailReason if bits & r)


def _entries(rating: QuarterRating, ids: np.ndarray, result: Any) -> list[RatingEntry]:
    """One entry per named project; the reasons are those of ``explain_rating`` for its kind."""
    entries = []
    snail_codes: dict[int, str] = {}
    for kind, mask in ((RatingKind.RED_FLAG, result.red_flag), (RatingKind.SNAIL, result.snail)):
        rows = np.flatnonzero(mask)
        columns = zip(
            ids[rows].tolist(),
            np.round(result.composite[rows], 4).tolist(),
            result.rank[rows].tolist(),
            result.snail_reasons[rows].tolist(),
            strict=True,
        )
        for project_id, composite, rank, bits in columns:
            if kind == RatingKind.RED_FLAG:
                reasons = f"red_flag:rank_{rank}"
            else:
                reasons = snail_codes.setdefault(bits, _snail_codes(bits))
            entries.append(
                RatingEntry(
                    rating=rating,
                    project_id=project_id,
                    kind=kind,
                    origin=RatingOrigin.PROPOSED,
                    composite=composite,
                    rank=rank or None,
                    reasons=reasons,
                )
            )
    return entries


def rating_propose(*, actor: Any, project_list: ProjectList, quarter: int) -> QuarterRating:
    """Propose (or propose again, before publication) the quarter's red flags and snails."""
    with transaction.atomic():
        project_list = ProjectList.objects.select_for_update().get(pk=project_list.pk)
        refuse(propose_refusal(project_list, quarter))
        version = current_rules(project_list)
        assert version is not None
        rules = rules_of(version)
        run = current_run(project_list, 3 * quarter)
        assert run is not None
        members = fetch(member_ids(project_list).values_list("project_id"))
        data = run_months(bytes(run.inputs), [m[0] for m in members])
        lights = compute_lights(data.months, rules.lights)
        stored = _stored_quarter_lights(project_list, data.project_ids, quarter, lights.light)
        result = rate_quarter(
            data.months, replace(lights, light=stored), rules.ratings, quarter=quarter - 1
        )
        rating, _created = QuarterRating.objects.update_or_create(
            project_list=project_list,
            quarter=quarter,
            defaults={"rule_version": version, "status": RatingStatus.PROPOSED},
        )
        rating.entries.all().delete()
        RatingEntry.objects.bulk_create(_entries(rating, data.project_ids, result), batch_size=2000)
        record_event(
            actor=actor,
            action="projects.rating.propose",
            obj=rating,
            after={
                "list": project_list.code,
                "quarter": quarter,
                "rule_version": version.version,
                "red_flags": int(result.red_flag.sum()),
                "snails": int(result.snail.sum()),
                "cut": result.cut,
            },
        )
    return rating


def review_refusal(rating: QuarterRating) -> str | None:
    if rating.status == RatingStatus.PUBLISHED:
        return str(_("通报已发布，不能再修改"))
    return None


def rating_entry_add(
    *, actor: Any, rating: QuarterRating, project: Project, kind: str, reason: str
) -> RatingEntry:
    """Name a project on review (审定增列), with a written reason."""
    if not reason.strip():
        raise ProjectError(_("增列须写明理由"))
    if kind not in RatingKind.values:
        raise ProjectError(_("类别须为红旗项目或蜗牛项目"))
    with transaction.atomic():
        rating = QuarterRating.objects.select_for_update().get(pk=rating.pk)
        refuse(review_refusal(rating))
        if not member_ids(rating.project_list).filter(project_id=project.pk).exists():
            raise ProjectError(_("该项目不在本清单中"))
        entry = RatingEntry.objects.filter(rating=rating, project=project, kind=kind).first()
        if entry is not None and not entry.removed:
            raise ProjectError(_("该项目已在名单中"))
        if entry is None:
            entry = RatingEntry(
                rating=rating, project=project, kind=kind, origin=RatingOrigin.ADDED
            )
        entry.removed = False
        entry.note = reason.strip()
        entry.save()
        record_event(
            actor=actor,
            action="projects.rating.add",
            obj=entry,
            after={"project": project.code, "kind": kind, "quarter": rating.quarter},
            reason=reason.strip(),
        )
    return entry


def rating_entry_remove(*, actor: Any, entry: RatingEntry, reason: str) -> RatingEntry:
    """Take a project off the proposal on review (审定删除); the row stays, with the reason."""
    if not reason.strip():
        raise ProjectError(_("删除须写明理由"))
    with transaction.atomic():
        rating = QuarterRating.objects.select_for_update().get(pk=entry.rating_id)
        refuse(review_refusal(rating))
        entry = RatingEntry.objects.select_for_update().get(pk=entry.pk)
        if entry.removed:
            raise ProjectError(_("该项目已从名单中删除"))
        entry.removed = True
        entry.note = reason.strip()
        entry.save(update_fields=["removed", "note"])
        record_event(
            actor=actor,
            action="projects.rating.remove",
            obj=entry,
            after={"project": entry.project.code, "kind": entry.kind, "quarter": rating.quarter},
            reason=reason.strip(),
        )
    return entry


def publish_refusal(rating: QuarterRating) -> str | None:
    return review_refusal(rating)


def rating_publish(*, actor: Any, rating: QuarterRating) -> QuarterRating:
    """Publish the quarter's list; each snail gets its card (→ snail) and supervision item."""
    from saima.projects.cards.services import card_rated_snail
    from saima.projects.supervision.services import supervision_open

    with transaction.atomic():
        rating = QuarterRating.objects.select_for_update().get(pk=rating.pk)
        refuse(publish_refusal(rating))
        rating.status = RatingStatus.PUBLISHED
        rating.published_at = timezone.now()
        rating.published_by = actor if getattr(actor, "is_authenticated", False) else None
        rating.save(update_fields=["status", "published_at", "published_by"])
        snails = list(
            rating.entries.filter(kind=RatingKind.SNAIL, removed=False).select_related("project")
        )
        for entry in snails:
            card_rated_snail(actor=actor, entry=entry)
            supervision_open(actor=actor, entry=entry)
        record_event(
            actor=actor,
            action="projects.rating.publish",
            obj=rating,
            after={
                "quarter": rating.quarter,
                "red_flags": rating.entries.filter(kind=RatingKind.RED_FLAG, removed=False).count(),
                "snails": len(snails),
            },
        )
        publication_changed(kind="projects.rating", object_id=rating.pk)
    return rating
