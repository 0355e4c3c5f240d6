"""Indicator races (指标赛马): races and their schemes, periods, results with explanations,
incentive regions (reads), and a unit's report for a period (writes).

Reads show what the web shows the same user: published results and the races and periods that
have one to everybody, no token needed; unpublished periods, results and reports only to tokens
whose narrowed user the races predicates admit (``saima.races.permissions``). Writes go through
``saima.races.reporting.services.report_save``, the service behind the web's report form, with
the same number parser, bounds and messages, in one transaction with its audit event and an
``api.write`` event naming the token.
"""

from __future__ import annotations

import dataclasses
from collections import Counter, defaultdict
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from pydantic import Field

from saima.api.v1.auth import TOKEN, TOKEN_OR_ANONYMOUS, actor_of, request_token
from saima.api.v1.common import Limit, Offset, page
from saima.api.v1.errors import ApiProblem, ProblemItem, problem, responses
from saima.api.v1.races_schemas import (
    IncentivesOut,
    OpenReportPage,
    PeriodOut,
    PeriodPage,
    RaceDetail,
    RacePage,
    ReportIn,
    ReportOut,
    ReportWriteOut,
    ResultDetail,
    ResultPage,
)
from saima.core.audit import record_event
from saima.core.tabular.importing import translated
from saima.core.tabular.numbers import parse_number
from saima.core.tabular.problems import CellError
from saima.core.workflow import Action
from saima.engine import Scheme
from saima.org.permissions import may_edit_unit_data
from saima.races.errors import RaceError
from saima.races.models import HEAVY, Period, Race, Report, ReportStatus, Result
from saima.races.permissions import (
    may_edit_report,
    may_manage_race,
    may_view_report,
    may_view_result,
    may_watch_race,
)
from saima.races.reporting import selectors as reporting_selectors
from saima.races.reporting import services as reporting
from saima.races.results import selectors as result_selectors
from saima.races.results.exports import kit_command
from saima.races.schemes.selectors import list_size, parse_scheme, value_problems

router = Router(tags=["races"], auth=TOKEN_OR_ANONYMOUS)

# ---------------------------------------------------------------- races and schemes


def _race(race: Race) -> dict[str, Any]:
    return {
        "code": race.code,
        "name": race.name,
        "owner": race.owner.code,
        "owner_name": race.owner.name,
        "cadence": race.cadence,
        "description": race.description,
        "reward_land_mu": str(race.reward_land_mu),
        "reward_funds_yuan": str(race.reward_funds_yuan),
        "objection_window_days": race.objection_window_days,
    }


def scheme_dict(scheme: Scheme) -> dict[str, Any]:
    top, bottom = list_size(scheme)
    return {
        "name": scheme.name,
        "method": dataclasses.asdict(scheme.method),
        "groups": [dataclasses.asdict(g) for g in scheme.groups],
        "sections": [dataclasses.asdict(s) for s in scheme.sections],
        "indicators": [dataclasses.asdict(i) for i in scheme.indicators],
        "lists": {"top": top, "bottom": bottom},
    }


def visible_races(actor: Any) -> list[Race]:
    """Races with a published result, and those the actor runs or watches (as on the web)."""
    public = set(reporting_selectors.races_public().values_list("pk", flat=True))
    races = Race.objects.select_related("owner").order_by("owner__path", "code")
    return [race for race in races if race.pk in public or may_watch_race(actor, race)]


def _visible_race(actor: Any, code: str) -> Race:
    race = next((r for r in visible_races(actor) if r.code == code), None)
    if race is None:
        raise Http404
    return race


@router.get("/races", response=responses(RacePage), url_name="races", summary="List races")
def list_races(request: HttpRequest, limit: Limit = 100, offset: Offset = 0) -> dict[str, Any]:
    races = visible_races(actor_of(request))
    return {**page(races, limit, offset), "items": [_race(r) for r in races[offset:][:limit]]}


@router.get(
    "/races/{code}",
    response=responses(RaceDetail, 404),
    url_name="race",
    summary="One race with its scheme (TOML and parsed)",
)
def get_race(request: HttpRequest, code: str) -> dict[str, Any]:
    race = _visible_race(actor_of(request), code)
    scheme = parse_scheme(race.scheme_toml)
    return {**_race(race), "scheme_toml": race.scheme_toml, "scheme": scheme_dict(scheme)}


