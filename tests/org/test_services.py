from __future__ import annotations

import pytest

from saima.core.models import AuditEvent
from saima.org import services
from saima.org.models import UnitLevel


def test_unit_create_builds_the_path_and_records_an_event(db):
    province = services.unit_create(actor=None, code="33", name="浙江省", level=UnitLevel.PROVINCE)
    city = services.unit_create(
        actor=None, code="3301", name="杭州市", level=UnitLevel.CITY, parent=province
    )
    assert city.path == "/33/3301/"
    event = AuditEvent.objects.get(action="org.unit.create", object_id=str(city.pk))
    assert event.after["name"] == "杭州市"
    assert event.after["path"] == "/33/3301/"
    assert event.actor_label == "system"


def test_a_county_cannot_sit_directly_under_the_province(db):
    province = services.unit_create(actor=None, code="33", name="浙江省", level=UnitLevel.PROVINCE)
    with pytest.raises(services.OrgError, match="county"):
        services.unit_create(
            actor=None, code="330101", name="上城区", level=UnitLevel.COUNTY, parent=province
        )


def test_a_unit_code_with_a_slash_is_refused(db):
    with pytest.raises(services.OrgError, match="'/'"):
        services.unit_create(actor=None, code="33/1", name="x", level=UnitLevel.PROVINCE)


def test_granting_an_unknown_role_is_refused(small_province):
    with pytest.raises(ValueError):
        services.role_grant(
            actor=None,
            user=small_province.users["nobody"],
            role="emperor",
            unit=small_province.city_a,
        )


def test_role_grant_is_idempotent_and_audited_once(small_province):
    user = small_province.users["nobody"]
    before = AuditEvent.objects.filter(action="org.role.grant").count()
    services.role_grant(actor=None, user=user, role="viewer", unit=small_province.city_b)
    services.role_grant(actor=None, user=user, role="viewer", unit=small_province.city_b)
    assert AuditEvent.objects.filter(action="org.role.grant").count() == before + 1


def test_peer_group_set_records_an_event_only_when_something_changed(small_province):
    def set_group(name: str, members: list) -> None:
        services.peer_group_set(
            actor=None, code="g", name=name, owner=small_province.province, members=members
        )

    def events() -> int:
        return AuditEvent.objects.filter(action="org.peergroup.set").count()

    start = events()
    set_group("县", [small_province.county_a1, small_province.county_a2])
    set_group("县", [small_province.county_a2, small_province.county_a1])
    assert events() == start + 1
    set_group("县", [small_province.county_a1])
    set_group("县（市、区）", [small_province.county_a1])
    assert events() == start + 3
    last = AuditEvent.objects.filter(action="org.peergroup.set").order_by("-seq").first()
    assert last.before["name"] == "县" and last.after["name"] == "县（市、区）"


def test_a_person_acting_is_held_to_their_scope(small_province):
    from django.core.exceptions import PermissionDenied

    organiser = small_province.users["organiser"]  # 杭州市
    unit = services.unit_create(
        actor=organiser,
        code="330199",
        name="新区",
        level=UnitLevel.COUNTY,
        parent=small_province.city_a,
    )
    assert unit.path == f"{small_province.city_a.path}330199/"
    with pytest.raises(PermissionDenied):
        services.unit_create(
            actor=organiser,
            code="331199",
            name="外区",
            level=UnitLevel.COUNTY,
            parent=small_province.city_b,
        )
    with pytest.raises(PermissionDenied):
        services.role_grant(
            actor=organiser,
            user=small_province.users["nobody"],
            role="organiser",
            unit=small_province.province,
        )
    with pytest.raises(PermissionDenied):
        services.user_create(actor=organiser, username="x", password="pw-for-tests")
    with pytest.raises(PermissionDenied):
        services.unit_create(actor=organiser, code="34", name="安徽省", level=UnitLevel.PROVINCE)


def test_the_org_demo_gives_every_event_a_reason(db):
    from saima.core.demo import DemoContext
    from saima.org import demo

    demo.load(DemoContext(say=lambda line: None))
    org_events = AuditEvent.objects.filter(action__startswith="org.")
    assert org_events.count() > 150
    assert not org_events.filter(reason="").exists()
    assert org_events.filter(reason="按浙江省现行行政区划建立单位").count() >= 101
