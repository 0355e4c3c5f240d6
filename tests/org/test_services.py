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


@pytest.mark.parametrize(
    ("code", "level", "under_province", "message"),
    [
        pytest.param("330101", UnitLevel.COUNTY, True, "county", id="county-under-province"),
        pytest.param("33/1", UnitLevel.PROVINCE, False, "'/'", id="slash-in-code"),
    ],
)
def test_an_impossible_unit_is_refused(db, code, level, under_province, message):
    parent = None
    if under_province:
        parent = services.unit_create(
            actor=None, code="33", name="浙江省", level=UnitLevel.PROVINCE
        )
    with pytest.raises(services.OrgError, match=message):
        services.unit_create(actor=None, code=code, name="x", level=level, parent=parent)


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
