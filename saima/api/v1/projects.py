"""Key projects (重点项目): lists and their projects, a project with its plan and reports, a
month's lights, quarterly ratings and cards (reads), and a project's monthly report (writes).

Reads show what the web shows the same user, every check through the predicates of
``saima.projects.permissions``: published lists, their projects, submitted reports (public
photos and problems only when marked public), published months of lights and published ratings
to everybody, no token needed; the rest only to tokens whose narrowed user the predicates admit.
Writes go through ``saima.projects.reporting.report_save``, the service behind the web's report
form, after the form itself (``ReportForm``) and ``report_problems`` have read the input: the
same bounds and messages, each naming its field; one transaction, under the project's lock,
with the service's audit event and an ``api.write`` event naming the token.
"""

from __future__ import annotations

from typing import Annotated, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema
from pydantic import Field

from saima.api.v1.auth import TOKEN, TOKEN_OR_ANONYMOUS, actor_of, request_token
from saima.api.v1.common import Limit, Offset, page
from saima.api.v1.errors import ApiProblem, ProblemItem, responses
from saima.api.v1.projects_schemas import (
    CardsOut,
    LightsOut,
    MonthlyReportIn,
    MonthlyReportWriteOut,
    ProjectDetail,
    ProjectListOut,
    ProjectListPage,
    ProjectPage,
    RatingsOut,
)
from saima.core.audit import record_event
from saima.core.workflow import Action
from saima.engine.progress import explain_light
from saima.projects import reporting
from saima.projects import selectors as project_selectors
from saima.projects.forms import ReportForm
from saima.projects.lights import selectors as light_selectors
from saima.projects.models import (
    Card,
    CardState,
    Category,
    LightRun,
    Milestone,
    MonthlyLight,
    MonthlyReport,
    Project,
    ProjectList,
    ReportStatus,
)
from saima.projects.permissions import (
    may_report,
    may_see_problems,
    may_see_project_page,
    may_view_card,
    may_view_list,
    may_view_photo,
    may_view_project,
    may_view_rating,
    may_watch_list,
)
from saima.projects.ratings import selectors as rating_selectors

router = Router(tags=["projects"], auth=TOKEN_OR_ANONYMOUS)

Code = Annotated[str, Path(max_length=60)]
Year = Annotated[int, Path(ge=2000, le=2100)]
Month = Annotated[int, Path(ge=1, le=12)]

# ---------------------------------------------------------------- lists and projects


def _visible_list(actor: Any, code: str) -> ProjectList:
    plist = ProjectList.objects.select_related("owner").filter(code=code).first()
    if plist is None or not may_view_list(actor, plist):
        raise Http404
    return plist


def _list_out(plist: ProjectList, actor: Any, projects: int) -> dict[str, Any]:
    return {
        "code": plist.code,
        "name": plist.name,
        "owner": plist.owner.code,
        "owner_name": plist.owner.name,
        "year": plist.year,
        "description": plist.description,
        "report_day": plist.report_day,
        "published": plist.published_at is not None,
        "published_at": plist.published_at,
        "projects": projects,
        "light_months": light_selectors.visible_months(
            plist, internal=may_watch_list(actor, plist)
        ),
    }


def _project_counts(lists: list[ProjectList]) -> dict[int, int]:
    return dict(
        ProjectList.objects.filter(pk__in=[p.pk for p in lists])
        .annotate(n=Count("memberships", filter=Q(memberships__removed_at__isnull=True)))
        .values_list("pk", "n")
    )


