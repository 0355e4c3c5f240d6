from saima.arena.models import ContestStatus

def test_world_builds(world):
    assert world.released.status == ContestStatus.REVEALED and world.released.released
    r = world.released.results.get()
    print(r.outputs["contestants"])
