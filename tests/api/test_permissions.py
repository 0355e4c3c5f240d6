"""The permission matrix over every API operation: who gets what (issue 12 §4).

Each operation of the OpenAPI schema is tried by every kind of caller: no token, an expired, a
revoked and a malformed token, tokens of another unit (a reporter and an organiser of 丽水市),
an organiser's token narrowed to another county (淳安县), a discipline officer's (reads, never
writes), and the right reporter's and organiser's. ``test_every_operation_is_in_the_matrix``
fails when an operation is added without a row here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest

from saima.api.v1.api import api as ninja_api
from tests.api.conftest import report_path
from tests.factories import SampleObjects

CALLERS = (
    "anonymous",
    "expired",
    "revoked",
    "malformed",
    "other_unit",
    "other_organiser",
    "narrowed",
    "observer",
    "reporter",
    "organiser",
)
BAD_TOKENS = {"expired": 401, "revoked": 401, "malformed": 401}
BODY = {"values": {"fai": "8.5", "snails": 0}}


@dataclass(frozen=True)
class Row:
    """One sample of an operation and the status each caller gets (``default`` otherwise)."""

    method: str
    template: str  # the schema's path, without /api/v1
    path: Callable[[SampleObjects], str]
    default: int
    answers: dict[str, int] = field(default_factory=dict)
    body: dict[str, Any] | None = None

    def expected(self, caller: str) -> int:
        return {**BAD_TOKENS, **self.answers}.get(caller, self.default)


def public(template: str, path: Callable[[SampleObjects], str]) -> Row:
    return Row("GET", template, path, 200)


def token_only(template: str, path: Callable[[SampleObjects], str]) -> Row:
    """The directory: any valid token (every signed-in user reads it on the web)."""
    return Row("GET", template, path, 200, {"anonymous": 401})


def managers_only(template: str, path: Callable[[SampleObjects], str], *also: str) -> Row:
    """Unpublished: the race's organisers (and ``also``) see it, others get 404."""
    answers = {"organiser": 200, **dict.fromkeys(also, 200)}
    return Row("GET", template, path, 404, answers)


REPORT = "/periods/{period_id}/reports/{unit_code}"
WRITE = {"anonymous": 401, "reporter": 200, "organiser": 200, "observer": 403}

MATRIX: dict[str, Row] = {
    "units": token_only("/units", lambda s: "/units"),
    "unit": token_only("/units/{code}", lambda s: f"/units/{s.unit_a.code}"),
    "peer-groups": token_only("/peer-groups", lambda s: "/peer-groups"),
    "races": public("/races", lambda s: "/races"),
    "race[published]": public("/races/{code}", lambda s: f"/races/{s.race.code}"),
    "race[unpublished]": managers_only(
        "/races/{code}", lambda s: f"/races/{s.quiet_race.code}", "observer"
    ),
    "incentives[published]": public(
        "/races/{code}/incentives", lambda s: f"/races/{s.race.code}/incentives"
    ),
    "incentives[unpublished]": managers_only(
        "/races/{code}/incentives", lambda s: f"/races/{s.quiet_race.code}/incentives"
    ),
    "periods": public("/periods", lambda s: "/periods"),
    "period[published]": public(
        "/periods/{period_id}", lambda s: f"/periods/{s.published_period.pk}"
    ),
    "period[open]": managers_only(
        "/periods/{period_id}", lambda s: f"/periods/{s.open_period.pk}", "observer"
    ),
    "results": public("/results", lambda s: "/results"),
    "result[published]": public("/results/{result_id}", lambda s: f"/results/{s.published.pk}"),
    "result[unpublished]": managers_only(
        "/results/{result_id}", lambda s: f"/results/{s.unpublished.pk}"
    ),
    "open-reports": token_only("/reports", lambda s: "/reports"),
    "period-reports": Row(
        "GET",
        "/periods/{period_id}/reports",
        lambda s: f"/periods/{s.open_period.pk}/reports",
        404,
        {"anonymous": 401, "organiser": 200, "observer": 200},
    ),
    "report": Row(
        "GET",
        REPORT,
        lambda s: report_path(s.open_period, s.unit_a),
        404,
        {"anonymous": 401, "reporter": 200, "organiser": 200, "observer": 200},
    ),
    "report[save]": Row(
        "PUT", REPORT, lambda s: report_path(s.open_period, s.unit_a), 404, WRITE, BODY
    ),
    "report-submit": Row(
        "POST",
        REPORT + "/submit",
        lambda s: report_path(s.open_period, s.unit_a) + "/submit",
        404,
        WRITE,
        BODY,
    ),
}


