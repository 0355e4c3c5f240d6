"""Factories for the org app, shared by every app's tests."""

from __future__ import annotations

import itertools

import factory

from saima.org import services
from saima.org.models import Role, Unit, UnitLevel, User

_codes = itertools.count(1)


def make_unit(name: str, level: str, parent: Unit | None = None, **extra: object) -> Unit:
    return services.unit_create(
        actor=None, code=f"T{next(_codes):05d}", name=name, level=level, parent=parent, **extra
    )


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    display_name = factory.Faker("name", locale="zh_CN")
    password = factory.PostGenerationMethodCall("set_password", "pw-for-tests")

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def user_with_role(role: str | None, unit: Unit | None, username: str) -> User:
    user = UserFactory(username=username)
    if role == "superuser":
        user.is_superuser = user.is_staff = True
        user.save()
    elif role is not None and unit is not None:
        services.role_grant(actor=None, user=user, role=role, unit=unit)
    return user


def build_small_province() -> dict[str, object]:
    """浙江省 > 杭州市 (上城区, 淳安县 > 千岛湖镇), 丽水市 (缙云县); one user per role."""
    province = make_unit("浙江省", UnitLevel.PROVINCE)
    city_a = make_unit("杭州市", UnitLevel.CITY, province)
    city_b = make_unit("丽水市", UnitLevel.CITY, province)
    county_a1 = make_unit("上城区", UnitLevel.COUNTY, city_a, kind="区")
    county_a2 = make_unit("淳安县", UnitLevel.COUNTY, city_a, kind="县", is_mountain_county=True)
    county_b1 = make_unit("缙云县", UnitLevel.COUNTY, city_b, kind="县", is_mountain_county=True)
    town_a1 = make_unit("千岛湖镇", UnitLevel.TOWN, county_a2, kind="镇")
    users = {
        "superuser": user_with_role("superuser", None, "root"),
        "organiser": user_with_role(Role.ORGANISER, city_a, "org_hz"),
        "reporter": user_with_role(Role.REPORTER, county_a1, "rep_sc"),
        "judge": user_with_role(Role.JUDGE, city_a, "judge_hz"),
        "discipline": user_with_role(Role.DISCIPLINE, city_a, "disc_hz"),
        "viewer": user_with_role(Role.VIEWER, city_a, "view_hz"),
        "nobody": user_with_role(None, None, "nobody"),
    }
    return {
        "province": province,
        "city_a": city_a,
        "city_b": city_b,
        "county_a1": county_a1,
        "county_a2": county_a2,
        "county_b1": county_b1,
        "town_a1": town_a1,
        "users": users,
    }
