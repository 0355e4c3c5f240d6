from saima.projects.lights import services
from saima.projects.models import MonthlyLight


def test_it_computes_and_stores_a_month(world):
    organiser = world.users["organiser"]
    services.rules_version_create(actor=organiser, project_list=world.plist, preset_code="default")
    for month in range(1, 7):
        services.lights_compute(actor=organiser, project_list=world.plist, month=month)
    grid = {
        (l.project.code, l.month): l.light
        for l in MonthlyLight.objects.filter(project_list=world.plist).select_related("project")
    }
    print(sorted(grid.items()))
    assert grid[("P1", 3)] == 0
