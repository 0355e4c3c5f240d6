"""Key projects and arena contests through the API: what each caller sees (no private photos,
problems only when public, unpublished months and ratings only to watchers, a contest only once
released), and a project's monthly report written through the web's form and service: the same
bounds and messages naming the field, 409 on the report's state, a repeat writing nothing."""

from __future__ import annotations

from decimal import Decimal

from saima.core.audit import verify_chain
from saima.core.models import AuditEvent
from saima.projects.models import MonthlyReport, ReportStatus

YEAR = 2026


def _path(world, month: int = 3) -> str:
    return f"/projects/{world.s.projects.project.code}/reports/{YEAR}/{month}"


def _errors(response) -> dict:
    return {e["field"]: e for e in response.json()["errors"]}


# ---------------------------------------------------------------- reads


def test_lists_hide_unpublished_ones_from_the_public(api, world):
    p = world.s.projects
    public = {i["code"] for i in api().get("/project-lists").json()["items"]}
    assert p.plist.code in public and p.quiet_list.code not in public
    organiser = {i["code"] for i in api("organiser").get("/project-lists").json()["items"]}
    assert {p.plist.code, p.quiet_list.code} <= organiser
    assert api("other_organiser").get(f"/project-lists/{p.quiet_list.code}").status_code == 404


def test_a_lists_projects_page_and_filter(api, world):
    p = world.s.projects
    path = f"/project-lists/{p.plist.code}/projects"
    body = api().get(path).json()
    assert body["count"] == 2 and {i["code"] for i in body["items"]} == {"HZ-001", "HZ-002"}
    one = api().get(path, limit=1, offset=1).json()
    assert one["count"] == 2 and len(one["items"]) == 1
    local = api().get(path, locality=p.project.locality.code).json()["items"]
    assert [i["code"] for i in local] == [p.project.code]
    assert api().get(path, category="no-such").status_code == 422


def test_a_project_shows_the_public_no_private_photo_no_draft_no_private_problem(api, world):
    p = world.s.projects
    public = api().get(f"/projects/{p.project.code}").json()
    assert [(r["month"], r["status"]) for r in public["reports"]] == [(1, "submitted")]
    january = public["reports"][0]
    assert january["problems"] is None
    assert [ph["id"] for ph in january["photos"]] == [p.public_photo.pk]
    assert public["milestones"] == {"signing": "2026-01-10"}
    mine = api("reporter").get(f"/projects/{p.project.code}").json()
    assert [(r["month"], r["status"]) for r in mine["reports"]] == [
        (1, "submitted"),
        (2, "draft"),
    ]
    assert mine["reports"][0]["problems"] == "征地拆迁需市里协调"
    assert {ph["id"] for ph in mine["reports"][0]["photos"]} == {p.photo.pk, p.public_photo.pk}


def test_lights_of_a_published_month_only_to_the_public(api, world):
    lt = world.s.lights
    published = api().get(f"/project-lists/{lt.plist.code}/lights/6").json()
    assert published["run"]["month"] == 6 and published["run"]["published_at"]
    assert sum(published["counts"].values()) == len(published["items"]) > 0
    assert all(i["reasons"] for i in published["items"])
    assert api().get(f"/project-lists/{lt.plist.code}/lights/7").status_code == 404
    computed = api("organiser").get(f"/project-lists/{lt.plist.code}/lights/7").json()
    assert computed["run"]["published_at"] is None
    listed = api().get(f"/project-lists/{lt.plist.code}").json()
    assert listed["light_months"] == [1, 2, 3, 4, 5, 6]


def test_ratings_published_to_all_proposed_to_watchers(api, world):
    lt = world.s.lights
    path = f"/project-lists/{lt.plist.code}/ratings"
    public = api().get(path).json()["items"]
    assert [(r["quarter"], r["status"]) for r in public] == [(1, "published")]
    assert any(e["kind"] == "snail" for e in public[0]["entries"])
    watched = api("organiser").get(path).json()["items"]
    assert [(r["quarter"], r["status"]) for r in watched] == [(1, "published"), (2, "proposed")]


def test_cards_to_watchers_not_to_the_public(api, world):
    lt = world.s.lights
    path = f"/project-lists/{lt.plist.code}/cards"
    assert api().get(path).json()["items"] == []
    states = {c["project"]: c["state"] for c in api("organiser").get(path).json()["items"]}
    assert states[lt.yellow_card.project.code] == "yellow_card"
    assert states[lt.snail_card.project.code] == "snail"


