"""Values within bounds (issue 7, §2): an indicator's min, max and integer are enforced the same
way in the report form, in corrections and in imports, with a message naming the indicator and
the bound; the templates set them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from saima.org.models import Unit
from saima.races.errors import RaceError
from saima.races.models import ImportBatch, ReportedValue, ReportStatus
from saima.races.reporting import services as reporting
from saima.races.reporting.imports import import_values
from saima.races.schemes.selectors import parse_scheme
from saima.races.schemes.templates import template_toml


@pytest.fixture
def bounded(world):
    """The test race with 重大项目数 and 蜗牛项目数 as whole counts ≥ 0."""
    text = world.race.scheme_toml
    for code in ("projects", "snails"):
        anchor = f'code = "{code}"\n'
        text = text.replace(anchor, anchor + "min = 0\ninteger = true\n")
    world.race.scheme_toml = text
    world.race.save()
    assert parse_scheme(text).indicators[1].integer
    return world


def test_a_reporter_cannot_submit_a_negative_count(client, bounded):
    period = bounded.period()
    client.force_login(bounded.users["reporter"])
    url = reverse("races:report", args=[period.pk, bounded.counties["上城区"].code])
    response = client.post(url, {"fai": "9", "projects": "-2", "snails": "0", "submit": "1"})
    assert response.status_code == 200
    assert "「重大项目数」不能小于 0（填的是 -2）" in response.content.decode()
    report = bounded.report(period, "上城区")
    assert report.status == ReportStatus.NOT_STARTED
    assert not ReportedValue.objects.filter(report=report).exists()


def test_a_reporter_cannot_submit_a_fractional_count(client, bounded):
    period = bounded.period()
    client.force_login(bounded.users["reporter"])
    url = reverse("races:report", args=[period.pk, bounded.counties["上城区"].code])
    response = client.post(url, {"fai": "9", "projects": "2.5", "snails": "0", "submit": "1"})
    assert "「重大项目数」须为整数（填的是 2.5）" in response.content.decode()
    assert bounded.report(period, "上城区").status == ReportStatus.NOT_STARTED


def test_the_form_carries_the_bounds_to_the_browser(client, bounded):
    period = bounded.period()
    client.force_login(bounded.users["reporter"])
    page = client.get(
        reverse("races:report", args=[period.pk, bounded.counties["上城区"].code])
    ).content.decode()
    assert 'name="projects" step="1" inputmode="numeric" min="0"' in page


def test_the_service_refuses_out_of_bounds_values_whatever_the_caller(bounded):
    period = bounded.period()
    with pytest.raises(RaceError, match="「蜗牛项目数」不能小于 0"):
        reporting.report_save(
            actor=bounded.users["reporter"],
            report=bounded.report(period, "上城区"),
            values={"fai": 9.0, "projects": 1.0, "snails": -1.0},
            submit=True,
        )


def test_a_correction_out_of_bounds_is_refused_in_the_form(client, bounded):
    period = bounded.period()
    bounded.fill(period)
    reporting.period_close(actor=bounded.users["organiser"], period=period)
    client.force_login(bounded.users["organiser"])
    url = reverse("races:review", args=[period.pk, bounded.counties["上城区"].code])
    response = client.post(
        url,
        {
            "action": "correct",
            "value_fai": "9",
            "value_projects": "-3",
            "value_snails": "0",
            "reason": "更正",
        },
    )
    assert "「重大项目数」不能小于 0（填的是 -3）" in response.content.decode()
    stored = ReportedValue.objects.get(
        report=bounded.report(period, "上城区"), indicator="projects"
    )
    assert stored.value == 5.0


def test_an_import_out_of_bounds_writes_nothing(bounded):
    period = bounded.period()
    rows = {bounded.counties["上城区"].code: {"fai": 9.0, "projects": 1.5, "snails": 0.0}}
    with pytest.raises(RaceError, match="「重大项目数」须为整数（填的是 1.5）"):
        import_values(
            actor=bounded.users["organiser"], period=period, values=rows, filename="快报.csv"
        )
    assert not ReportedValue.objects.filter(report__period=period).exists()


@pytest.mark.parametrize(
    ("field", "value"), [("projects", "-2"), ("projects", "2.5"), ("snails", "-1")]
)
def test_the_form_and_the_import_word_a_value_out_of_bounds_alike(client, bounded, field, value):
    period = bounded.period()
    values = {"fai": "9", "projects": "1", "snails": "0", field: value}
    client.force_login(bounded.users["reporter"])
    url = reverse("races:report", args=[period.pk, bounded.counties["上城区"].code])
    page = client.post(url, {**values, "submit": "1"}).content.decode()
    rows = {bounded.counties["上城区"].code: {k: float(v) for k, v in values.items()}}
    with pytest.raises(RaceError) as refused:
        import_values(
            actor=bounded.users["organiser"], period=period, values=rows, filename="快报.csv"
        )
    reason = ImportBatch.objects.get().errors[0]["reason"]
    assert reason.startswith("「") and reason in str(refused.value) and reason in page


@pytest.mark.parametrize("key", ["zhejiang_investment", "county_towns"])
def test_the_templates_bound_counts_shares_and_leave_growth_rates_open(db, key):
    owner = Unit(name="缙云县", code="331122")
    scheme = parse_scheme(template_toml(key, owner))
    for indicator in scheme.indicators:
        if indicator.unit in ("个", "件", "起"):
            assert (indicator.min, indicator.integer) == (0, True), indicator.code
        elif "占比" in indicator.name or "落地率" in indicator.name:
            assert (indicator.min, indicator.max) == (0, 100), indicator.code
        elif "增速" in indicator.name:
            assert (indicator.min, indicator.max, indicator.integer) == (None, None, False)


def test_the_scheme_editor_sets_an_indicators_bounds(client, world):
    from tests.races.test_scheme_editor import form_data, post

    data = form_data(world.race, reason="项目数为非负整数")
    index = [i.code for i in parse_scheme(world.race.scheme_toml).indicators].index("projects")
    data[f"ind-{index}-min"] = "0"
    data[f"ind-{index}-integer"] = "on"
    assert post(client, world, data).status_code == 302
    world.race.refresh_from_db()
    projects = parse_scheme(world.race.scheme_toml).indicators[index]
    assert (projects.min, projects.max, projects.integer) == (0, None, True)


def test_the_scheme_editor_names_the_row_of_crossed_bounds(client, world):
    from tests.races.test_scheme_editor import form_data, post

    before = world.race.scheme_toml
    data = form_data(world.race, reason="x")
    data["ind-0-min"], data["ind-0-max"] = "5", "1"
    response = post(client, world, data)
    assert response.status_code == 200
    assert "最大值 1 小于最小值 5" in response.content.decode()
    world.race.refresh_from_db()
    assert world.race.scheme_toml == before
