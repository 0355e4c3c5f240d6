"""The Django admin writes through the org services: paths set, permissions checked, audited.

Before, a unit added in the admin got an empty path (so an organiser of it passed
``may_organise`` for the whole province), and none of these pages wrote an audit event.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from saima.core.audit import verify_chain
from saima.core.models import AuditEvent, CalendarDay
from saima.org import services
from saima.org.models import PeerGroup, Person, Role, RoleGrant, Unit, UnitLevel, User
from saima.org.permissions import may_organise


def _value(value: Any) -> Any:
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return value


def _form_data(response) -> dict[str, Any]:
    """What a browser would post back from an admin add/change page, unedited."""
    data: dict[str, Any] = {}

    def take(form) -> None:
        for name in form.fields:
            if form.fields[name].disabled:
                continue
            value = _value(form[name].value())
            if value is not None:
                data[form.add_prefix(name)] = value

    take(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        take(formset.management_form)
        for form in formset.initial_forms:
            take(form)
    return data


def _events() -> set[int]:
    return set(AuditEvent.objects.values_list("seq", flat=True))


def _new_events(before: set[int]) -> list[AuditEvent]:
    return list(AuditEvent.objects.exclude(seq__in=before).order_by("seq"))


@pytest.fixture
def admin_client(client, small_province):
    client.force_login(small_province.users["superuser"])
    return client


def _post(client, url: str, changes: dict[str, Any]) -> Any:
    data = _form_data(client.get(url))
    data.update(changes)
    response = client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 302, (
        response.context["adminform"].form.errors if response.context else response
    )
    return response


def test_a_unit_added_in_the_admin_gets_its_path_and_an_event(admin_client, small_province):
    before = _events()
    _post(
        admin_client,
        "/admin/org/unit/add/",
        {
            "code": "330111",
            "name": "富阳区",
            "level": UnitLevel.COUNTY,
            "parent": small_province.city_a.pk,
        },
    )
    unit = Unit.objects.get(code="330111")
    assert unit.path == f"{small_province.city_a.path}330111/"
    [event] = _new_events(before)
    assert event.action == "org.unit.create" and event.actor_label == "root"
    assert event.after["path"] == unit.path and event.scope == unit.path


def test_an_organiser_of_an_admin_added_unit_does_not_organise_the_province(
    admin_client, small_province
):
    _post(
        admin_client,
        "/admin/org/unit/add/",
        {
            "code": "330112",
            "name": "临安区",
            "level": UnitLevel.COUNTY,
            "parent": small_province.city_a.pk,
        },
    )
    unit = Unit.objects.get(code="330112")
    organiser = small_province.users["nobody"]
    services.role_grant(actor=None, user=organiser, role=Role.ORGANISER, unit=unit)
    assert may_organise(organiser, unit)
    assert not may_organise(organiser, small_province.province)
    assert not may_organise(organiser, small_province.county_b1)


def test_a_misplaced_unit_is_refused_in_the_admin_with_the_reason(admin_client, small_province):
    url = "/admin/org/unit/add/"
    data = _form_data(admin_client.get(url))
    data.update(
        {
            "code": "33x",
            "name": "错县",
            "level": UnitLevel.COUNTY,
            "parent": small_province.province.pk,
        }
    )
    response = admin_client.post(url, {k: v for k, v in data.items() if v is not None})
    assert response.status_code == 200
    assert "cannot sit under a province parent" in response.content.decode()
    assert not Unit.objects.filter(code="33x").exists()


def test_changing_a_unit_in_the_admin_is_audited_and_cannot_move_it(admin_client, small_province):
    unit = small_province.county_a1
    before = _events()
    _post(
        admin_client,
        f"/admin/org/unit/{unit.pk}/change/",
        {"name": "上城区（新）", "parent": small_province.city_b.pk},
    )
    unit.refresh_from_db()
    assert unit.name == "上城区（新）" and unit.parent_id == small_province.city_a.pk
    [event] = _new_events(before)
    assert event.action == "org.unit.change"
    assert (event.before, event.after) == ({"name": "上城区"}, {"name": "上城区（新）"})
    assert (
        admin_client.post(f"/admin/org/unit/{unit.pk}/delete/", {"post": "yes"}).status_code == 403
    )


def test_saving_an_unchanged_unit_records_nothing(admin_client, small_province):
    before = _events()
    _post(admin_client, f"/admin/org/unit/{small_province.county_a1.pk}/change/", {})
    assert _new_events(before) == []


def test_peer_groups_added_changed_and_deleted_in_the_admin_are_audited(
    admin_client, small_province
):
    before = _events()
    members = [small_province.county_a1.pk, small_province.county_a2.pk]
    _post(
        admin_client,
        "/admin/org/peergroup/add/",
        {
            "code": "hz",
            "name": "杭州县区",
            "owner": small_province.city_a.pk,
            "members": [str(m) for m in members],
        },
    )
    group = PeerGroup.objects.get(code="hz")
    assert set(group.members.values_list("pk", flat=True)) == set(members)
    _post(admin_client, f"/admin/org/peergroup/{group.pk}/change/", {"members": [str(members[0])]})
    admin_client.post(f"/admin/org/peergroup/{group.pk}/delete/", {"post": "yes"})
    assert not PeerGroup.objects.filter(code="hz").exists()
    actions = [event.action for event in _new_events(before)]
    assert actions == ["org.peergroup.set", "org.peergroup.set", "org.peergroup.delete"]


def test_people_added_changed_and_deleted_in_the_admin_are_audited(admin_client, small_province):
    before = _events()
    _post(
        admin_client,
        "/admin/org/person/add/",
        {"name": "王五", "position": "统计员", "unit": small_province.county_a1.pk},
    )
    person = Person.objects.get(name="王五")
    _post(admin_client, f"/admin/org/person/{person.pk}/change/", {"position": "科长"})
    admin_client.post(f"/admin/org/person/{person.pk}/delete/", {"post": "yes"})
    events = _new_events(before)
    assert [e.action for e in events] == [
        "org.person.create",
        "org.person.change",
        "org.person.delete",
    ]
    assert events[1].after == {"position": "科长"}
    assert {e.scope for e in events} == {small_province.county_a1.path}


def test_users_and_their_role_grants_in_the_admin_are_audited(admin_client, small_province):
    before = _events()
    _post(
        admin_client,
        "/admin/org/user/add/",
        {
            "username": "wangwu",
            "password1": "Xk3-long-pass-77",
            "password2": "Xk3-long-pass-77",
            "usable_password": "true",
            "grants-TOTAL_FORMS": "0",
            "grants-INITIAL_FORMS": "0",
        },
    )
    user = User.objects.get(username="wangwu")
    assert user.check_password("Xk3-long-pass-77")
    url = f"/admin/org/user/{user.pk}/change/"
    _post(
        admin_client,
        url,
        {
            "display_name": "王五",
            "grants-TOTAL_FORMS": "1",
            "grants-0-role": Role.REPORTER,
            "grants-0-unit": small_province.county_a1.pk,
        },
    )
    assert RoleGrant.objects.filter(user=user, role=Role.REPORTER).exists()
    grant = RoleGrant.objects.get(user=user)
    _post(admin_client, url, {"grants-0-DELETE": "on"})
    assert not RoleGrant.objects.filter(pk=grant.pk).exists()
    actions = [event.action for event in _new_events(before)]
    assert actions == ["org.user.create", "org.user.change", "org.role.grant", "org.role.revoke"]


def test_a_password_set_in_the_admin_is_audited_without_the_hash(admin_client, small_province):
    user = small_province.users["nobody"]
    before = _events()
    url = f"/admin/org/user/{user.pk}/password/"
    response = admin_client.post(
        url,
        {
            "password1": "Xk3-long-pass-88",
            "password2": "Xk3-long-pass-88",
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xk3-long-pass-88")
    [event] = _new_events(before)
    assert event.action == "org.user.password" and event.actor_label == "root"
    assert event.after is None and user.password not in str(event.before)


def test_calendar_days_in_the_admin_are_audited(admin_client):
    before = _events()
    _post(
        admin_client,
        "/admin/core/calendarday/add/",
        {"date": "2026-10-01", "name": "国庆节", "workday": None},
    )
    day = CalendarDay.objects.get(date=dt.date(2026, 10, 1))
    _post(admin_client, f"/admin/core/calendarday/{day.pk}/change/", {"name": "国庆节（放假）"})
    admin_client.post(f"/admin/core/calendarday/{day.pk}/delete/", {"post": "yes"})
    actions = [event.action for event in _new_events(before)]
    assert actions == [
        "core.calendarday.create",
        "core.calendarday.change",
        "core.calendarday.delete",
    ]
    assert verify_chain().ok


def test_every_unit_has_a_correct_path_however_it_was_made(admin_client, small_province):
    """Service (the fixture), admin (here) and the demo loader (org's part)."""
    from saima.core.demo import DemoContext
    from saima.org import demo

    _post(
        admin_client,
        "/admin/org/unit/add/",
        {
            "code": "330113",
            "name": "桐庐县",
            "level": UnitLevel.COUNTY,
            "parent": small_province.city_a.pk,
        },
    )
    demo.load(DemoContext(say=lambda line: None))
    units = list(Unit.objects.select_related("parent"))
    assert len(units) > 100
    for unit in units:
        expected = f"{unit.parent.path if unit.parent else '/'}{unit.code}/"
        assert unit.path == expected, unit


def test_the_admin_has_saimas_title(admin_client):
    html = admin_client.get("/admin/").content.decode()
    assert "赛马 管理后台" in html and "Django 管理" not in html
    assert "后台任务" in html


def test_the_admin_has_saimas_title_in_english_too(admin_client):
    from django.utils import translation

    with translation.override("en"):
        html = admin_client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Saima administration" in html and "Background tasks" in html


def test_deleting_people_in_bulk_records_one_event_each(admin_client, small_province):
    people = [
        services.person_create(actor=None, name=name, unit=small_province.county_a1)
        for name in ("甲", "乙")
    ]
    before = _events()
    response = admin_client.post(
        "/admin/org/person/",
        {"action": "delete_selected", "_selected_action": [p.pk for p in people], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Person.objects.filter(pk__in=[p.pk for p in people]).exists()
    assert [e.action for e in _new_events(before)] == ["org.person.delete"] * 2


def test_users_cannot_be_deleted_in_the_admin(admin_client, small_province):
    user = small_province.users["nobody"]
    assert (
        admin_client.post(f"/admin/org/user/{user.pk}/delete/", {"post": "yes"}).status_code == 403
    )
    assert User.objects.filter(pk=user.pk).exists()
