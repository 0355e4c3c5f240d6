"""The shapes the indicator-race router answers with (``saima.api.v1.races``)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, WithJsonSchema

from saima.api.v1.common import PageMeta
from saima.races.models import Cadence, PeriodStatus, ReportStatus

# ---------------------------------------------------------------- schemes


class MethodOut(Schema):
    normalise: str
    scope: str
    weighting: str
    aggregate: str
    missing: str
    winsorise: float


class GroupOut(Schema):
    code: str
    name: str
    quota: int


class SectionOut(Schema):
    code: str
    name: str
    weight: float | None


class IndicatorOut(Schema):
    code: str
    name: str
    section: str
    direction: str
    weight: float
    unit: str
    target: float | None
    help: str
    min: float | None
    max: float | None
    integer: bool


class ListsOut(Schema):
    top: int = Field(description="Units on the red list (红榜) per group; 0: none.")
    bottom: int = Field(description="Units on the black list (黑榜) per group; 0: none.")


class SchemeOut(Schema):
    name: str
    method: MethodOut
    groups: list[GroupOut]
    sections: list[SectionOut]
    indicators: list[IndicatorOut]
    lists: ListsOut


# ---------------------------------------------------------------- races and periods


class RaceOut(Schema):
    code: str
    name: str
    owner: str = Field(description="The organising unit's code.")
    owner_name: str
    cadence: Cadence
    description: str
    reward_land_mu: str = Field(description="Land quota (亩) per listing, as a decimal string.")
    reward_funds_yuan: str = Field(description="Funds (元) per listing, as a decimal string.")
    objection_window_days: int


class RacePage(PageMeta):
    items: list[RaceOut]


class RaceDetail(RaceOut):
    scheme_toml: str = Field(description="The scheme exactly as stored (TOML).")
    scheme: SchemeOut


class ReportCounts(Schema):
    not_started: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    verified: int = 0


class PeriodOut(Schema):
    id: int
    race: str
    year: int
    number: int
    label: str
    short_label: str
    status: PeriodStatus
    deadline: dt.datetime
    current_result: int | None = Field(
        description="The published result in force (its id), or null."
    )
    reports: ReportCounts | None = Field(
        description="Reports by status: for the race's organisers and watchers only."
    )


class PeriodPage(PageMeta):
    items: list[PeriodOut]


# ---------------------------------------------------------------- results


class ResultOut(Schema):
    id: int
    race: str
    period: int
    period_label: str
    version: int
    is_current: bool
    published_at: dt.datetime | None
    supersedes: int | None
    reason: str = Field(description="Why this version corrects the one it supersedes.")
    digest: str = Field(description="SHA-256 of the frozen result (the kit's SHA256.txt).")
    engine_version: str
    explain: bool
    robustness_draws: int
    seed: int
    created_at: dt.datetime


class ResultPage(PageMeta):
    items: list[ResultOut]


class ResultRowOut(Schema):
    unit: str
    name: str
    group: str
    score: float
    rank: int
    selected: bool
    tie_at_boundary: bool
    values: dict[str, float | None] = Field(description="The frozen input, per indicator.")
    sections: dict[str, float | None] = Field(description="Section scores (分项得分).")
    contributions: dict[str, float | None] = Field(
        description="Each indicator's contribution to the score."
    )
    gaps: dict[str, float | None] = Field(
        description="The smallest change of each indicator that would change selection."
    )
    gap_kinds: dict[str, str]
    rank_median: float | None = None
    rank_p05: float | None = None
    rank_p95: float | None = None
    p_selected: float | None = Field(None, description="Share of weight draws selecting the unit.")


class ExcludedOut(Schema):
    unit: str
    name: str
    group: str = ""
    state: str = Field("", description="The report's status code when frozen.")
    status: str = Field("", description="That status in words.")


class InputsOut(Schema):
    indicators: list[str]
    units: list[str]
    groups: list[str]
    values: list[list[float | None]]


class ResultDetail(ResultOut):
    scheme_toml: str
    command: str = Field(description="The `saima rank` command that re-runs this result.")
    inputs: InputsOut = Field(description="The frozen input (the kit's data.csv).")
    rows: list[ResultRowOut]
    excluded: list[ExcludedOut] = Field(description="Units left out (not verified).")


# ---------------------------------------------------------------- incentive regions


class SelectedUnitOut(Schema):
    unit: str
    name: str
    group: str
    rank: int


class IncentivePeriodOut(Schema):
    result: int
    period: str
    units: list[SelectedUnitOut]


class IncentiveTotalOut(Schema):
    unit: str
    name: str
    times: int
    periods: list[str]
    land_mu: str
    funds_yuan: str


class IncentivesOut(Schema):
    race: str
    land_mu_per_listing: str
    funds_yuan_per_listing: str
    periods: list[IncentivePeriodOut]
    cumulative: list[IncentiveTotalOut]


# ---------------------------------------------------------------- reports (填报)

# A value as a program sends it: a JSON number, a string read by the imports' number rules
# ("1,234.5"; never "12,8" or full-width digits), or null for "not given".
ReportedNumber = Annotated[
    Any,
    WithJsonSchema({"anyOf": [{"type": "number"}, {"type": "string"}, {"type": "null"}]}),
]


class ReportIn(Schema):
    values: dict[str, ReportedNumber] = Field(
        description=(
            "Indicator code → value. Every indicator of the scheme is written: one left out is "
            "stored as not given."
        ),
        max_length=200,
    )


class ReportValueOut(Schema):
    code: str
    name: str
    unit: str
    value: float | None
    last: float | None = Field(description="The unit's value in the previous period.")
    bounds: str = Field(description="The accepted range in words (取值范围).")
    note: str = Field(description="The reviewer's note on this value.")


class ReportOut(Schema):
    period: int
    unit: str
    unit_name: str
    group: str
    status: ReportStatus
    submitted_at: dt.datetime | None
    verified_at: dt.datetime | None
    comment: str = Field(description="The reviewer's comment (审核意见).")
    editable: bool = Field(description="Whether this token may change the values now.")
    values: list[ReportValueOut]


class ReportWriteOut(ReportOut):
    changed: bool = Field(
        description="False when the report already held exactly these values in this state."
    )


class OpenReportOut(Schema):
    period: int
    race: str
    year: int
    number: int
    period_label: str
    short_label: str
    deadline: dt.datetime
    unit: str
    unit_name: str
    status: ReportStatus


class OpenReportPage(PageMeta):
    items: list[OpenReportOut]
