"""Units that did not report (issue 7, §9): the scheme says what happens to them, the board says
it, and by default they are named below the board and put on the 黑榜 instead of silently
dropping out of the ranking."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from saima.races.errors import RaceError
from saima.races.reporting import services as reporting
from saima.races.results import selectors
from saima.races.results import services as result_services
from saima.races.schemes import services as scheme_services
from saima.races.schemes.selectors import parse_scheme, unreported_rule
from saima.races.schemes.templates import template_toml
from tests.races.conftest import VALUES


def _published_without(world, missing: set[str], unverified: set[str] = frozenset()):
    """A published result where ``missing`` never reported and ``unverified`` reported late."""
    organiser = world.users["organiser"]
    period = world.period()
    world.fill(period, {k: v for k, v in VALUES.items() if k not in missing | unverified})
    if unverified:
        world.fill(period, {k: VALUES[k] for k in unverified}, verify=False)
    reporting.period_close(actor=organiser, period=period)
    result = result_services.result_compute(actor=organiser, period=period)
    return result_services.result_publish(actor=organiser, result=result)


def _with_rule(world, table: str) -> None:
    scheme_services.race_update(
        actor=world.users["organiser"],
        race=world.race,
        scheme_toml=world.race.scheme_toml + "\n[unreported]\n" + table,
        reason="未填报单位的处理",
    )


def test_by_default_a_unit_that_did_not_report_is_named_and_on_the_black_list(client, world):
    result = _published_without(world, {"淳安县"})
    data = selectors.board(result, world.group_code)
    assert [r.unit_name for r in data["black_unreported"]] == ["淳安县"]
    assert data["black"] == []  # the one black-list place is taken by the unit that did not report
    page = client.get(reverse("races:board", args=[result.pk])).content.decode()
    black = page[page.index("黑榜</h2>") : page.index("</section>", page.index("黑榜</h2>"))]
    assert "淳安县" in black and "未报送数据（未填报）" in black
    assert "不参加排名，在此列出" in page and "，并列入黑榜。" in page


def test_a_unit_reported_but_not_yet_verified_is_listed_but_not_black_listed(client, world):
    result = _published_without(world, set(), unverified={"萧山区"})
    data = selectors.board(result, world.group_code)
    assert data["black_unreported"] == []
    assert [e["name"] for e in data["unreported"]] == ["萧山区"]
    assert [r.unit_name for r in data["black"]] == ["桐庐县"]


def test_a_scheme_may_rank_them_last(client, world):
    _with_rule(world, 'treatment = "last"\nblack_list = true\n')
    result = _published_without(world, {"淳安县"})
    data = selectors.board(result, world.group_code)
    last = data["rows"][-1]
    assert (last.unit_name, last.rank, last.unreported) == ("淳安县", 6, "未填报")
    response = client.get(reverse("races:board", args=[result.pk]) + "?format=csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[-1][3] == "淳安县" and rows[-1][0] == "6" and rows[-1][-1] == "黑榜"
    page = client.get(reverse("races:board", args=[result.pk])).content.decode()
    assert "排在所有已报送单位之后" in page


def test_a_scheme_may_keep_them_off_the_black_list(client, world):
    _with_rule(world, 'treatment = "listed"\nblack_list = false\n')
    result = _published_without(world, {"淳安县"})
    data = selectors.board(result, world.group_code)
    assert data["black_unreported"] == [] and [r.unit_name for r in data["black"]] == ["桐庐县"]
    page = client.get(reverse("races:board", args=[result.pk])).content.decode()
    assert "，不列入黑榜。" in page


def test_a_scheme_with_an_unknown_treatment_is_refused(world):
    with pytest.raises(RaceError, match='treatment 须为 "listed" 或 "last"'):
        _with_rule(world, 'treatment = "ignore"\n')


@pytest.mark.parametrize("key", ["zhejiang_investment", "county_towns"])
def test_the_templates_name_the_default_rule(db, key):
    from saima.org.models import Unit

    rule = unreported_rule(parse_scheme(template_toml(key, Unit(name="缙云县", code="331122"))))
    assert (rule.treatment, rule.black_list) == ("listed", True)


def test_the_scheme_editor_sets_the_rule(client, world):
    from tests.races.test_scheme_editor import form_data, post

    data = form_data(world.race, reason="未填报单位排末位，不列黑榜")
    data["m-unreported_treatment"], data["m-unreported_black_list"] = "last", "no"
    assert post(client, world, data).status_code == 302
    world.race.refresh_from_db()
    rule = unreported_rule(parse_scheme(world.race.scheme_toml))
    assert (rule.treatment, rule.black_list) == ("last", False)
