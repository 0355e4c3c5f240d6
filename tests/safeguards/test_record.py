"""The person's record: the page, every registered section, the XLSX export, who may read it."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from saima.core.records import record_of
from saima.safeguards.models import ApplicationStatus
from saima.safeguards.tolerance import services
from tests.safeguards.conftest import card


def _sheets(response):
    book = load_workbook(io.BytesIO(response.content))
    return {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in book.worksheets}


def _tolerate(world, covers, outcome=ApplicationStatus.TOLERATED, excused=None):
    application = world.reviewed(covers=covers, failing=(4,) if outcome != "tolerated" else ())
    return services.application_decide(
        actor=world.users["officer"],
        application=application,
        outcome=outcome,
        reason="决定",
        excused=excused,
    )


def test_a_tolerated_error_is_marked_and_left_out_of_the_negative_items(
    world, negative_section, client
):
    person = world.people["张三"]
    negative_section(person, [card(1, "黄牌：道路工程滞后"), card(2, "蜗牛奖：审批拖延")])
    _tolerate(world, ["projects.card:1"])
    cards = next(s for s in record_of(person) if s.key == "tests.cards").entries
    assert [(e.ref, e.tolerated) for e in cards] == [
        ("projects.card:1", True),
        ("projects.card:2", False),
    ]
    client.force_login(world.users["officer"])
    sheets = _sheets(client.get(reverse("safeguards:person_export", args=[person.pk])))
    negative_titles = [row[2] for row in sheets["负面考核事项"][1:]]
    assert negative_titles == ["蜗牛奖：审批拖延"]
    assert [row[2] for row in sheets["已容错免责"][1:]] == ["黄牌：道路工程滞后"]
    everything = {row[2]: row[4] for row in sheets["考核档案"][1:]}
    assert everything["黄牌：道路工程滞后"] == "否（已容错免责）"
    assert everything["蜗牛奖：审批拖延"] == "是"
    page = client.get(reverse("safeguards:person", args=[person.pk])).content.decode()
    assert "已容错，不计入" in page


def test_a_refusal_excuses_nothing_and_partly_only_what_it_names(world, negative_section):
    person = world.people["张三"]
    negative_section(person, [card(1), card(2)])
    _tolerate(world, ["projects.card:1"], ApplicationStatus.REFUSED)
    _tolerate(world, ["projects.card:1", "projects.card:2"], "partly", ["projects.card:2"])
    cards = next(s for s in record_of(person) if s.key == "tests.cards").entries
    assert [e.tolerated for e in cards] == [False, True]
    decisions = next(s for s in record_of(person) if s.key == "safeguards.tolerance").entries
    assert sorted(e.outcome.split("（")[0] for e in decisions) == ["不予容错", "部分容错"]


def test_the_export_neutralises_formulas_in_every_text(world, negative_section, client):
    person = world.people["张三"]
    negative_section(person, [card(1, '=HYPERLINK("http://evil","点我")')])
    world.apply(facts="=1+1")
    client.force_login(world.users["officer"])
    response = client.get(reverse("safeguards:person_export", args=[person.pk]))
    assert response["Content-Disposition"].startswith("attachment")
    book = load_workbook(io.BytesIO(response.content))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    titles = [row[2] for row in _sheets(response)["考核档案"][1:]]
    assert '\'=HYPERLINK("http://evil","点我")' in titles


def test_every_registered_section_appears_in_order_with_its_entries(world, negative_section):
    negative_section(world.people["张三"], [card(1)])
    keys = [s.key for s in record_of(world.people["张三"])]
    assert keys.index("races.results") < keys.index("tests.cards")
    assert keys.index("tests.cards") < keys.index("safeguards.tolerance")
    assert keys[-1] == "safeguards.clarification"


@pytest.mark.parametrize(
    "user, status",
    [
        ("officer", 200),
        ("organiser", 200),
        ("cadre", 200),  # their own record
        ("officer_b", 404),
        ("organiser_b", 404),
        ("reporter", 404),
        ("viewer", 404),
        ("nobody", 404),
    ],
)
def test_who_reads_a_persons_record(world, client, user, status):
    client.force_login(world.users[user])
    person = world.people["张三"]
    for name in ("safeguards:person", "safeguards:person_export"):
        assert client.get(reverse(name, args=[person.pk])).status_code == status


def test_a_cadre_reads_only_their_own_record(world, client):
    client.force_login(world.users["cadre"])
    other = world.people["李四"]
    assert client.get(reverse("safeguards:person", args=[other.pk])).status_code == 404


def test_the_people_list_searches_within_the_officers_scope_only(world, client):
    client.force_login(world.users["officer"])
    page = client.get(reverse("safeguards:people")).content.decode()
    assert "张三" in page and "李四" in page and "赵六" not in page
    page = client.get(reverse("safeguards:people"), {"q": "李"}).content.decode()
    assert "李四" in page and "张三" not in page
    client.force_login(world.users["officer_b"])
    page = client.get(reverse("safeguards:people"), {"q": "张"}).content.decode()
    assert "张三" not in page


def _record_queries(client, person) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("safeguards:person", args=[person.pk])).status_code == 200
    return len(captured)


def test_the_record_page_costs_the_same_queries_however_many_decisions(world, client):
    from saima.safeguards.clarification import services as clarification

    person = world.people["张三"]
    client.force_login(world.users["officer"])

    def decide_one() -> None:
        application = world.reviewed()
        services.application_decide(
            actor=world.users["officer"], application=application, outcome="refused", reason="否"
        )
        case = clarification.case_open(actor=world.users["officer"], person=person, allegation="x")
        case = clarification.case_verify(
            actor=world.users["officer"], case=case, finding="untrue", verification="y"
        )
        clarification.case_clarify(
            actor=world.users["officer"], case=case, form="letter", statement="z"
        )

    decide_one()
    one = _record_queries(client, person)
    for _ in range(4):
        decide_one()
    assert _record_queries(client, person) == one


def test_a_records_dates_are_the_days_in_chinas_time_zone(world):
    # decided at 01:30 in Beijing on 3 December is 17:30 UTC on 2 December: the record must say
    # the 3rd, the day the officer decided it, not the UTC date
    import datetime as dt

    from saima.safeguards.models import ToleranceApplication

    decided = _tolerate(world, [])
    late = dt.datetime(2026, 12, 2, 17, 30, tzinfo=dt.UTC)
    ToleranceApplication.objects.filter(pk=decided.pk).update(decided_at=late)
    decisions = next(
        s for s in record_of(world.people["张三"]) if s.key == "safeguards.tolerance"
    ).entries
    assert [e.when for e in decisions] == [dt.date(2026, 12, 3)]
