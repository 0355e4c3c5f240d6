"""``saima verify`` for conduct: evidence unchanged since it was received, and every published
award and closed item still resting on what it claims."""

from __future__ import annotations

import hashlib

from saima.conduct.models import (
    Award,
    AwardKind,
    ClueEvidence,
    ClueStatus,
    Rectification,
    RectificationStatus,
)


def conduct_problems() -> list[str]:
    problems = []
    for evidence in ClueEvidence.objects.iterator(chunk_size=200):
        if hashlib.sha256(bytes(evidence.content)).hexdigest() != evidence.sha256:
            problems.append(
                f"线索 #{evidence.clue_id} 证据 {evidence.number}: content does not match the "
                "SHA-256 recorded when it was received"
            )
    snails = Award.objects.filter(kind=AwardKind.SNAIL).select_related("clue", "round")
    for award in snails:
        if award.clue is None or award.clue.status != ClueStatus.SUBSTANTIATED:
            problems.append(f"{award.round} 蜗牛奖 #{award.pk}: its clue is not substantiated")
    closed = Rectification.objects.filter(status=RectificationStatus.CLOSED)
    for item in closed.filter(closed_by__isnull=True) | closed.filter(reported_on__isnull=True):
        problems.append(f"整改事项 #{item.pk}: closed without a report and a verifier")
    return problems
