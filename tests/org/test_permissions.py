"""The permission matrix: role × action × own/other unit. Any cell that flips fails a test."""

from __future__ import annotations

import pytest

from saima.org import permissions as perms

ACTIONS = {
    "organise": perms.may_organise,
    "verify": perms.may_verify_unit_data,
    "edit": perms.may_edit_unit_data,
    "view": perms.may_view_unit_data,
    "discipline": perms.may_handle_discipline,
}

# Scope of each role in the small province: organiser, discipline, viewer and judge hold
# 杭州市 (city_a); the reporter holds 上城区 (county_a1).
# Targets: "own" = inside the grant's scope, "child" = a unit below the grant's unit,
# "sibling" = same level elsewhere in the subtree, "other" = outside (丽水市's 缙云县).
EXPECTED: dict[str, dict[str, set[str]]] = {
    "superuser": {a: {"own", "child", "sibling", "other"} for a in ACTIONS},
    "organiser": {
        "organise": {"own", "child", "sibling"},
        "verify": {"own", "child", "sibling"},
        "edit": {"own", "child", "sibling"},
        "view": {"own", "child", "sibling"},
        "discipline": set(),
    },
    "reporter": {
        "organise": set(),
        "verify": set(),
        "edit": {"own"},
        "view": {"own"},
        "discipline": set(),
    },
    "judge": {a: set() for a in ACTIONS},
    "discipline": {
        "organise": set(),
        "verify": set(),
        "edit": set(),
        "view": {"own", "child", "sibling"},
        "discipline": {"own", "child", "sibling"},
    },
    "viewer": {
        "organise": set(),
        "verify": set(),
        "edit": set(),
        "view": {"own", "child", "sibling"},
        "discipline": set(),
    },
    "nobody": {a: set() for a in ACTIONS},
}


def _targets(sp, role: str) -> dict[str, object]:
    if role == "reporter":
        # own = 上城区 itself; child = a town elsewhere in the city; sibling = 淳安县; other = 缙云县
        return {
            "own": sp.county_a1,
            "child": sp.town_a1,
            "sibling": sp.county_a2,
            "other": sp.county_b1,
        }
    return {"own": sp.city_a, "child": sp.town_a1, "sibling": sp.county_a1, "other": sp.county_b1}


@pytest.mark.parametrize("role", list(EXPECTED))
@pytest.mark.parametrize("action", list(ACTIONS))
def test_permission_matrix(small_province, role, action):
    user = small_province.users[role]
    targets = _targets(small_province, role)
    expected = EXPECTED[role][action]
    granted = {name for name, unit in targets.items() if ACTIONS[action](user, unit)}
    assert granted == expected, (
        f"{role} may {action}: got {sorted(granted)}, expected {sorted(expected)}"
    )


def test_the_same_predicates_answer_through_has_perm(small_province):
    organiser = small_province.users["organiser"]
    assert organiser.has_perm("org.edit_unit_data", small_province.county_a1)
    assert not organiser.has_perm("org.edit_unit_data", small_province.county_b1)


def test_anonymous_users_are_refused_everything(small_province):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    for action, predicate in ACTIONS.items():
        assert not predicate(anonymous, small_province.city_a), action


def test_an_inactive_superuser_is_refused(small_province):
    root = small_province.users["superuser"]
    root.is_active = False
    assert not perms.may_organise(root, small_province.city_a)


def test_scope_filter_lists_exactly_the_units_in_reach(small_province):
    from saima.org.models import Unit

    organiser = small_province.users["organiser"]
    names = set(perms.units_editable_by(organiser).values_list("name", flat=True))
    assert names == {"杭州市", "上城区", "淳安县", "千岛湖镇"}
    reporter = small_province.users["reporter"]
    assert set(perms.units_editable_by(reporter).values_list("name", flat=True)) == {"上城区"}
    assert perms.units_editable_by(small_province.users["nobody"]).count() == 0
    assert (
        perms.units_editable_by(small_province.users["superuser"]).count() == Unit.objects.count()
    )


def test_a_path_prefix_does_not_leak_into_a_sibling_with_a_longer_code(db):
    """Unit 3301's scope must not reach unit 33011 (paths end in '/')."""
    from saima.org import services
    from saima.org.models import Role, UnitLevel
    from tests.factories import UserFactory

    province = services.unit_create(actor=None, code="P9", name="省", level=UnitLevel.PROVINCE)
    a = services.unit_create(
        actor=None, code="P91", name="甲市", level=UnitLevel.CITY, parent=province
    )
    b = services.unit_create(
        actor=None, code="P911", name="乙市", level=UnitLevel.CITY, parent=province
    )
    user = UserFactory()
    services.role_grant(actor=None, user=user, role=Role.ORGANISER, unit=a)
    assert perms.may_organise(user, a)
    assert not perms.may_organise(user, b)