@router.get(
    "/races/{code}/incentives",
    response=responses(IncentivesOut, 404),
    url_name="incentives",
    summary="Incentive regions (激励地区): listed units per period and cumulative rewards",
)
def get_incentives(request: HttpRequest, code: str) -> dict[str, Any]:
    actor = actor_of(request)
    race = _visible_race(actor, code)
    data = result_selectors.incentives(race)
    if not data["periods"] and not may_manage_race(actor, race):
        raise Http404
    return {
        "race": race.code,
        "land_mu_per_listing": str(data["land"]),
        "funds_yuan_per_listing": str(data["funds"]),
        "periods": [
            {
                "result": entry["result"].pk,
                "period": entry["result"].period.short_label,
                "units": [
                    {
                        "unit": r.unit.code,
                        "name": r.unit.name,
                        "group": r.group_code,
                        "rank": r.rank,
                    }
                    for r in entry["rows"]
                ],
            }
            for entry in data["periods"]
        ],
        "cumulative": [
            {
                "unit": e["unit"].code,
                "name": e["unit"].name,
                "times": e["times"],
                "periods": e["periods"],
                "land_mu": str(e["land"]),
                "funds_yuan": str(e["funds"]),
            }
            for e in data["cumulative"]
        ],
    }


# ---------------------------------------------------------------- periods


class PeriodFilters(Schema):
    race: str | None = Field(None, max_length=60, description="Only this race's periods (code).")
    year: int | None = Field(None, ge=2000, le=2100)
    status: str | None = Field(None, max_length=12, description="open, closed, computed, published")


def _visible_periods(actor: Any, races: list[Race]) -> Any:
    watched = [race for race in races if may_watch_race(actor, race)]
    current = Q(results__is_current=True)
    return (
        Period.objects.filter(Q(race__in=watched) | (Q(race__in=races) & current))
        .distinct()
        .select_related("race")
        .order_by("race__owner__path", "race__code", "-year", "-number")
    ), {race.pk for race in watched}


