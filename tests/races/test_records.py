"""The races' section of the person's record: published, current results of the person's unit."""

from __future__ import annotations

from saima.core.records import record_of
from saima.org import services as org_services
from saima.races.results import services as result_services


def _section(person):
    return next(s for s in record_of(person) if s.key == "races.results")


def test_a_cadre_of_a_ranked_unit_has_one_entry_per_published_current_result(world):
    person = org_services.person_create(actor=None, name="张三", unit=world.counties["西湖区"])
    first = world.published(2026, 1)
    world.period(2026, 2)  # open, nothing computed: no entry
    entries = _section(person).entries
    assert len(entries) == 1
    row = first.rows.get(unit=world.counties["西湖区"])
    entry = entries[0]
    assert entry.ref == f"races.resultrow:{row.pk}"
    assert "杭州市县区赛马" in entry.title and "2026年第1季度" in entry.title
    assert f"第 {row.rank} 名" in entry.outcome
    assert ("上榜" if row.selected else "未上榜") in entry.outcome
    assert not entry.negative
    assert entry.url.endswith(f"/results/{first.pk}/units/{world.counties['西湖区'].code}/")


def test_an_unpublished_result_and_a_superseded_version_leave_no_entry(world):
    person = org_services.person_create(actor=None, name="李四", unit=world.counties["淳安县"])
    period = world.period(2026, 1)
    world.fill(period)
    from saima.races.reporting import services as reporting

    reporting.period_close(actor=world.users["organiser"], period=period)
    computed = result_services.result_compute(actor=world.users["organiser"], period=period)
    assert _section(person).entries == []
    result_services.result_publish(actor=world.users["organiser"], result=computed)
    assert len(_section(person).entries) == 1


def test_a_cadre_of_an_unranked_unit_has_an_empty_section(world):
    person = org_services.person_create(actor=None, name="王五", unit=world.city_b)
    world.published(2026, 1)
    assert _section(person).entries == []
