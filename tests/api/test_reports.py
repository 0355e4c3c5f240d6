"""Writing a unit's report through the API: the web's service, bounds, parser, messages and
audit; repeated requests write once; hostile input is refused naming the field."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.utils import timezone

from saima.api.models import ApiToken
from saima.core.audit import verify_chain
from saima.core.models import AuditEvent
from saima.org.models import Role
from saima.races.models import Report, ReportStatus
from saima.races.reporting import services as reporting
from saima.races.schemes import services as schemes
from tests.api.conftest import Api, issue, report_path
from tests.factories import SAMPLE_SCHEME


def _events(*actions: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action__in=actions).order_by("seq"))


def test_saving_a_draft_writes_through_the_service_and_audits_the_token(api, world):
    s = world.s
    before = AuditEvent.objects.count()
    response = api("reporter").put(
        report_path(s.open_period, s.unit_a), {"values": {"fai": "1,234.5"}}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "draft" and body["changed"] is True
    assert {v["code"]: v["value"] for v in body["values"]} == {"fai": 1234.5, "snails": None}
    save, write = AuditEvent.objects.order_by("seq")[before:]
    assert save.action == "races.report.save" and save.actor_id == s.users["reporter_a"].pk
    assert write.action == "api.write" and write.object_type == "api.apitoken"
    assert write.after == {
        "operation": "report.save",
        "period": s.open_period.pk,
        "unit": s.unit_a.code,
    }
    assert verify_chain().ok
    token = ApiToken.objects.get(prefix=world.tokens["reporter"].split("_")[1])
    assert token.use_count == 1 and token.last_used_at is not None
    assert response["Cache-Control"] == "private, no-store"


def test_the_same_request_again_changes_nothing(api, world):
    s = world.s
    path = report_path(s.open_period, s.unit_a) + "/submit"
    body = {"values": {"fai": 8.5, "snails": 0}}
    first = api("reporter").post(path, body)
    count = AuditEvent.objects.count()
    again = api("reporter").post(path, body)
    assert first.status_code == again.status_code == 200
    assert first.json()["changed"] is True and again.json()["changed"] is False
    assert again.json()["status"] == "submitted"
    assert AuditEvent.objects.count() == count
    changed = api("reporter").post(path, {"values": {"fai": 9, "snails": 0}})
    assert changed.status_code == 409
    assert (
        changed.json()["errors"][0]["message"] == "已报送的数据不能修改；如需修改，请联系组织者退回"
    )


def test_submitting_with_values_missing_is_refused_with_the_webs_message(api, world):
    s = world.s
    response = api("reporter").post(
        report_path(s.open_period, s.unit_a) + "/submit", {"values": {"fai": 8}}
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "values"
    assert error["message"] == "报送前请填写全部指标，尚缺：蜗牛项目数"
    assert Report.objects.get(pk=s.report.pk).status == ReportStatus.NOT_STARTED


def test_a_closed_period_refuses_with_409(api, world):
    s = world.s
    reporting.period_close(actor=s.users["organiser_a"], period=s.open_period)
    response = api("reporter").put(report_path(s.open_period, s.unit_a), {"values": {"fai": 1}})
    assert response.status_code == 409
    assert response.json()["errors"][0]["message"] == "本期填报已截止"


HOSTILE = [
    ({"fai": "=1+1"}, "values.fai", "not_number"),
    ({"fai": "@SUM(A1)"}, "values.fai", "not_number"),
    ({"fai": "１２"}, "values.fai", "non_ascii"),
    ({"fai": "١٢"}, "values.fai", "non_ascii"),
    ({"fai": "12,8"}, "values.fai", "grouping"),
    ({"fai": True}, "values.fai", "not_number"),
    ({"fai": {"a": 1}}, "values.fai", "not_number"),
    ({"fai": [1]}, "values.fai", "not_number"),
    ({"fai": 10**400}, "values.fai", "not_finite"),
    ({"fai": "inf"}, "values.fai", "not_finite"),
    ({"<script>": 1}, "values.<script>", "unknown_indicator"),
    ({"x" * 500: 1}, "values." + "x" * 59 + "…", "unknown_indicator"),
    # PostgreSQL refuses a NUL in text: a field error, never a server error
    ({"fai": "1\x00"}, "values.fai", "not_number"),
    ({"fai\x00": 1}, "values.fai\x00", "unknown_indicator"),
]


@pytest.mark.parametrize(("values", "field", "code"), HOSTILE)
def test_hostile_values_are_refused_naming_the_field(api, world, values, field, code):
    s = world.s
    count = AuditEvent.objects.count()
    response = api("reporter").put(report_path(s.open_period, s.unit_a), {"values": values})
    assert response.status_code == 422, response.content
    errors = response.json()["errors"]
    assert (errors[0]["field"], errors[0]["code"]) == (field, code)
    assert AuditEvent.objects.count() == count


def test_nan_in_the_body_is_refused(api, world):
    s = world.s
    client = api("reporter").client
    response = client.put(
        f"/api/v1{report_path(s.open_period, s.unit_a)}",
        '{"values": {"fai": NaN}}',
        content_type="application/json",
        headers=api("reporter").headers,
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "not_finite"


@pytest.mark.parametrize(
    "body", ["{not json", '{"values": 3}', '{"values": {"fai": 1}', "[]", '"x"', ""]
)
def test_malformed_bodies_get_a_json_error_not_a_500(api, world, body):
    s = world.s
    client = api("reporter")
    response = client.client.put(
        f"/api/v1{report_path(s.open_period, s.unit_a)}",
        body,
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code in (400, 422), response.content
    assert response.json()["errors"]


def test_a_huge_body_is_refused_before_it_is_read(api, world):
    s = world.s
    body = json.dumps({"values": {"fai": 1, "note": "x" * 300_000}})
    client = api("reporter")
    response = client.client.put(
        f"/api/v1{report_path(s.open_period, s.unit_a)}",
        body,
        content_type="application/json",
        headers=client.headers,
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


def test_another_units_code_in_the_path_is_not_found(api, world):
    s = world.s
    other = s.submitted.unit  # 淳安县, in the same period
    response = api("reporter").put(report_path(s.open_period, other), {"values": {"fai": 1}})
    assert response.status_code == 404
    assert Report.objects.get(pk=s.submitted.pk).status == ReportStatus.SUBMITTED


def test_messages_follow_accept_language(api, world):
    s = world.s
    response = api("reporter", language="en").put(
        report_path(s.open_period, s.unit_a), {"values": {"fai": "12,8"}}
    )
    assert response.status_code == 422
    assert "commas do not group thousands" in response.json()["errors"][0]["message"]
    assert api(language="en").get("/units").json()["errors"][0]["message"].startswith("A valid")


BOUNDED = SAMPLE_SCHEME.replace(
    'direction = "lower"\nweight = 1', 'direction = "lower"\nweight = 1\nmin = 0\ninteger = true'
)


def test_bounds_are_the_schemes_with_the_webs_wording(db, world):
    s = world.s
    organiser = s.users["organiser_a"]
    race = schemes.race_create(
        actor=organiser,
        code="hz-bounded",
        name="有界赛马",
        owner=s.city_a,
        scheme_toml=BOUNDED.format(group="hz-counties"),
    )
    period = reporting.period_open(
        actor=organiser,
        race=race,
        year=2026,
        number=4,
        deadline=timezone.now() + dt.timedelta(days=3),
    )
    client = Api(issue(s.users["reporter_a"], s.unit_a, [Role.REPORTER]))
    response = client.put(report_path(period, s.unit_a), {"values": {"fai": 1, "snails": -1.5}})
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "values.snails" and error["code"] == "bounds"
    assert (
        error["message"]
        == "「蜗牛项目数」不能小于 0（填的是 -1.5）；「蜗牛项目数」须为整数（填的是 -1.5）"
    )
