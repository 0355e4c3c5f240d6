import pytest
from django.urls import reverse

def test_pages_render(world, client):
    client.force_login(world.organiser)
    for c in (world.draft, world.running, world.revealed, world.released):
        for name in ("arena:contest", "arena:results", "arena:judges", "arena:contest_edit"):
            r = client.get(reverse(name, args=[c.pk]))
            assert r.status_code == 200, (name, c.status, r.content[:2000])
    assert client.get(reverse("arena:index")).status_code == 200
    assert client.get(reverse("arena:contest_new")).status_code == 200
    entry = world.running.contestants.first()
    assert client.get(reverse("arena:contestant", args=[world.running.pk, entry.pk])).status_code == 200
    r = client.get(reverse("arena:judge", args=[world.tokens["县长"]]))
    assert r.status_code == 200
    r = client.get(reverse("arena:results", args=[world.released.pk]))
    print(r.content.decode()[:100])
