"""What a mechanism's section gives the portal (公开门户的栏目).

Each mechanism app that publishes is one module in this package exposing a ``Section``: the
block it adds to the front page, its entries in the archive by period, its open-data tables,
its publications for the Atom feed, and its own pages. The portal's frame asks every section
and shows what exists; a section with nothing published adds nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver
from django.utils.functional import Promise


@dataclass(frozen=True)
class ArchiveEntry:
    """One published thing in the archive, filed under its year and period."""

    year: int
    order: tuple[int, ...]  # sorts the entries of one year, newest first when reversed
    period_label: str
    title: str
    url: str
    published_at: dt.datetime | None
    note: str = ""
    kit_url: str = ""  # the verification kit (data, scheme, command) where there is one


@dataclass(frozen=True)
class Dataset:
    """A published table as open data: the same rows as CSV and as JSON."""

    title: str
    period_label: str
    published_at: dt.datetime | None
    digest: str
    page_url: str
    csv_url: str
    json_url: str


@dataclass(frozen=True)
class Publication:
    """An entry of the Atom feed: a result published or corrected."""

    key: str  # stable, unique within the portal (the entry's id is built from it)
    title: str
    url: str
    published_at: dt.datetime
    summary: str


@dataclass(frozen=True)
class Section:
    code: str
    title: str | Promise
    front_template: str
    front: Callable[[], dict[str, Any] | None]  # None: nothing published, no block
    archive: Callable[[], list[ArchiveEntry]]
    datasets: Callable[[], list[Dataset]]
    publications: Callable[[int], list[Publication]]  # the newest ``limit``
    pages: Sequence[URLPattern | URLResolver]  # under /<language>/portal/<code>/
    data: Sequence[URLPattern | URLResolver]  # under /data/<code>/ (no language)
