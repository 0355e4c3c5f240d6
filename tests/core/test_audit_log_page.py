"""What readers of the audit log see: people by name, actions by name."""

from __future__ import annotations

from saima.core.audit import record_event
from saima.org import services


def test_the_log_names_the_person_and_keeps_the_login_small(client, small_province):
    organiser = small_province.users["organiser"]
    organiser.display_name = "周立新"
    organiser.save()
    services.person_create(actor=organiser, name="上城干部", unit=small_province.county_a1)
    client.force_login(organiser)
    html = client.get("/audit/").content.decode()
    assert '周立新 <small class="muted">org_hz</small>' in html


def test_system_events_say_system(client, small_province):
    services.person_create(actor=None, name="上城干部", unit=small_province.county_a1)
    client.force_login(small_province.users["superuser"])
    assert "<td>系统</td>" in client.get("/audit/").content.decode()


def test_the_filter_offers_actions_by_name_and_filters_exactly(client, small_province):
    services.person_create(actor=None, name="上城干部", unit=small_province.county_a1)
    record_event(actor=None, action="org.person.create.extra")  # not a prefix match any more
    client.force_login(small_province.users["superuser"])
    page = client.get("/audit/?action=org.person.create")
    html = page.content.decode()
    assert '<option value="org.person.create" selected>新建干部</option>' in html
    assert {event.action for event in page.context["page"].object_list} == {"org.person.create"}


def test_the_home_panel_names_the_person_too(client, small_province):
    organiser = small_province.users["organiser"]
    organiser.display_name = "周立新"
    organiser.save()
    services.person_create(actor=organiser, name="上城干部", unit=small_province.county_a1)
    client.force_login(organiser)
    assert '周立新 <small class="muted">org_hz</small>' in client.get("/").content.decode()


def test_an_event_of_a_deleted_user_still_names_the_login(client, small_province):
    nobody = small_province.users["nobody"]
    services.person_create(
        actor=small_province.users["organiser"], name="甲", unit=small_province.county_a1
    )
    record_event(actor=nobody, action="org.person.create", obj=small_province.county_a1)
    nobody.delete()
    client.force_login(small_province.users["superuser"])
    page = client.get("/audit/")
    assert page.status_code == 200 and "<td>nobody</td>" in page.content.decode()