def test_contests_public_only_once_released(api, world):
    a = world.s.arena
    public = {c["id"] for c in api().get("/contests").json()["items"]}
    assert public == {a.released.pk}
    detail = api().get(f"/contests/{a.released.pk}").json()
    rows = detail["result"]["rows"]
    assert [r["rank"] for r in rows] == sorted(r["rank"] for r in rows) and rows
    assert set(rows[0]["methods"]) == {"mean", "trimmed", "standardised"}
    assert detail["result"]["judges"] == []  # judges' figures are not public
    assert detail["result"]["panels"] and detail["result"]["digest"]
    watched = api("organiser").get(f"/contests/{a.revealed.pk}").json()
    assert watched["released"] is False and watched["result"]["judges"]
    for contest in (a.revealed, a.running, a.draft):
        assert api().get(f"/contests/{contest.pk}").status_code == 404


# ---------------------------------------------------------------- a monthly report


def test_submitting_a_month_goes_through_the_service_and_audits_the_token(api, world):
    p = world.s.projects
    body = {
        "cumulative_investment": "160.5",
        "physical_progress": 15,
        "progress_note": '=HYPERLINK("http://x")',
        "milestones": {"land": "2026-03-02"},
    }
    response = api("reporter").post(_path(world) + "/submit", body)
    assert response.status_code == 200, response.content
    out = response.json()
    assert out["status"] == "submitted" and out["changed"] is True
    assert out["cumulative_investment"] == "160.50"
    report = MonthlyReport.objects.get(project=p.project, year=YEAR, month=3)
    assert report.status == ReportStatus.SUBMITTED
    assert report.cumulative_investment == Decimal("160.5")
    assert report.progress_note == body["progress_note"]  # stored as text, neutralised on export
    assert p.project.milestones.get(milestone="land").reached_on.isoformat() == "2026-03-02"
    submit = AuditEvent.objects.get(action="projects.report.submit", object_id=str(report.pk))
    write = AuditEvent.objects.filter(action="api.write").latest("seq")
    assert write.seq == submit.seq + 1
    assert write.after == {
        "operation": "project_report.submit",
        "project": p.project.code,
        "year": YEAR,
        "month": 3,
    }
    assert verify_chain().ok


def test_the_same_submission_again_writes_nothing(api, world):
    body = {"cumulative_investment": 170, "physical_progress": "16"}
    first = api("reporter").post(_path(world) + "/submit", body)
    count = AuditEvent.objects.count()
    again = api("reporter").post(_path(world) + "/submit", body)
    assert first.status_code == again.status_code == 200
    assert (first.json()["changed"], again.json()["changed"]) == (True, False)
    assert AuditEvent.objects.count() == count
    changed = api("reporter").post(_path(world) + "/submit", {**body, "physical_progress": 17})
    assert changed.status_code == 409
    assert "已报送" in changed.json()["errors"][0]["message"]


def test_a_draft_is_saved_and_changed(api, world):
    first = api("reporter").put(
        _path(world), {"cumulative_investment": 155, "physical_progress": 13}
    )
    second = api("reporter").put(
        _path(world), {"cumulative_investment": 158, "physical_progress": 13}
    )
    assert first.json()["status"] == second.json()["status"] == "draft"
    assert second.json()["changed"] is True and second.json()["cumulative_investment"] == "158.00"


def test_bounds_and_rules_are_the_forms_naming_each_field(api, world):
    response = api("reporter", "en").put(
        _path(world),
        {
            "cumulative_investment": "-1",
            "physical_progress": "101",
            "milestones": {"moon": "2026-01-01"},
        },
    )
    assert response.status_code == 422
    errors = _errors(response)
    assert {"cumulative_investment", "physical_progress"} <= set(errors)
    assert all(e["message"] for e in errors.values())
    text = api("reporter").put(
        _path(world), {"cumulative_investment": "十", "physical_progress": 1}
    )
    assert text.status_code == 422 and "cumulative_investment" in _errors(text)
    # below February's 150 without a reason: the rule's message, naming the month
    lower = api("reporter").put(
        _path(world), {"cumulative_investment": 100, "physical_progress": 14}
    )
    assert lower.status_code == 422
    assert "2月" in _errors(lower)["correction_reason"]["message"]
    moon = api("reporter").put(
        _path(world),
        {
            "cumulative_investment": 160,
            "physical_progress": 14,
            "milestones": {"moon": "2026-01-01"},
        },
    )
    assert moon.status_code == 422 and "milestones.moon" in _errors(moon)
    late = api("reporter").put(
        _path(world),
        {
            "cumulative_investment": 160,
            "physical_progress": 14,
            "milestones": {"start": "2026-04-01"},
        },
    )
    assert late.status_code == 422 and "milestones.start" in _errors(late)
    assert not MonthlyReport.objects.filter(project=world.s.projects.project, month=3).exists()


