"""Findings one mechanism app hands to another without importing it: false accusations.

A clue decided as false accusation (诬告陷害, in ``saima.conduct``) is where a clarification case
(澄清正名, in ``saima.safeguards``) may start, and the clarification statistics count such
outcomes. The two apps may not import each other, so the conduct app registers a source in its
``ready()``::

    from saima.core.referrals import register_referral_source

    register_referral_source(false_accusation_findings)

where ``false_accusation_findings()`` returns a list of :class:`Referral`; the safeguards app
reads them all with :func:`false_accusations` (optionally for one person).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Referral:
    person_id: int  # the org.Person falsely accused
    ref: str  # "<app>.<model>:<pk>", e.g. "conduct.clue:12": stable, for links and dedup
    date: dt.date  # the day the finding was decided
    summary: str  # one line, for the clarification case's origin
    url: str = ""  # the internal page of the finding (its own permission checks apply)


ReferralSource = Callable[[int | None], list[Referral]]
_SOURCES: list[ReferralSource] = []


def register_referral_source(source: ReferralSource) -> None:
    """``source(person_id)`` lists false-accusation findings (about that person, or all when
    ``person_id`` is None)."""
    if source not in _SOURCES:
        _SOURCES.append(source)


def false_accusations(person_id: int | None = None) -> list[Referral]:
    """Every registered source's findings, newest first."""
    found = [referral for source in _SOURCES for referral in source(person_id)]
    return sorted(found, key=lambda r: (r.date, r.ref), reverse=True)
