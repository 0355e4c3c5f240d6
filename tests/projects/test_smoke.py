def test_world_builds(world):
    s = world.samples
    assert s.report.status == "submitted"
    assert s.batch.status == "preview", s.batch.errors
    assert s.project_batch.status == "preview", s.project_batch.errors
