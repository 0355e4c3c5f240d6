"""Fault tolerance (容错): the checklist, the application's edges, red lines, who may decide."""

from __future__ import annotations

import pytest

from saima.core.models import AuditEvent
from saima.core.workflow import ActionForbidden, ActionRefused
from saima.safeguards.checklist import DEFAULT_CHECKLIST
from saima.safeguards.errors import SafeguardError
from saima.safeguards.models import (
    ApplicationStatus,
    Condition,
    ConditionKind,
    ToleranceApplication,
)
from saima.safeguards.tolerance import services
from saima.safeguards.tolerance.actions import (
    AcceptApplication,
    AssessCondition,
    DecideApplication,
    SubmitApplication,
)
from tests.safeguards.conftest import card

S = ApplicationStatus


def _actions(world, application, user="officer"):
    condition = services.checklist_of(application)[0]
    u = world.users[user]
    return {
        "accept": AcceptApplication(u, application),
        "assess": AssessCondition(u, application, condition=condition, holds=True, reason="符合"),
        "decide": DecideApplication(u, application, outcome=S.REFUSED, reason="不予容错"),
    }


def _in_state(world, status):
    if status == S.SUBMITTED:
        return world.apply()
    if status == S.UNDER_REVIEW:
        return world.reviewed()
    application = world.reviewed()
    return services.application_decide(
        actor=world.users["officer"],
        application=application,
        outcome=status,
        reason="决定",
        excused=[],
    )


ALLOWED = {(S.SUBMITTED, "accept"), (S.UNDER_REVIEW, "assess"), (S.UNDER_REVIEW, "decide")}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("step", ["accept", "assess", "decide"])
def test_every_edge_is_allowed_or_refused_as_the_state_machine_says(world, status, step):
    application = _in_state(world, status)
    action = _actions(world, application)[step]
    events = AuditEvent.objects.count()
    if (status, step) in ALLOWED:
        assert action.allowed(), action.why_not()
        action.execute()
        assert AuditEvent.objects.count() == events + 1
    else:
        assert not action.allowed()
        with pytest.raises(ActionRefused):
            action.execute()
        assert AuditEvent.objects.count() == events
        assert ToleranceApplication.objects.get(pk=application.pk).status == status


def test_the_default_checklist_is_seeded_from_the_2016_conditions_and_copied_into_new_items(world):
    defaults = list(Condition.objects.filter(item=None).values_list("kind", "text"))
    assert defaults == DEFAULT_CHECKLIST
    assert list(world.item.conditions.values_list("kind", "text")) == DEFAULT_CHECKLIST
    assert sum(kind == ConditionKind.RED_LINE for kind, _ in defaults) == 3


def test_a_database_emptied_of_its_default_checklist_gets_it_again_for_the_next_item(world):
    # A flush (or a test that truncates tables) removes what migration 0002 seeded; a new item
    # must not start with no checklist at all, which would let an application be decided unreviewed.
    Condition.objects.all().delete()
    item = services.item_create(actor=world.users["officer"], owner=world.city_a, name="二号事项")
    assert list(item.conditions.values_list("kind", "text")) == DEFAULT_CHECKLIST
    assert Condition.objects.filter(item=None).count() == len(DEFAULT_CHECKLIST)


def test_retired_defaults_stay_retired_rather_than_being_seeded_again(world):
    Condition.objects.filter(item=None).update(active=False)
    item = services.item_create(actor=world.users["officer"], owner=world.city_a, name="三号事项")
    assert item.conditions.count() == 0
    assert Condition.objects.filter(item=None).count() == len(DEFAULT_CHECKLIST)


def test_an_edited_default_checklist_is_what_the_next_item_copies(world):
    services.condition_save(
        actor=world.users["superuser"], item=None, kind=ConditionKind.CRITERION, text="新增标准"
    )
    item = services.item_create(actor=world.users["officer"], owner=world.city_a, name="新事项")
    assert item.conditions.last().text == "新增标准"
    assert world.item.conditions.filter(text="新增标准").count() == 0


def test_a_condition_used_in_a_review_cannot_be_rewritten_but_can_be_retired(world):
    application = world.reviewed()
    condition = services.checklist_of(application)[0]
    with pytest.raises(SafeguardError, match="已用于审查"):
        services.condition_save(
            actor=world.users["officer"],
            item=world.item,
            condition=condition,
            kind=condition.kind,
            text="改写",
        )
    services.condition_set_active(actor=world.users["officer"], condition=condition, active=False)
    assert condition not in services.checklist_of(application)


def test_a_decision_waits_until_every_condition_is_assessed(world):
    application = world.apply()
    accepted = services.application_accept(actor=world.users["officer"], application=application)
    reason = services.decide_refusal(accepted, S.REFUSED)
    assert reason is not None and "10 项未审查" in reason


def test_a_touched_red_line_forces_refusal_and_the_decision_names_it(world):
    application = world.reviewed(red_line=1)
    for outcome in (S.TOLERATED, S.PARTLY):
        action = DecideApplication(
            world.users["officer"], application, outcome=outcome, reason="容错"
        )
        assert "安全生产" in action.why_not()
        with pytest.raises(ActionRefused):
            action.execute()
    done = DecideApplication(
        world.users["officer"], application, outcome=S.REFUSED, reason="依规不予容错"
    ).execute()
    assert done.status == S.REFUSED
    assert "安全生产" in done.red_lines
    event = AuditEvent.objects.filter(action="safeguards.application.decide").get()
    assert event.after["red_lines"] == [done.red_lines]