def test_a_future_month_and_a_bad_month_are_refused(api, world):
    body = {"cumulative_investment": 160, "physical_progress": 14}
    assert api("reporter").put(_path(world, 13), body).status_code == 422
    future = f"/projects/{world.s.projects.project.code}/reports/2099/1"
    assert api("reporter").put(future, body).status_code == 409


def test_others_may_not_write_a_projects_report(api, world):
    body = {"cumulative_investment": 160, "physical_progress": 14}
    for who in ("observer", "other_unit", "other_organiser", "narrowed"):
        assert api(who).put(_path(world), body).status_code == 403, who
    quiet = f"/projects/{world.s.projects.quiet_project.code}/reports/{YEAR}/3"
    assert api("other_unit").put(quiet, body).status_code == 404
    assert not MonthlyReport.objects.filter(project=world.s.projects.project, month=3).exists()


def test_hostile_input_is_refused_naming_the_field(api, world):
    hostile = [
        ({"cumulative_investment": "=1+1", "physical_progress": 1}, "cumulative_investment"),
        ({"cumulative_investment": "NaN", "physical_progress": 1}, "cumulative_investment"),
        ({"cumulative_investment": 160, "physical_progress": "1e400"}, "physical_progress"),
        (
            {
                "cumulative_investment": 160,
                "physical_progress": 1,
                "milestones": {"x" * 5000: "2026-01-01"},
            },
            "milestones." + "x" * 40,
        ),
        (
            {"cumulative_investment": 160, "physical_progress": 1, "problems": "问" * 2001},
            "problems",
        ),
        # PostgreSQL refuses a NUL in text: it must be the field's error, never a server error
        (
            {"cumulative_investment": 160, "physical_progress": 1, "progress_note": "进展\x00"},
            "progress_note",
        ),
        (
            {"cumulative_investment": 160, "physical_progress": 1, "problems": "\x00"},
            "problems",
        ),
        (
            {
                "cumulative_investment": 160,
                "physical_progress": 1,
                "milestones": {"start\x00": "2026-01-01"},
            },
            "milestones.start\x00",
        ),
    ]
    for body, field in hostile:
        response = api("reporter").put(_path(world), body)
        assert response.status_code == 422, (body, response.content)
        assert field in _errors(response), (field, response.json())
    assert api("reporter").request("PUT", _path(world), "not json").status_code == 400
    assert not MonthlyReport.objects.filter(project=world.s.projects.project, month=3).exists()
    # numbers as the web reads them: one parser (thousands separators), rounded to cents
    body = {"cumulative_investment": "1,160.126", "physical_progress": 1}
    assert api("reporter").put(_path(world), body).json()["cumulative_investment"] == "1160.13"


# ---------------------------------------------------------------- conduct awards


def test_award_rounds_only_published_with_their_awards(api, world):
    c = world.s.conduct
    items = api().get("/award-rounds").json()["items"]
    assert {r["id"] for r in items} == {c.published_round.pk}
    published = items[0]
    assert published["owner"] == c.published_round.owner.code
    kinds = {(a["kind"], a["unit"]) for a in published["awards"]}
    assert ("snail", c.rectification.unit.code) in kinds
    assert published["zero_harvest"] is False
    assert api("observer").get(f"/award-rounds/{c.open_round.pk}").status_code == 404
    assert api().get("/award-rounds", owner="no-such").json()["count"] == 0
    flags = api().get(f"/flags/{c.published_round.owner.code}").json()
    flag = published["flag"]
    assert [h["unit"] for h in flags["holders"]] == ([flag["unit"]] if flag else [])
    assert api().get("/flags/no-such").status_code == 404