@router.get(
    "/project-lists",
    response=responses(ProjectListPage),
    url_name="project-lists",
    summary="Key-project lists (重点项目清单): published ones, and those of the caller's scope",
)
def list_project_lists(
    request: HttpRequest,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    actor = actor_of(request)
    lists = project_selectors.lists_for(actor)
    if year:
        lists = [p for p in lists if p.year == year]
    listed = page(lists, limit, offset)
    counts = _project_counts(listed["items"])
    return {**listed, "items": [_list_out(p, actor, counts.get(p.pk, 0)) for p in listed["items"]]}


@router.get(
    "/project-lists/{code}",
    response=responses(ProjectListOut, 404),
    url_name="project-list",
    summary="One key-project list",
)
def get_project_list(request: HttpRequest, code: Code) -> dict[str, Any]:
    actor = actor_of(request)
    plist = _visible_list(actor, code)
    return _list_out(plist, actor, _project_counts([plist]).get(plist.pk, 0))


def _project(project: Project) -> dict[str, Any]:
    return {
        "code": project.code,
        "name": project.name,
        "category": project.category,
        "category_name": project.get_category_display(),
        "owner_unit": project.owner_unit.code,
        "owner_unit_name": project.owner_unit.name,
        "locality": project.locality.code,
        "locality_name": project.locality.name,
        "total_investment": str(project.total_investment),
        "leader_name": project.leader_name,
    }


class ProjectFilters(Schema):
    locality: str | None = Field(
        None, max_length=32, description="Only projects in this city or county (its code)."
    )
    category: Category | None = Field(None, description="Only projects of this category.")
    q: str | None = Field(None, max_length=60, description="Code or name contains.")


@router.get(
    "/project-lists/{code}/projects",
    response=responses(ProjectPage, 404),
    url_name="project-list-projects",
    summary="The projects on a list now",
)
def list_list_projects(
    request: HttpRequest,
    code: Code,
    filters: Query[ProjectFilters],
    limit: Limit = 100,
    offset: Offset = 0,
) -> dict[str, Any]:
    plist = _visible_list(actor_of(request), code)
    projects = project_selectors.list_projects(
        plist,
        locality=filters.locality or "",
        category=filters.category or "",
        query=filters.q or "",
    )
    listed = page(projects, limit, offset)
    return {**listed, "items": [_project(p) for p in listed["items"]]}


def _visible_project(actor: Any, code: str) -> Project:
    project = Project.objects.select_related("owner_unit", "locality").filter(code=code).first()
    if project is None or not may_see_project_page(actor, project):
        raise Http404
    return project


def _plan(plan: Any) -> dict[str, Any]:
    return {
        "year": plan.year,
        "monthly": [str(v) for v in plan.monthly],
        "year_target": str(plan.year_target),
        "invested_before": str(plan.invested_before),
        **{
            f"planned_{m}": getattr(plan, f"planned_{m}")
            for m in ("signing", "land", "approval", "start", "completion")
        },
    }


def _report(report: MonthlyReport, actor: Any) -> dict[str, Any]:
    return {
        "year": report.year,
        "month": report.month,
        "status": report.status,
        "cumulative_investment": str(report.cumulative_investment),
        "physical_progress": str(report.physical_progress),
        "progress_note": report.progress_note,
        "problems": report.problems if may_see_problems(actor, report) else None,
        "problems_public": report.problems_public,
        "correction_reason": report.correction_reason,
        "late": report.late,
        "submitted_at": report.submitted_at,
        "photos": [
            {
                "id": p.pk,
                "caption": p.caption,
                "width": p.width,
                "height": p.height,
                "public": p.public,
            }
            for p in report.photos.all()
            if may_view_photo(actor, p)
        ],
    }


@router.get(
    "/projects/{code}",
    response=responses(ProjectDetail, 404),
    url_name="project",
    summary="One project: its lists, plans, milestones and monthly reports",
)
def get_project(request: HttpRequest, code: Code) -> dict[str, Any]:
    actor = actor_of(request)
    project = _visible_project(actor, code)
    reports = (
        MonthlyReport.objects.filter(project=project)
        .prefetch_related("photos")
        .select_related("project")
        .order_by("year", "month")
    )
    if not may_view_project(actor, project):
        reports = reports.filter(status=ReportStatus.SUBMITTED)
    return {
        **_project(project),
        "description": project.description,
        "site_private": project.site_private,
        "lists": [
            {
                "project_list": m.project_list.code,
                "list_name": m.project_list.name,
                "year": m.project_list.year,
                "added_at": m.added_at,
                "removed_at": m.removed_at,
            }
            for m in project_selectors.project_lists(project)
            if may_view_list(actor, m.project_list)
        ],
        "plans": [_plan(p) for p in project.plans.order_by("year")],
        "milestones": {m.milestone: m.reached_on for m in project.milestones.all()},
        "reports": [_report(r, actor) for r in reports],
    }


# ---------------------------------------------------------------- lights, ratings, cards

COLOURS = ("green", "yellow", "red", "grey")


@router.get(
    "/project-lists/{code}/lights/{month}",
    response=responses(LightsOut, 404),
    url_name="project-lights",
    summary="A month's lights (月亮灯) of a list: published months to everybody",
)
def get_lights(
    request: HttpRequest,
    code: Code,
    month: Month,
    locality: Annotated[str | None, Query(max_length=32)] = None,
) -> dict[str, Any]:
    actor = actor_of(request)
    plist = _visible_list(actor, code)
    if month not in light_selectors.visible_months(plist, internal=may_watch_list(actor, plist)):
        raise Http404
    run = (
        LightRun.objects.select_related("rule_version")
        .filter(project_list=plist, month=month, is_current=True)
        .get()
    )
    lights = (
        MonthlyLight.objects.filter(project_list=plist, month=month)
        .select_related("project__locality")
        .order_by("-light", "project__code")
    )
    if locality:
        lights = lights.filter(project__locality__path__contains=f"/{locality}/")
    items = [
        {
            "project": light.project.code,
            "name": light.project.name,
            "locality": light.project.locality.code,
            "locality_name": light.project.locality.name,
            "light": COLOURS[light.light],
            "reasons": list(explain_light(light.reasons)),
            "lag": light.lag,
            "planned_share": light.planned_share,
            "actual_share": light.actual_share,
            "spi": light.spi,
            "start_overdue": light.start_overdue,
            "completion_overdue": light.completion_overdue,
        }
        for light in lights
    ]
    return {
        "project_list": plist.code,
        "year": plist.year,
        "run": {
            "month": run.month,
            "rule_version": run.rule_version.version,
            "rules_digest": run.rule_version.digest,
            "inputs_digest": run.inputs_digest,
            "outputs_digest": run.outputs_digest,
            "computed_at": run.computed_at,
            "published_at": run.published_at,
        },
        "counts": {c: sum(1 for i in items if i["light"] == c) for c in COLOURS},
        "items": items,
    }


@router.get(
    "/project-lists/{code}/ratings",
    response=responses(RatingsOut, 404),
    url_name="project-ratings",
    summary="Quarterly ratings (季度通报): red flags and snails; published ones to everybody",
)
def get_ratings(request: HttpRequest, code: Code) -> dict[str, Any]:
    actor = actor_of(request)
    plist = _visible_list(actor, code)
    internal = may_watch_list(actor, plist)
    ratings = [
        r
        for _q, r in sorted(light_selectors.ratings_of(plist, internal=internal).items())
        if may_view_rating(actor, r)
    ]
    items = []
    for rating in ratings:
        entries = [
            e
            for kind in ("red_flag", "snail")
            for e in rating_selectors.entries(rating, kind, internal=internal)
        ]
        items.append(
            {
                "quarter": rating.quarter,
                "label": rating.label,
                "status": rating.status,
                "rule_version": rating.rule_version.version,
                "published_at": rating.published_at,
                "entries": [
                    {
                        "project": e.project.code,
                        "name": e.project.name,
                        "locality_name": e.project.locality.name,
                        "kind": e.kind,
                        "origin": e.origin,
                        "rank": e.rank,
                        "composite": e.composite,
                        "reasons": rating_selectors.entry_reasons(e),
                        "removed": e.removed,
                        "note": e.note if internal else "",
                    }
                    for e in entries
                ],
            }
        )
    return {"project_list": plist.code, "year": plist.year, "items": items}


@router.get(
    "/project-lists/{code}/cards",
    response=responses(CardsOut, 404),
    url_name="project-cards",
    summary="Yellow and red cards (黄牌警告、红牌退场) of a list: its watchers and the projects' own",
)
def get_cards(request: HttpRequest, code: Code) -> dict[str, Any]:
    actor = actor_of(request)
    plist = _visible_list(actor, code)
    cards = (
        Card.objects.filter(project_list=plist)
        .exclude(state=CardState.NONE)
        .select_related("project__locality", "project__owner_unit", "project_list__owner")
        .order_by("state", "project__code")
    )
    watcher = may_watch_list(actor, plist)
    items = [
        {
            "id": c.pk,
            "project": c.project.code,
            "name": c.project.name,
            "locality_name": c.project.locality.name,
            "state": c.state,
            "state_name": c.get_state_display(),
            "plan": c.plan,
            "deadline": f"{c.deadline_year}-{c.deadline_month:02d}"
            if c.deadline_year and c.deadline_month
            else None,
            "updated_at": c.updated_at,
        }
        for c in cards
        if watcher or may_view_card(actor, c)
    ]
    return {"project_list": plist.code, "items": items}


# ---------------------------------------------------------------- a monthly report (填报)

REPORT_PATH = "/projects/{code}/reports/{year}/{month}"


def _field(name: str) -> str | None:
    if name == "__all__":
        return None
    if name.startswith("milestone_"):
        return "milestones." + name.removeprefix("milestone_")[:40]
    return name


def _read(body: MonthlyReportIn) -> tuple[reporting.ReportInput, str]:
    """The body read by the web's own form (``ReportForm``): its fields, bounds and messages,
    a 422 naming each field at fault. Milestone codes the form does not know are kept, for
    ``report_problems`` to name them as it does for an import."""
    known = {c: d for c, d in body.milestones.items() if c in Milestone.values}
    data: dict[str, Any] = {
        "cumulative_investment": str(body.cumulative_investment),
        "physical_progress": str(body.physical_progress),
        "progress_note": body.progress_note,
        "problems": body.problems,
        "problems_public": "on" if body.problems_public else "",
        "correction_reason": body.correction_reason,
        "reason": body.reason,
        **{f"milestone_{c}": d.isoformat() for c, d in known.items()},
    }
    form = ReportForm(data, {})
    if not form.is_valid():
        raise ApiProblem(
            422,
            [
                ProblemItem(_field(name), e["code"] or "invalid", e["message"])
                for name, errors in form.errors.get_json_data().items()
                for e in errors
            ],
        )
    report_input = form.report_input()
    report_input.milestones = {**body.milestones, **report_input.milestones}
    return report_input, form.cleaned_data["reason"]


def _holds(project: Project, report: MonthlyReport | None, data: Any, submit: bool) -> bool:
    """Whether the stored report already is exactly what the request asks for (a repeated
    request is answered as the first was, and writes nothing)."""
    if report is None:
        return False
    wanted = (
        report.status == ReportStatus.SUBMITTED if submit else report.status == ReportStatus.DRAFT
    )
    if not wanted:
        return False
    for name, value in data.values().items():
        if getattr(report, name) != (value.strip() if isinstance(value, str) else value):
            return False
    reached = {m.milestone: m.reached_on for m in project.milestones.all()}
    return all(reached.get(code) == day for code, day in data.milestones.items())


def _write(
    request: HttpRequest, code: str, year: int, month: int, body: MonthlyReportIn, submit: bool
) -> dict[str, Any]:
    actor = actor_of(request)
    project = _visible_project(actor, code)
    if not may_report(actor, project):
        raise PermissionDenied(str(Action.forbidden))
    data, reason = _read(body)
    with transaction.atomic():
        locked = Project.objects.select_for_update().get(pk=project.pk)
        report = MonthlyReport.objects.filter(project=locked, year=year, month=month).first()
        changed = not _holds(locked, report, data, submit)
        if changed:
            previous = reporting.previous_report(locked, year, month)
            problems = reporting.report_problems(data, year=year, month=month, previous=previous)
            if problems:
                raise ApiProblem(
                    422,
                    [ProblemItem(_field(f), "invalid", m) for f, m in problems.items()],
                )
            report = reporting.report_save(
                actor=actor,
                project=locked,
                year=year,
                month=month,
                data=data,
                submit=submit,
                reason=reason,
            )
            record_event(
                actor=actor,
                action="api.write",
                obj=request_token(request),
                after={
                    "operation": "project_report.submit" if submit else "project_report.save",
                    "project": project.code,
                    "year": year,
                    "month": month,
                },
            )
    assert report is not None
    report = MonthlyReport.objects.prefetch_related("photos").get(pk=report.pk)
    return {**_report(report, actor), "project": project.code, "changed": changed}


@router.get(
    REPORT_PATH,
    response=responses(MonthlyReportWriteOut, 404),
    url_name="project-report",
    auth=TOKEN,
    summary="A project's monthly report: submitted ones, and drafts to the project's viewers",
)
def get_project_report(
    request: HttpRequest, code: Code, year: Year, month: Month
) -> dict[str, Any]:
    actor = actor_of(request)
    project = _visible_project(actor, code)
    report = (
        MonthlyReport.objects.filter(project=project, year=year, month=month)
        .prefetch_related("photos")
        .first()
    )
    if report is None or (
        report.status != ReportStatus.SUBMITTED and not may_view_project(actor, project)
    ):
        raise Http404
    return {**_report(report, actor), "project": project.code, "changed": False}


WRITE_RESPONSES = responses(MonthlyReportWriteOut, 400, 403, 404, 409, 413)


@router.put(
    REPORT_PATH,
    response=WRITE_RESPONSES,
    url_name="project-report",
    auth=TOKEN,
    summary="Save a project's monthly report as a draft (草稿)",
)
def save_project_report(
    request: HttpRequest, code: Code, year: Year, month: Month, payload: MonthlyReportIn
) -> dict[str, Any]:
    return _write(request, code, year, month, payload, submit=False)


@router.post(
    REPORT_PATH + "/submit",
    response=WRITE_RESPONSES,
    url_name="project-report-submit",
    auth=TOKEN,
    summary="Submit a project's monthly report (报送)",
)
def submit_project_report(
    request: HttpRequest, code: Code, year: Year, month: Month, payload: MonthlyReportIn
) -> dict[str, Any]:
    return _write(request, code, year, month, payload, submit=True)
