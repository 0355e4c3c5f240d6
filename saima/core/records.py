"""The person's record (干部档案): what every mechanism knows about one cadre, in one file.

The quarterly inspection and the annual assessment (季察年考) read one page per cadre: their
units' race results, arena contests, awards, the cards of projects they answer for, fault
tolerance decisions and clarifications. Core knows no app and the mechanism apps may not import
each other, so each app brings its own section. In its ``ready()``::

    from saima.core.records import register_record_section

    register_record_section("arena.contests", _("擂台赛"), contest_entries, order=20)

where ``contest_entries(person)`` takes an ``org.Person`` and returns a list of
:class:`RecordEntry`. The page and the XLSX export (in ``saima.safeguards``) call
:func:`record_of`, which runs every section in ``order``.

An entry that counts against the person in assessment (a snail award, a red card, a
substantiated clue) has ``negative=True``. Its ``ref`` (``"<app>.<model>:<pk>"``) is what a
fault-tolerance decision names when it covers that error; :func:`record_of` then marks the entry
``tolerated`` and exports leave it out of the negative assessment items.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from django.utils.functional import Promise


@dataclass(frozen=True)
class RecordEntry:
    ref: str  # "<app>.<model>:<pk>", stable: what a tolerance decision names
    when: dt.date | None
    title: str  # what happened, e.g. "2026年第3季度 蜗牛项目：XX大道改造工程"
    outcome: str = ""  # the decision or score, e.g. "黄牌（整改期限 2026-12-31）"
    negative: bool = False  # counts against the person in assessment
    tolerated: bool = False  # set by record_of when a tolerance decision covers ``ref``
    url: str = ""  # the internal page where the entry comes from


RecordSource = Callable[[Any], list[RecordEntry]]
ToleratedRefs = Callable[[Any], set[str]]


@dataclass(frozen=True)
class RecordSection:
    key: str
    label: str | Promise
    entries: list[RecordEntry]


_SECTIONS: dict[str, tuple[int, str | Promise, RecordSource]] = {}
_TOLERATED: list[ToleratedRefs] = []


def register_record_section(
    key: str, label: str | Promise, source: RecordSource, *, order: int = 100
) -> None:
    """Add (or replace) the section called ``key``; ``source(person)`` lists its entries."""
    _SECTIONS[key] = (order, label, source)


def register_tolerated_refs(source: ToleratedRefs) -> None:
    """``source(person)`` returns the refs of entries a fault-tolerance decision covers."""
    if source not in _TOLERATED:
        _TOLERATED.append(source)


def record_of(person: Any) -> list[RecordSection]:
    tolerated: set[str] = set()
    for tolerated_refs in _TOLERATED:
        tolerated |= tolerated_refs(person)
    sections = []
    for key, (_order, label, source) in sorted(_SECTIONS.items(), key=lambda item: item[1][0]):
        entries = [
            replace(entry, tolerated=True) if entry.ref in tolerated else entry
            for entry in source(person)
        ]
        sections.append(RecordSection(key=key, label=label, entries=entries))
    return sections
