"""The safeguards demo: every state present for the discipline login, and loading it again adds
nothing."""

from __future__ import annotations

from saima.core.demo import DemoContext
from saima.core.records import record_of
from saima.org import demo as org_demo
from saima.org import services
from saima.org.models import Unit, User
from saima.safeguards import demo, selectors
from saima.safeguards.models import (
    ApplicationStatus,
    CaseStatus,
    ClarificationCase,
    ReformItem,
    ToleranceApplication,
)
from tests.safeguards.conftest import card


def _load() -> DemoContext:
    ctx = DemoContext(say=lambda line: None)
    org_demo.load(ctx)
    demo.load(ctx)
    return ctx


def test_the_demo_has_every_state_and_loads_once(db):
    _load()
    assert set(ToleranceApplication.objects.values_list("status", flat=True)) == set(
        ApplicationStatus
    )
    assert set(ClarificationCase.objects.values_list("status", flat=True)) == set(CaseStatus)
    refused = ToleranceApplication.objects.get(status=ApplicationStatus.REFUSED)
    assert "安全生产" in refused.red_lines
    assert selectors.public_notices().count() == 1
    assert ClarificationCase.objects.exclude(notice_withdrawn_at=None).count() == 1
    discipline = User.objects.get(username="discipline")
    queue = list(selectors.case_queue(selectors.cases_visible(discipline)))
    assert queue[0].person.frontline and queue[0].petitions == 12
    counts = (ReformItem.objects.count(), ToleranceApplication.objects.count())
    _load()
    assert (ReformItem.objects.count(), ToleranceApplication.objects.count()) == counts


def test_the_demo_tolerates_errors_other_apps_recorded(db, negative_section):
    ctx = DemoContext(say=lambda line: None)
    org_demo.load(ctx)
    town = Unit.objects.get(name="壶镇镇")
    person = services.person_create(actor=None, name="李建军", unit=town)  # as the races demo
    negative_section(person, [card(5, "蜗牛奖：审批拖延")])
    demo.load(ctx)
    cards = next(s for s in record_of(person) if s.key == "tests.cards").entries
    assert [e.tolerated for e in cards] == [True]
