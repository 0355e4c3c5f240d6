"""The structured scheme editor on 方案与设置: edits reach the stored scheme through the audited
service; every refusal names its row and field and stores nothing; only the race's organisers
may use it; the effective weights shown are the engine's."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import reverse

from saima.core.models import AuditEvent
from saima.engine import Scheme, scheme_to_toml
from saima.races.errors import RaceError
from saima.races.models import Race
from saima.races.schemes import services as scheme_services
from saima.races.schemes.selectors import parse_scheme
from saima.races.schemes.services import RACE_SETTINGS
from tests.races.conftest import RaceWorld

SETTINGS = RACE_SETTINGS


def form_data(race: Race, reason: str = "") -> dict[str, Any]:
    """What the page posts when the organiser changes nothing (plus ``reason``)."""
    race = Race.objects.get(pk=race.pk)
    scheme = parse_scheme(race.scheme_toml)
    data: dict[str, Any] = {"mode": "structured", "reason": reason}
    data.update({f: getattr(race, f) for f in SETTINGS})
    m = scheme.method
    lists = scheme.extra.get("lists", {})
    data.update(
        {
            "m-name": scheme.name,
            "m-normalise": m.normalise,
            "m-weighting": m.weighting,
            "m-aggregate": m.aggregate,
            "m-missing": m.missing,
            "m-scope": m.scope,
            "m-winsorise": m.winsorise,
            "m-list_top": lists.get("top", 0),
            "m-list_bottom": lists.get("bottom", 0),
            "m-concentration": scheme.robustness_concentration,
        }
    )
    _rows(data, "sec", [vars(s) for s in scheme.sections])
    _rows(data, "grp", [{"name": g.name, "quota": g.quota} for g in scheme.groups])
    _rows(data, "ind", [vars(i) for i in scheme.indicators])
    return data


def _rows(data: dict[str, Any], prefix: str, rows: list[dict[str, Any]]) -> None:
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": len(rows),
            f"{prefix}-INITIAL_FORMS": len(rows),
            f"{prefix}-MIN_NUM_FORMS": 0,
            f"{prefix}-MAX_NUM_FORMS": 1000,
        }
    )
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = "" if value is None else value


def add_indicator(data: dict[str, Any], **row: Any) -> None:
    index = data["ind-TOTAL_FORMS"]
    data["ind-TOTAL_FORMS"] = index + 1
    for key, value in row.items():
        data[f"ind-{index}-{key}"] = value


def edit_url(world: RaceWorld) -> str:
    return reverse("races:race_edit", args=[world.race.code])


def post(client, world: RaceWorld, data: dict[str, Any], role: str = "organiser"):
    client.force_login(world.users[role])
    return client.post(edit_url(world), data)


def summary(response) -> str:
    """The text of the error summary at the top of the page."""
    html = response.content.decode()
    match = re.search(r'class="msg msg-error error-summary".*?</div>', html, re.S)
    assert match, "no error summary on the page"
    return re.sub(r"<[^>]+>", " ", match.group(0))


def stored(world: RaceWorld) -> Scheme:
    return parse_scheme(Race.objects.get(pk=world.race.pk).scheme_toml)


# ---------------------------------------------------------------- saving


def test_editing_a_weight_stores_the_scheme_and_audits_it_with_before_and_after(client, world):
    before_text = world.race.scheme_toml
    data = form_data(world.race, reason="重大项目数权重由 1 调为 3")
    data["ind-1-weight"] = "3"

    response = post(client, world, data)

    assert response.status_code == 302
    assert [i.weight for i in stored(world).indicators] == [2.0, 3.0, 1.0]
    event = AuditEvent.objects.filter(action="races.race.update").get()
    assert event.reason == "重大项目数权重由 1 调为 3"
    assert event.before["scheme_toml"] == before_text
    assert parse_scheme(event.after["scheme_toml"]).indicators[1].weight == 3.0


def test_saving_without_changes_keeps_the_scheme_text_and_records_nothing(client, world):
    text = world.race.scheme_toml

    response = post(client, world, form_data(world.race))

    assert response.status_code == 302
    assert Race.objects.get(pk=world.race.pk).scheme_toml == text
    assert not AuditEvent.objects.filter(action="races.race.update").exists()


def test_a_scheme_change_without_a_reason_is_refused(client, world):
    data = form_data(world.race)
    data["ind-0-weight"] = "5"

    response = post(client, world, data)

    assert response.status_code == 200
    assert "修改说明" in summary(response)
    assert stored(world).indicators[0].weight == 2.0


def test_a_new_indicator_gets_a_code_and_joins_its_section(client, world):
    data = form_data(world.race, reason="新增指标")
    add_indicator(
        data, name="新开工项目数", code="", section="quality", direction="higher", weight="1"
    )

    assert post(client, world, data).status_code == 302

    added = stored(world).indicators[-1]
    assert (added.code, added.name, added.section) == ("ind1", "新开工项目数", "quality")


def test_group_quota_and_red_list_size_are_stored(client, world):
    data = form_data(world.race, reason="名额调整")
    data["grp-0-quota"] = "3"
    data["m-list_top"] = "2"

    assert post(client, world, data).status_code == 302

    scheme = stored(world)
    assert scheme.groups[0].quota == 3
    assert scheme.extra["lists"]["top"] == 2


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"ind-1-weight": "-1"}, ["指标第 2 行「权重」", "须大于 0"]),
        ({"ind-2-weight": "0"}, ["指标第 3 行「权重」", "须大于 0"]),
        ({"ind-0-section": "nowhere"}, ["指标第 1 行「板块」", "nowhere"]),
        ({"ind-2-code": "fai"}, ["指标第 3 行「代码」", "与第 1 行重复"]),
        ({"grp-0-quota": "7"}, ["分组第 1 行「名额」", "超过该组单位数 6"]),
        (
            {"ind-0-DELETE": "on", "ind-1-DELETE": "on", "ind-2-DELETE": "on"},
            ["指标", "至少需要一项指标"],
        ),
        ({"sec-0-weight": "0.5"}, ["板块第 2 行「板块权重」", "都填"]),
        ({"m-normalise": "target"}, ["指标第 1 行「目标值」", "须填写目标值"]),
    ],
)
def test_a_wrong_row_is_refused_naming_row_and_field_and_nothing_is_stored(
    client, world, change, expected
):
    text = world.race.scheme_toml
    data = form_data(world.race, reason="试改")
    data.update(change)

    response = post(client, world, data)

    assert response.status_code == 200
    message = summary(response)
    for part in expected:
        assert part in message
    assert Race.objects.get(pk=world.race.pk).scheme_toml == text
    assert not AuditEvent.objects.filter(action="races.race.update").exists()


def test_an_indicator_with_values_in_an_open_period_cannot_be_removed(client, world):
    period = world.period()
    world.fill(period, verify=False)
    data = form_data(world.race, reason="删除蜗牛项目数")
    data["ind-2-DELETE"] = "on"

    response = post(client, world, data)

    assert response.status_code == 200
    assert "「蜗牛项目数」在2026年第1季度已有填报数据，不能删除" in summary(response)
    assert stored(world).codes == ("fai", "projects", "snails")


def test_the_service_also_refuses_removing_an_indicator_with_pending_values(world):
    period = world.period()
    world.fill(period, verify=False)
    scheme = parse_scheme(world.race.scheme_toml)
    smaller = Scheme(
        scheme.name,
        scheme.method,
        scheme.groups,
        scheme.sections[:1],
        scheme.indicators[:2],
        extra=scheme.extra,
    )
    with pytest.raises(RaceError, match="snails"):
        scheme_services.race_update(
            actor=world.users["organiser"], race=world.race, scheme_toml=scheme_to_toml(smaller)
        )


def test_codes_of_existing_indicators_are_fixed_once_values_are_reported(client, world):
    world.fill(world.period(), verify=False)
    client.force_login(world.users["organiser"])
    html = client.get(edit_url(world)).content.decode()
    assert re.search(r'<input[^>]*name="ind-0-code"[^>]*disabled', html)

    data = form_data(world.race, reason="改代码")
    data["ind-0-code"] = "renamed"
    assert post(client, world, data).status_code == 302
    assert stored(world).codes[0] == "fai"


def test_the_toml_panel_saves_separately_and_needs_a_reason(client, world):
    text = world.race.scheme_toml.replace("weight = 2", "weight = 4")
    client.force_login(world.users["organiser"])
    url = edit_url(world)

    refused = client.post(url, {"mode": "toml", "toml-scheme_toml": text})
    saved = client.post(url, {"mode": "toml", "toml-scheme_toml": text, "toml-reason": "高级"})

    assert refused.status_code == 200 and saved.status_code == 302
    assert stored(world).indicators[0].weight == 4.0


# ---------------------------------------------------------------- who may


@pytest.mark.parametrize("role", ["reporter", "organiser_other", "viewer", "nobody"])
def test_only_the_races_organisers_may_open_or_post_the_editor(client, world, role):
    client.force_login(world.users[role])
    text = world.race.scheme_toml
    data = form_data(world.race, reason="x")
    data["ind-0-weight"] = "9"

    assert client.get(edit_url(world)).status_code in (403, 404)
    assert client.post(edit_url(world), data).status_code in (403, 404)
    assert Race.objects.get(pk=world.race.pk).scheme_toml == text


# ---------------------------------------------------------------- effective weights


def test_the_page_shows_effective_weights_of_a_worked_example(client, world):
    """Sections weighted 0.5 / 0.5; fai : projects = 2 : 1 inside the first → 33.3 / 16.7 / 50."""
    text = world.race.scheme_toml.replace('name = "投资规模"', 'name = "投资规模"\nweight = 0.5')
    text = text.replace('name = "质量"', 'name = "质量"\nweight = 0.5')
    scheme_services.race_update(actor=None, race=world.race, scheme_toml=text)
    client.force_login(world.users["organiser"])

    html = client.get(edit_url(world)).content.decode()
    html = re.sub(r"<template.*?</template>", "", html, flags=re.S)  # the empty rows to add

    assert re.findall(r"data-effective>([^<]*)<", html) == ["33.3%", "16.7%", "50.0%"]
    assert re.findall(r"data-section-total>([^<]*)<", html) == ["50.0%", "50.0%"]
    assert '"data": [33.3, 16.7, null]' in html and '"data": [null, null, 50.0]' in html