PROJECT_BODY = {"cumulative_investment": "160", "physical_progress": 15}
PROJECT_REPORT = "/projects/{code}/reports/{year}/{month}"
# the project is on a published list: everybody sees it, only its reporters write (403 else)
PROJECT_WRITE = {"anonymous": 401, "reporter": 200, "organiser": 200}


def _project_report(s: SampleObjects) -> str:
    return f"/projects/{s.projects.project.code}/reports/2026/3"


MATRIX |= {
    "project-lists": public("/project-lists", lambda s: "/project-lists"),
    "project-list[published]": public(
        "/project-lists/{code}", lambda s: f"/project-lists/{s.projects.plist.code}"
    ),
    "project-list[unpublished]": managers_only(
        "/project-lists/{code}",
        lambda s: f"/project-lists/{s.projects.quiet_list.code}",
        "observer",
    ),
    "project-list-projects[published]": public(
        "/project-lists/{code}/projects",
        lambda s: f"/project-lists/{s.projects.plist.code}/projects",
    ),
    "project-list-projects[unpublished]": managers_only(
        "/project-lists/{code}/projects",
        lambda s: f"/project-lists/{s.projects.quiet_list.code}/projects",
        "observer",
    ),
    "project[published]": public(
        "/projects/{code}", lambda s: f"/projects/{s.projects.project.code}"
    ),
    "project[unpublished]": managers_only(
        "/projects/{code}",
        lambda s: f"/projects/{s.projects.quiet_project.code}",
        "observer",
        "reporter",
    ),
    "project-lights[published]": public(
        "/project-lists/{code}/lights/{month}",
        lambda s: f"/project-lists/{s.lights.plist.code}/lights/6",
    ),
    "project-lights[computed]": managers_only(
        "/project-lists/{code}/lights/{month}",
        lambda s: f"/project-lists/{s.lights.plist.code}/lights/7",
        "observer",
    ),
    "project-ratings": public(
        "/project-lists/{code}/ratings", lambda s: f"/project-lists/{s.lights.plist.code}/ratings"
    ),
    "project-ratings[unpublished list]": managers_only(
        "/project-lists/{code}/ratings",
        lambda s: f"/project-lists/{s.lights.quiet.code}/ratings",
        "observer",
    ),
    "project-cards": public(
        "/project-lists/{code}/cards", lambda s: f"/project-lists/{s.lights.plist.code}/cards"
    ),
    "project-report[draft]": Row(
        "GET",
        PROJECT_REPORT,
        lambda s: f"/projects/{s.projects.project.code}/reports/2026/2",
        404,
        {"anonymous": 401, "reporter": 200, "organiser": 200, "observer": 200},
    ),
    "project-report[submitted]": Row(
        "GET",
        PROJECT_REPORT,
        lambda s: f"/projects/{s.projects.project.code}/reports/2026/1",
        200,
        {"anonymous": 401},
    ),
    "project-report[save]": Row(
        "PUT", PROJECT_REPORT, _project_report, 403, PROJECT_WRITE, PROJECT_BODY
    ),
    "project-report-submit": Row(
        "POST",
        PROJECT_REPORT + "/submit",
        lambda s: _project_report(s) + "/submit",
        403,
        PROJECT_WRITE,
        PROJECT_BODY,
    ),
    "award-rounds": public("/award-rounds", lambda s: "/award-rounds"),
    "award-round[published]": public(
        "/award-rounds/{round_id}", lambda s: f"/award-rounds/{s.conduct.published_round.pk}"
    ),
    "award-round[open]": Row(
        "GET",
        "/award-rounds/{round_id}",
        lambda s: f"/award-rounds/{s.conduct.open_round.pk}",
        404,
    ),
    "flag-holders": public("/flags/{owner}", lambda s: f"/flags/{s.city_a.code}"),
    "contests": public("/contests", lambda s: "/contests"),
    "contest[released]": public(
        "/contests/{contest_id}", lambda s: f"/contests/{s.arena.released.pk}"
    ),
    "contest[revealed]": managers_only(
        "/contests/{contest_id}", lambda s: f"/contests/{s.arena.revealed.pk}", "observer"
    ),
    "contest[running]": Row(
        "GET", "/contests/{contest_id}", lambda s: f"/contests/{s.arena.running.pk}", 404
    ),
}


