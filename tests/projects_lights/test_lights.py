"""Rules as versioned data and monthly lights stored with the run that made them."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from saima.core.models import AuditEvent
from saima.projects.errors import ProjectError
from saima.projects.lights import services
from saima.projects.lights.verification import stored_lights_problems
from saima.projects.models import LightRun, MonthlyLight
from tests.projects_lights.helpers import computed
from tests.projects_lights.world import fill_reports, report


def grid(world):
    rows = MonthlyLight.objects.filter(project_list=world.plist).select_related("project")
    return {(x.project.code, x.month): x.light for x in rows}


def test_the_default_rules_light_every_kind_of_project(world):
    computed(world, 6)
    lights = grid(world)
    assert [lights[("P1", m)] for m in range(1, 7)] == [0] * 6
    assert [lights[("P3", m)] for m in range(1, 7)] == [0, 1, 1, 2, 2, 2]  # lag 8.3, 16.7 … 50
    assert lights[("P4", 2)] == 3  # no report: grey
    assert [lights[("P5", m)] for m in range(1, 4)] == [0, 1, 1]  # start overdue from February
    assert lights[("P2", 6)] == 1  # 22 % behind the plan's pace: 11 points


def test_a_rule_change_leaves_past_months_as_they_were(world):
    computed(world, 3)
    before = grid(world)
    organiser = world.users["organiser"]
    strict = 'name = "严"\n[lights]\nyellow_from = 1\nred_above = 5\n'
    services.rules_version_create(
        actor=organiser, project_list=world.plist, rules_toml=strict, reason="从严"
    )
    services.lights_compute(actor=organiser, project_list=world.plist, month=4)
    after = grid(world)
    assert {k: v for k, v in after.items() if k[1] <= 3} == before
    assert after[("P2", 4)] == 2  # 7 points behind is red under the new rules
    runs = LightRun.objects.filter(project_list=world.plist).order_by("month")
    assert [r.rule_version.version for r in runs] == [1, 1, 1, 2]


def test_a_revision_needs_a_reason_and_bad_toml_is_refused_naming_the_key(world):
    organiser = world.users["organiser"]
    services.rules_version_create(actor=organiser, project_list=world.plist, preset_code="yinchuan")
    with pytest.raises(ProjectError, match="理由"):
        services.rules_version_create(
            actor=organiser, project_list=world.plist, preset_code="default"
        )
    with pytest.raises(ProjectError, match="lights.red_above"):
        services.rules_version_create(
            actor=organiser,
            project_list=world.plist,
            rules_toml='name = "x"\n[lights]\nred_above = "high"',
            reason="r",
        )
    assert world.plist.rule_versions.count() == 1


def test_computing_without_rules_or_a_bad_month_is_refused(world):
    organiser = world.users["organiser"]
    with pytest.raises(ProjectError, match="规则"):
        services.lights_compute(actor=organiser, project_list=world.plist, month=1)
    services.rules_version_create(actor=organiser, project_list=world.plist, preset_code="default")
    with pytest.raises(ProjectError, match="1–12"):
        services.lights_compute(actor=organiser, project_list=world.plist, month=13)
    assert not MonthlyLight.objects.exists()


def test_recomputing_a_published_month_needs_a_reason_and_replaces_its_lights(world):
    computed(world, 2)
    organiser = world.users["organiser"]
    with pytest.raises(ProjectError, match="理由"):
        services.lights_compute(actor=organiser, project_list=world.plist, month=2)
    report(world.projects["P4"], 2, 200, 8)  # the late report arrives
    run = services.lights_compute(actor=organiser, project_list=world.plist, month=2, reason="补报")
    assert run.published_at is not None and run.reason == "补报"
    assert grid(world)[("P4", 2)] == 0
    assert LightRun.objects.filter(project_list=world.plist, month=2).count() == 2
    assert LightRun.objects.filter(project_list=world.plist, month=2, is_current=True).get() == run


def test_an_exemption_makes_the_month_green_with_its_reasons_kept(world):
    computed(world, 5, publish=False)
    organiser = world.users["organiser"]
    with pytest.raises(ProjectError, match="理由"):
        services.exemption_grant(
            actor=organiser, project=world.projects["P3"], year=2026, month=5, reason=" "
        )
    services.exemption_grant(
        actor=organiser, project=world.projects["P3"], year=2026, month=5, reason="特大暴雨停工"
    )
    services.lights_compute(actor=organiser, project_list=world.plist, month=5)
    light = MonthlyLight.objects.get(project=world.projects["P3"], month=5)
    assert light.light == 0 and light.reasons & 1024 and light.reasons & 4  # exempt, lag_red kept
    assert AuditEvent.objects.filter(
        action="projects.exemption.grant", reason="特大暴雨停工"
    ).exists()


def test_computing_takes_the_same_number_of_queries_for_more_projects(world):
    computed(world, 3, publish=False)  # each count below replaces a run of month 3
    organiser = world.users["organiser"]

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            services.lights_compute(actor=organiser, project_list=world.plist, month=3)
        return len(ctx.captured_queries)

    small = count()
    from tests.projects_lights.world import _project, plan

    for i in range(30):
        project = _project(f"X{i:02d}", world.units["county_a1"], world.plist)
        plan(project)
    fill_reports(world, 3)
    large = count()
    assert large == small, (small, large)


def test_the_verifier_passes_and_names_an_edited_light(world):
    computed(world, 3)
    assert stored_lights_problems() == []
    light = MonthlyLight.objects.get(project=world.projects["P3"], month=3)
    MonthlyLight.objects.filter(pk=light.pk).update(light=0)
    problems = stored_lights_problems()
    assert len(problems) == 1
    assert f"project #{world.projects['P3'].pk}: stored light 0" in problems[0]
    assert "hz-key-2026 2026-03" in problems[0]


def test_the_verifier_names_edited_rules_and_inputs(world):
    computed(world, 2)
    run = LightRun.objects.get(project_list=world.plist, month=2)
    version = run.rule_version
    type(version).objects.filter(pk=version.pk).update(
        rules_toml=version.rules_toml.replace("30.0", "60.0")
    )
    LightRun.objects.filter(pk=run.pk).update(inputs=bytes(run.inputs)[:-8] + b"\0" * 8)
    problems = "\n".join(stored_lights_problems())
    assert "does not hash to its digest" in problems
    assert "stored inputs" in problems
