"""The shapes the arena router answers with (``saima.api.v1.arena``)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from saima.api.v1.common import PageMeta
from saima.arena.models import ContestLevel, Method


class ContestOut(Schema):
    id: int
    title: str
    date: dt.date
    venue: str
    level: ContestLevel
    owner: str = Field(description="The organising unit's code.")
    owner_name: str
    series: str | None
    method: Method = Field(description="The official method: mean, trimmed or standardised.")
    released: bool = Field(description="Revealed and released to the public (向社会公布).")
    revealed_at: dt.datetime | None
    released_at: dt.datetime | None


class ContestPage(PageMeta):
    items: list[ContestOut]


class MethodFigures(Schema):
    score: float | None
    rank: int
    panels: dict[str, float | None]


class ContestRowOut(Schema):
    contestant: int
    unit: str
    unit_name: str
    presenter: str | None = Field(description="The presenting head (陈述人), if named.")
    topic: str
    position: int | None = Field(description="Order on stage (出场顺序).")
    rank: int = Field(description="Official rank (ties share a rank).")
    score: float | None = Field(description="Official score.")
    top_marks: int = Field(description="Full marks received (the tie-break's last step).")
    panels: dict[str, float | None] = Field(description="Official score by panel.")
    criteria: dict[str, float | None] = Field(description="Official score by criterion.")
    methods: dict[str, MethodFigures] = Field(
        description="Score, rank and panel scores under every method (mean, trimmed, "
        "standardised), for comparison with the official one."
    )


class CriterionOut(Schema):
    code: str
    name: str
    maximum: float
    weight: float


class PanelOut(Schema):
    code: str
    name: str
    weight: float
    kendall_w: float | None = Field(description="Kendall's W of the panel's judges (agreement).")
    judges_in_w: int | None


class JudgeOut(Schema):
    seat: int
    name: str
    panel: str
    spearman: float | None = Field(description="Leave-one-out Spearman ρ with the panel.")
    outlier: bool


class ContestResultOut(Schema):
    version: int
    method: Method
    engine_version: str
    digest: str = Field(description="SHA-256 of the frozen inputs and outputs.")
    created_at: dt.datetime
    partial: bool = Field(description="Only the caller's own contestants' lines are shown.")
    criteria: list[CriterionOut]
    panels: list[PanelOut]
    judges: list[JudgeOut] = Field(
        description="Judges' figures: the contest's managers, and its watchers after reveal."
    )
    rows: list[ContestRowOut] = Field(description="In official rank order.")


class ContestDetail(ContestOut):
    result: ContestResultOut