MATRIX |= {
    "bulletins": public("/bulletins", lambda s: "/bulletins"),
    "bulletin[published]": public(
        "/bulletins/{bulletin_id}", lambda s: f"/bulletins/{s.bulletin_published.pk}"
    ),
    # a draft is in nobody's API, its organisers' included (they read it on the web)
    "bulletin[draft]": Row(
        "GET", "/bulletins/{bulletin_id}", lambda s: f"/bulletins/{s.bulletin_draft.pk}", 404
    ),
    "clarification-notices": public("/clarification-notices", lambda s: "/clarification-notices"),
    "clarification-notice[public]": public(
        "/clarification-notices/{notice_id}",
        lambda s: f"/clarification-notices/{s.safeguards.public.pk}",
    ),
    # verified, no consent, not published: nobody reads it here (discipline officers: the web)
    "clarification-notice[not public]": Row(
        "GET",
        "/clarification-notices/{notice_id}",
        lambda s: f"/clarification-notices/{s.safeguards.verified.pk}",
        404,
    ),
}


def test_every_operation_is_in_the_matrix():
    schema = ninja_api.get_openapi_schema()
    operations = {
        (method.upper(), path.removeprefix("/api/v1"))
        for path, item in schema["paths"].items()
        for method in item
    }
    covered = {(row.method, row.template) for row in MATRIX.values()}
    assert operations == covered


CASES = [(name, caller) for name in MATRIX for caller in CALLERS]


@pytest.mark.parametrize(("name", "caller"), CASES, ids=[f"{n}-{c}" for n, c in CASES])
def test_an_operation_answers_each_caller_as_declared(api, world, name, caller):
    row = MATRIX[name]
    client = api(None if caller == "anonymous" else caller)
    response = client.request(row.method, row.path(world.s), row.body)
    assert response.status_code == row.expected(caller), response.content.decode()
    if response.status_code != 200:
        errors = response.json()["errors"]
        assert errors and all(e["message"] for e in errors)


def test_lists_hide_what_the_caller_may_not_see(api, world):
    s = world.s
    public_results = {r["id"] for r in api().get("/results").json()["items"]}
    organiser_results = {r["id"] for r in api("organiser").get("/results").json()["items"]}
    assert s.published.pk in public_results
    assert {s.unpublished.pk, s.correction.pk}.isdisjoint(public_results)
    assert {s.published.pk, s.unpublished.pk, s.correction.pk} <= organiser_results
    assert s.unpublished.pk not in {
        r["id"] for r in api("other_organiser").get("/results").json()["items"]
    }

    public_periods = {p["id"] for p in api().get("/periods").json()["items"]}
    assert public_periods == {s.published_period.pk}
    watched = {p["id"]: p for p in api("observer").get("/periods").json()["items"]}
    assert s.open_period.pk in watched and watched[s.open_period.pk]["reports"]["submitted"] == 1
    assert api().get("/periods").json()["items"][0]["reports"] is None

    public_races = {r["code"] for r in api().get("/races").json()["items"]}
    assert public_races == {s.race.code}
    assert s.quiet_race.code in {r["code"] for r in api("organiser").get("/races").json()["items"]}


def test_a_narrowed_token_does_less_than_its_user(api, world):
    s = world.s
    path = report_path(s.open_period, s.unit_a)
    assert api("organiser").get(path).status_code == 200
    assert api("narrowed").get(path).status_code == 404
    assert api("narrowed").put(path, BODY).status_code == 404


def test_open_reports_are_the_token_units_own(api, world):
    s = world.s
    mine = api("reporter").get("/reports").json()["items"]
    assert [(r["period"], r["unit"]) for r in mine] == [(s.open_period.pk, s.unit_a.code)]
    assert api("other_unit").get("/reports").json()["items"] == []


def test_a_periods_reports_list_every_unit_with_its_status(api, world):
    s = world.s
    path = f"/periods/{s.open_period.pk}/reports"
    items = api("observer").get(path).json()["items"]
    assert {(r["unit"], r["status"]) for r in items} >= {
        (s.unit_a.code, "not_started"),
        (s.submitted.unit.code, "submitted"),
    }
    submitted = api("organiser").get(path, status="submitted").json()["items"]
    assert [r["unit"] for r in submitted] == [s.submitted.unit.code]