def test_tolerated_needs_every_condition_met_and_partly_at_least_one(world):
    failing = world.reviewed(failing=(4,))
    assert "1 项条件不符合" in services.decide_refusal(failing, S.TOLERATED)
    assert services.decide_refusal(failing, S.PARTLY) is None
    none_met = world.reviewed(failing=tuple(range(7)))
    assert services.decide_refusal(none_met, S.PARTLY) == "没有符合的条件，不能部分容错"


def test_tolerated_excuses_every_covered_entry_and_partly_only_those_named(world, negative_section):
    negative_section(world.people["张三"], [card(1), card(2), card(3, negative=False)])
    tolerated = world.reviewed(covers=["projects.card:1"])
    services.application_decide(
        actor=world.users["officer"], application=tolerated, outcome=S.TOLERATED, reason="容错"
    )
    assert ToleranceApplication.objects.get(pk=tolerated.pk).excused == ["projects.card:1"]
    partly = world.reviewed(covers=["projects.card:1", "projects.card:2"], failing=(4,))
    with pytest.raises(SafeguardError, match="必须是申请涉及"):
        services.application_decide(
            actor=world.users["officer"],
            application=partly,
            outcome=S.PARTLY,
            reason="部分",
            excused=["projects.card:9"],
        )
    services.application_decide(
        actor=world.users["officer"],
        application=partly,
        outcome=S.PARTLY,
        reason="部分",
        excused=["projects.card:2"],
    )
    assert ToleranceApplication.objects.get(pk=partly.pk).excused == ["projects.card:2"]


def test_an_application_may_cover_only_negative_entries_of_the_persons_own_record(
    world, negative_section
):
    negative_section(world.people["张三"], [card(1), card(3, negative=False)])
    negative_section(world.people["李四"], [card(7)])
    for refs in (["projects.card:3"], ["projects.card:7"], ["races.resultrow:1"]):
        with pytest.raises(SafeguardError, match="不属于该干部的负面考核事项"):
            world.apply(covers=refs)


@pytest.mark.parametrize(
    "reviewer, why",
    [
        ("officer2", "submitted it"),
        ("cadre", "is the person"),
        ("officer_local", "works in the person's unit"),
        ("officer_b", "is another city's officer"),
        ("organiser", "is no discipline officer"),
    ],
)
def test_nobody_decides_an_application_they_have_a_conflict_with(world, reviewer, why):
    application = world.apply(actor="officer2")
    for action in _actions(world, application, reviewer).values():
        assert action.why_not() == str(action.forbidden), why
        with pytest.raises(ActionForbidden):
            action.execute()


def test_even_a_superuser_may_not_decide_their_own_application(world):
    from saima.safeguards.permissions import may_review_application

    application = world.apply(actor="superuser")
    assert not may_review_application(world.users["superuser"], application)
    assert may_review_application(world.users["officer"], application)


def test_the_cadre_applies_for_themself_and_the_office_proposes(world):
    own = SubmitApplication(
        world.users["cadre"], world.people["张三"], item=world.item, facts="失误"
    ).execute()
    assert own.origin == "person"
    proposed = world.apply(actor="officer2")
    assert proposed.origin == "office"
    with pytest.raises(ActionForbidden):
        SubmitApplication(
            world.users["cadre"], world.people["李四"], item=world.item, facts="失误"
        ).execute()
    with pytest.raises(ActionForbidden):
        SubmitApplication(
            world.users["officer_b"], world.people["张三"], item=world.item, facts="失误"
        ).execute()


def test_an_item_applies_only_to_cadres_inside_its_owning_unit(world):
    with pytest.raises(SafeguardError, match="不在此改革事项的范围内"):
        services.application_submit(
            actor=world.users["superuser"], item=world.item, person=world.people["赵六"], facts="x"
        )


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("facts", "", "请填写失误情况"),
        ("facts", "   ", "请填写失误情况"),
        ("facts", "长" * 5001, "失误情况过长：5001 字，最多 5000 字"),
        ("facts", "a\x00b", "控制字符"),
        ("remedy", "长" * 5001, "挽回损失、消除影响情况过长"),
    ],
)
def test_bad_text_is_refused_naming_the_field_and_nothing_is_written(world, field, value, message):
    before = (ToleranceApplication.objects.count(), AuditEvent.objects.count())
    kwargs = {"facts": "失误", field: value}
    with pytest.raises(SafeguardError, match=message):
        world.apply(**kwargs)
    assert (ToleranceApplication.objects.count(), AuditEvent.objects.count()) == before


def test_every_step_is_audited_with_its_before_and_after(world):
    application = world.reviewed()
    services.application_decide(
        actor=world.users["officer"], application=application, outcome=S.TOLERATED, reason="容错"
    )
    actions = list(
        AuditEvent.objects.filter(object_id=str(application.pk), object_type__contains="tolerance")
        .order_by("seq")
        .values_list("action", flat=True)
    )
    assert actions[0] == "safeguards.application.submit"
    assert actions[1] == "safeguards.application.accept"
    assert actions.count("safeguards.application.assess") == 10
    assert actions[-1] == "safeguards.application.decide"
    scopes = set(
        AuditEvent.objects.filter(
            object_id=str(application.pk), object_type__contains="tolerance"
        ).values_list("scope", flat=True)
    )
    assert scopes == {world.people["张三"].unit.path}


def test_the_cadre_and_the_submitter_hear_of_the_decision(world):
    from saima.core.models import Notice

    application = world.reviewed()
    services.application_decide(
        actor=world.users["officer"], application=application, outcome=S.TOLERATED, reason="容错"
    )
    told = set(Notice.objects.values_list("user__username", flat=True))
    assert told == {"cadre", "disc_hz2"}
    assert Notice.objects.filter(title__contains="予以容错").count() == 2
