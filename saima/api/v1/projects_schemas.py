"""The shapes the key-project router answers with (``saima.api.v1.projects``)."""

from __future__ import annotations

import datetime as dt

from ninja import Schema
from pydantic import Field

from saima.api.v1.common import PageMeta
from saima.projects.models import CardState, Category, RatingKind, RatingStatus, ReportStatus

# ---------------------------------------------------------------- lists and projects


class ProjectListOut(Schema):
    code: str
    name: str
    owner: str = Field(description="The organising unit's code.")
    owner_name: str
    year: int
    description: str
    report_day: int = Field(description="Reports fall due on this day of the next month.")
    published: bool
    published_at: dt.datetime | None
    projects: int = Field(description="Projects on the list now.")
    light_months: list[int] = Field(description="Months whose lights this caller may read.")


class ProjectListPage(PageMeta):
    items: list[ProjectListOut]


class ProjectOut(Schema):
    code: str
    name: str
    category: Category
    category_name: str
    owner_unit: str = Field(description="The responsible unit's code (责任单位).")
    owner_unit_name: str
    locality: str = Field(description="The locality's code (所在地).")
    locality_name: str
    total_investment: str = Field(description="Total investment (万元), as a decimal string.")
    leader_name: str


class ProjectPage(PageMeta):
    items: list[ProjectOut]


class PlanOut(Schema):
    year: int
    monthly: list[str] = Field(description="Planned investment of each month (万元), Jan–Dec.")
    year_target: str
    invested_before: str
    planned_signing: dt.date | None
    planned_land: dt.date | None
    planned_approval: dt.date | None
    planned_start: dt.date | None
    planned_completion: dt.date | None


class PhotoOut(Schema):
    id: int
    caption: str
    width: int
    height: int
    public: bool


class MonthlyReportOut(Schema):
    year: int
    month: int
    status: ReportStatus
    cumulative_investment: str = Field(description="Cumulative investment this year (万元).")
    physical_progress: str = Field(description="Physical progress (形象进度, %).")
    progress_note: str
    problems: str | None = Field(
        description="Problems to coordinate (需协调解决的问题): null when this caller may not "
        "see them (not marked public)."
    )
    problems_public: bool
    correction_reason: str
    late: bool
    submitted_at: dt.datetime | None
    photos: list[PhotoOut] = Field(description="The photos this caller may see.")


class MembershipOut(Schema):
    project_list: str
    list_name: str
    year: int
    added_at: dt.datetime
    removed_at: dt.datetime | None


class ProjectDetail(ProjectOut):
    description: str
    site_private: bool
    lists: list[MembershipOut]
    plans: list[PlanOut]
    milestones: dict[str, dt.date] = Field(description="Milestones reached (节点), by code.")
    reports: list[MonthlyReportOut] = Field(
        description="Monthly reports: submitted ones, and drafts to the project's viewers."
    )


# ---------------------------------------------------------------- lights, ratings, cards


class LightRunOut(Schema):
    month: int
    rule_version: int
    rules_digest: str
    inputs_digest: str
    outputs_digest: str
    computed_at: dt.datetime
    published_at: dt.datetime | None


class LightOut(Schema):
    project: str
    name: str
    locality: str
    locality_name: str
    light: str = Field(description="green, yellow, red or grey (not reported).")
    reasons: list[str] = Field(description="Reason codes, the decisive one first.")
    lag: float | None = Field(description="Percentage points behind plan.")
    planned_share: float
    actual_share: float | None
    spi: float | None
    start_overdue: int
    completion_overdue: int


class LightsOut(Schema):
    project_list: str
    year: int
    run: LightRunOut
    counts: dict[str, int]
    items: list[LightOut]


class RatingEntryOut(Schema):
    project: str
    name: str
    locality_name: str
    kind: RatingKind
    origin: str
    rank: int | None
    composite: float | None
    reasons: str
    removed: bool
    note: str


class RatingOut(Schema):
    quarter: int
    label: str
    status: RatingStatus
    rule_version: int
    published_at: dt.datetime | None
    entries: list[RatingEntryOut]


class RatingsOut(Schema):
    project_list: str
    year: int
    items: list[RatingOut]


class CardOut(Schema):
    id: int
    project: str
    name: str
    locality_name: str
    state: CardState
    state_name: str
    plan: str
    deadline: str | None = Field(description="Rectification deadline, YYYY-MM.")
    updated_at: dt.datetime


class CardsOut(Schema):
    project_list: str
    items: list[CardOut]


# ---------------------------------------------------------------- a monthly report (writes)


Amount = str | float | int


class MonthlyReportIn(Schema):
    cumulative_investment: Amount = Field(
        description="Cumulative investment this year (万元), ≥ 0; read as the web reads it "
        "(`1,234.5` is fine, `12,8` is refused) and rounded to cents."
    )
    physical_progress: Amount = Field(description="Physical progress (形象进度), 0–100 %.")
    progress_note: str = Field("", max_length=2000)
    problems: str = Field("", max_length=2000)
    problems_public: bool = False
    correction_reason: str = Field(
        "", max_length=500, description="Required when the cumulative investment falls."
    )
    milestones: dict[str, dt.date] = Field(
        default_factory=dict,
        description="Milestones reached (signing, land, approval, start, completion) → date.",
    )
    reason: str = Field(
        "", max_length=500, description="A correction of a submitted report: why (managers)."
    )


class MonthlyReportWriteOut(MonthlyReportOut):
    project: str
    changed: bool = Field(
        description="False when the report already held exactly this (nothing was written); "
        "always false on a read."
    )
