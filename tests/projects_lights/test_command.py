from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from saima.projects.lights import services
from saima.projects.models import LightRun


def test_the_command_recomputes_a_month_as_the_system(world):
    services.rules_version_create(
        actor=world.users["organiser"], project_list=world.plist, preset_code="default"
    )
    out = StringIO()
    call_command("projects_lights", world.plist.code, "3", stdout=out)
    run = LightRun.objects.get(project_list=world.plist, month=3)
    assert run.computed_by is None and run.projects == 6
    assert f"{world.plist.code} 2026-03: 6 lights (rules v1" in out.getvalue()


def test_the_command_says_why_it_refuses(world):
    with pytest.raises(CommandError, match="规则"):
        call_command("projects_lights", world.plist.code, "3", stdout=StringIO())
    with pytest.raises(CommandError, match="no list"):
        call_command("projects_lights", "nope", "3", stdout=StringIO())