def _periods_out(periods: list[Period], watched: set[int]) -> list[dict[str, Any]]:
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for period_id, status, n in (
        Report.objects.filter(period__in=[p for p in periods if p.race_id in watched])
        .values_list("period_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts[period_id][status] = n
    current = dict(
        Result.objects.filter(period__in=periods, is_current=True).values_list("period_id", "pk")
    )
    return [
        {
            "id": p.pk,
            "race": p.race.code,
            "year": p.year,
            "number": p.number,
            "label": str(p.label),
            "short_label": p.short_label,
            "status": p.status,
            "deadline": p.deadline,
            "current_result": current.get(p.pk),
            "reports": dict(counts[p.pk]) if p.race_id in watched else None,
        }
        for p in periods
    ]


@router.get("/periods", response=responses(PeriodPage), url_name="periods", summary="List periods")
def list_periods(
    request: HttpRequest, filters: Query[PeriodFilters], limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    actor = actor_of(request)
    races = visible_races(actor)
    if filters.race:
        races = [r for r in races if r.code == filters.race]
    periods, watched = _visible_periods(actor, races)
    if filters.year:
        periods = periods.filter(year=filters.year)
    if filters.status:
        periods = periods.filter(status=filters.status)
    listed = page(periods, limit, offset)
    return {**listed, "items": _periods_out(listed["items"], watched)}


@router.get(
    "/periods/{period_id}",
    response=responses(PeriodOut, 404),
    url_name="period",
    summary="One period",
)
def get_period(request: HttpRequest, period_id: int) -> dict[str, Any]:
    actor = actor_of(request)
    periods, watched = _visible_periods(actor, visible_races(actor))
    period = periods.filter(pk=period_id).first()
    if period is None:
        raise Http404
    return _periods_out([period], watched)[0]


# ---------------------------------------------------------------- results


class ResultFilters(Schema):
    race: str | None = Field(None, max_length=60, description="Only this race's results (code).")
    period: int | None = Field(None, ge=1, le=2**31 - 1, description="Only this period's (id).")
    unit: str | None = Field(None, max_length=32, description="Only results ranking this unit.")
    current: bool = Field(False, description="Only the version in force of each period.")


def _result_summary(result: Result) -> dict[str, Any]:
    return {
        "id": result.pk,
        "race": result.period.race.code,
        "period": result.period_id,
        "period_label": str(result.period.label),
        "version": result.version,
        "is_current": result.is_current,
        "published_at": result.published_at,
        "supersedes": result.supersedes_id,
        "reason": result.reason,
        "digest": result.digest,
        "engine_version": result.engine_version,
        "explain": result.explain,
        "robustness_draws": result.robustness_draws,
        "seed": result.seed,
        "created_at": result.created_at,
    }


@router.get("/results", response=responses(ResultPage), url_name="results", summary="List results")
def list_results(
    request: HttpRequest, filters: Query[ResultFilters], limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    actor = actor_of(request)
    managed = reporting_selectors.races_managed_by(actor)
    results = (
        Result.objects.filter(Q(published_at__isnull=False) | Q(period__race__in=managed))
        .defer(*HEAVY, "scheme_toml")
        .select_related("period__race__owner")
        .order_by("period__race__code", "-period__year", "-period__number", "-version")
    )
    if filters.race:
        results = results.filter(period__race__code=filters.race)
    if filters.period:
        results = results.filter(period_id=filters.period)
    if filters.unit:
        results = results.filter(rows__unit__code=filters.unit)
    if filters.current:
        results = results.filter(is_current=True)
    listed = page(results, limit, offset)
    items = [r for r in listed["items"] if may_view_result(actor, r)]
    return {**listed, "items": [_result_summary(r) for r in items]}


class RowFilters(Schema):
    unit: str | None = Field(None, max_length=32, description="Only this unit's row.")
    group: str | None = Field(None, max_length=40, description="Only this group's rows.")


def _prefixed(row: dict[str, Any], prefix: str) -> dict[str, Any]:
    return {k[len(prefix) :]: v for k, v in row.items() if k.startswith(prefix)}


def result_rows(result: Result) -> list[dict[str, Any]]:
    """The result's rows as frozen (the kit's result.csv), each with its explanation."""
    inputs, outputs = result.inputs, result.outputs
    names = dict(zip(inputs["units"], inputs["names"], strict=True))
    values = {
        unit: dict(zip(inputs["indicators"], row, strict=True))
        for unit, row in zip(inputs["units"], inputs["values"], strict=True)
    }
    ties = outputs.get("tie_at_boundary") or [False] * len(outputs["rows"])
    return [
        {
            "unit": row["unit"],
            "name": names.get(row["unit"], ""),
            "group": row["group"],
            "score": row["score"],
            "rank": row["rank"],
            "selected": row["selected"],
            "tie_at_boundary": bool(tie),
            "values": values.get(row["unit"], {}),
            "sections": _prefixed(row, "section:"),
            "contributions": _prefixed(row, "contrib:"),
            "gaps": _prefixed(row, "gap:"),
            "gap_kinds": _prefixed(row, "gap_kind:"),
            "rank_median": row.get("rank_median"),
            "rank_p05": row.get("rank_p05"),
            "rank_p95": row.get("rank_p95"),
            "p_selected": row.get("p_selected"),
        }
        for row, tie in zip(outputs["rows"], ties, strict=True)
    ]


@router.get(
    "/results/{result_id}",
    response=responses(ResultDetail, 404),
    url_name="result",
    summary="One result with every unit's numbers and explanation (as in its verification kit)",
)
def get_result(request: HttpRequest, result_id: int, filters: Query[RowFilters]) -> dict[str, Any]:
    result = Result.objects.select_related("period__race__owner").filter(pk=result_id).first()
    if result is None or not may_view_result(actor_of(request), result):
        raise Http404
    rows = result_rows(result)
    if filters.unit:
        rows = [r for r in rows if r["unit"] == filters.unit]
    if filters.group:
        rows = [r for r in rows if r["group"] == filters.group]
    inputs = result.inputs
    return {
        **_result_summary(result),
        "scheme_toml": result.scheme_toml,
        "command": kit_command(result),
        "inputs": {k: inputs[k] for k in ("indicators", "units", "groups", "values")},
        "rows": rows,
        "excluded": result.excluded or [],
    }


# ---------------------------------------------------------------- a unit's report (填报)


def _report(actor: Any, period_id: int, unit_code: str) -> Report:
    report = (
        Report.objects.select_related("period__race__owner", "unit")
        .filter(period_id=period_id, unit__code=unit_code)
        .first()
    )
    if report is None or not may_view_report(actor, report):
        raise Http404
    return report


def _report_out(report: Report, actor: Any) -> dict[str, Any]:
    scheme = parse_scheme(report.period.race.scheme_toml)
    return {
        "period": report.period_id,
        "unit": report.unit.code,
        "unit_name": report.unit.name,
        "group": report.group_code,
        "status": report.status,
        "submitted_at": report.submitted_at,
        "verified_at": report.verified_at,
        "comment": report.comment,
        "editable": may_edit_report(actor, report),
        "values": [
            {
                "code": f.code,
                "name": f.name,
                "unit": f.unit,
                "value": f.value,
                "last": f.last,
                "bounds": f.bounds,
                "note": f.note,
            }
            for f in reporting_selectors.report_fields(report, scheme)
        ],
    }


REPORT_PATH = "/periods/{period_id}/reports/{unit_code}"


@router.get(
    "/reports",
    response=responses(OpenReportPage),
    url_name="open-reports",
    auth=TOKEN,
    summary="Reports of this token's units in periods open for reporting (待我填报)",
)
def list_open_reports(
    request: HttpRequest, race: str | None = None, limit: Limit = 100, offset: Offset = 0
) -> dict[str, Any]:
    reports = reporting_selectors.reporter_open_reports(actor_of(request))
    if race:
        reports = reports.filter(period__race__code=race)
    listed = page(reports, limit, offset)
    items = [
        {
            "period": r.period_id,
            "race": r.period.race.code,
            "year": r.period.year,
            "number": r.period.number,
            "period_label": str(r.period.label),
            "short_label": r.period.short_label,
            "deadline": r.period.deadline,
            "unit": r.unit.code,
            "unit_name": r.unit.name,
            "status": r.status,
        }
        for r in listed["items"]
    ]
    return {**listed, "items": items}


@router.get(
    REPORT_PATH,
    response=responses(ReportOut, 404),
    url_name="report",
    auth=TOKEN,
    summary="A unit's report for a period: status and values",
)
def get_report(request: HttpRequest, period_id: int, unit_code: str) -> dict[str, Any]:
    actor = actor_of(request)
    return _report_out(_report(actor, period_id, unit_code), actor)


def _shown(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def parse_values(scheme: Scheme, raw: dict[str, Any]) -> dict[str, float | None]:
    """Each value read by the imports' number rules and checked against its indicator's bounds:
    ``ApiProblem`` (422) naming every field at fault, with the web's messages."""
    known = set(scheme.codes)
    values: dict[str, float | None] = {}
    problems: list[ProblemItem] = []
    for key, value in raw.items():
        field = f"values.{_shown(key)}"
        if key not in known:
            message = _("未知指标：%(codes)s") % {"codes": _shown(key)}
            problems.append(ProblemItem(field, "unknown_indicator", message))
            continue
        try:
            values[key] = parse_number(value)
        except CellError as exc:
            problems.append(ProblemItem(field, exc.problem.code, translated(exc.problem)))
    for code, message in value_problems(scheme, values).items():
        problems.append(ProblemItem(f"values.{code}", "bounds", message))
    if problems:
        raise ApiProblem(422, problems)
    return {code: values.get(code) for code in scheme.codes}


def _holds(report: Report, values: dict[str, float | None], submit: bool) -> bool:
    """Whether ``report`` already holds exactly ``values`` in the state the request asks for
    (a repeated request is answered as the first was, and writes nothing)."""
    stored = {v.indicator: v.value for v in report.values.all()}
    if any(stored.get(code) != value for code, value in values.items()):
        return False
    if submit:
        return report.status in (ReportStatus.SUBMITTED, ReportStatus.VERIFIED)
    return report.status == ReportStatus.DRAFT


def _save(
    request: HttpRequest, period_id: int, unit_code: str, body: ReportIn, submit: bool
) -> dict[str, Any]:
    actor = actor_of(request)
    report = _report(actor, period_id, unit_code)
    if not may_edit_unit_data(actor, report.unit):
        raise PermissionDenied(str(Action.forbidden))
    values = parse_values(parse_scheme(report.period.race.scheme_toml), body.values)
    refusal: RaceError | None = None
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        changed = not _holds(locked, values, submit)
        if changed:
            try:
                with transaction.atomic():
                    reporting.report_save(actor=actor, report=locked, values=values, submit=submit)
                    record_event(
                        actor=actor,
                        action="api.write",
                        obj=request_token(request),
                        after={
                            "operation": "report.submit" if submit else "report.save",
                            "period": period_id,
                            "unit": report.unit.code,
                        },
                    )
            except RaceError as exc:
                refusal = exc
    report = _report(actor, period_id, unit_code)
    if refusal is not None:
        # Refused although the state allowed editing: the input was at fault (422); otherwise
        # the report's or period's state refused it (409). Either way the web's message.
        if may_edit_report(actor, report):
            raise problem(422, "refused", str(refusal), field="values")
        raise problem(409, "refused", str(refusal))
    return {**_report_out(report, actor), "changed": changed}


@router.put(
    REPORT_PATH,
    response=responses(ReportWriteOut, 400, 403, 404, 409, 413),
    url_name="report",
    auth=TOKEN,
    summary="Save the values as a draft (草稿)",
)
def save_report(
    request: HttpRequest, period_id: int, unit_code: str, payload: ReportIn
) -> dict[str, Any]:
    return _save(request, period_id, unit_code, payload, submit=False)


@router.post(
    REPORT_PATH + "/submit",
    response=responses(ReportWriteOut, 400, 403, 404, 409, 413),
    url_name="report-submit",
    auth=TOKEN,
    summary="Submit the values for verification (报送)",
)
def submit_report(
    request: HttpRequest, period_id: int, unit_code: str, payload: ReportIn
) -> dict[str, Any]:
    return _save(request, period_id, unit_code, payload, submit=True)
