"""Zhejiang: 11 cities and 90 counties with their real names, a few towns and departments,
the peer groups 设区市 / 县（市、区）/ 山区26县, and one login per role.

Unit codes are Saima's own (33 + city 01-11 in GB/T 2260 order + county sequence); they are not
the official division codes, which the source data does not carry.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

from saima.core.demo import DEMO_PASSWORD, DemoContext, DemoLogin
from saima.org import services
from saima.org.models import PeerGroup, Person, Role, Unit, UnitLevel, User

DATA = Path(__file__).resolve().parent / "data" / "zhejiang_divisions.csv"

# Why each record exists, as the official who set the platform up would write it.
REASON_DIVISIONS = "按浙江省现行行政区划建立单位"
REASON_TOWNS = "按县政府公布的乡镇（街道）名录建立单位"
REASON_DEPARTMENTS = "按本级机构设置方案建立部门"
REASON_GROUPS = "按年度赛马考核分组方案设置同类组"
REASON_PERSON = "按组织部门提供的干部名册录入"

TOWNS = {
    "缙云县": [
        "五云街道",
        "新碧街道",
        "仙都街道",
        "壶镇镇",
        "新建镇",
        "舒洪镇",
        "大洋镇",
        "东方镇",
        "东渡镇",
        "大源镇",
        "溶江乡",
        "双溪口乡",
        "胡源乡",
        "方溪乡",
        "石笕乡",
        "木里乡",
        "前路乡",
        "三溪乡",
    ],
    "建德市": [
        "新安江街道",
        "洋溪街道",
        "更楼街道",
        "莲花镇",
        "乾潭镇",
        "梅城镇",
        "杨村桥镇",
        "下涯镇",
        "大洋镇",
        "三都镇",
        "寿昌镇",
        "航头镇",
        "大慈岩镇",
        "大同镇",
        "李家镇",
        "钦堂乡",
    ],
}

DEPARTMENTS = {
    "浙江省": ["省发展改革委", "省纪委省监委", "省扩大有效投资领导小组办公室"],
    "衢州市": [
        "市发展改革委",
        "市经信局",
        "市商务局",
        "市自然资源和规划局",
        "市住建局",
        "市交通运输局",
        "市农业农村局",
        "市文化广电旅游局",
        "市科技局",
        "市财政局",
    ],
    "缙云县": ["县纪委县监委", "县委组织部"],
}

# (role, username, display name, unit name, position)
DEMO_USERS = [
    (Role.ORGANISER, "organiser", "周立新", "浙江省", "省发展改革委 投资处处长"),
    (Role.REPORTER, "reporter", "吴晓梅", "遂昌县", "县发展改革局 统计员"),
    (Role.JUDGE, "judge", "郑国华", "衢州市", "市委常委、常务副市长"),
    (Role.DISCIPLINE, "discipline", "陈静", "缙云县", "县纪委副书记"),
    (Role.VIEWER, "viewer", "林海", "浙江省", "省政府督查室 干部"),
    (Role.ORGANISER, "organiser_jinyun", "徐卫东", "缙云县", "县委副书记"),
]


def _read_divisions() -> list[dict[str, str]]:
    with DATA.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _load_units(ctx: DemoContext) -> Unit:
    existing = {unit.name: unit for unit in Unit.objects.exclude(level=UnitLevel.DEPARTMENT)}
    province = existing.get("浙江省") or services.unit_create(
        actor=None,
        code="33",
        name="浙江省",
        name_en="Zhejiang",
        level=UnitLevel.PROVINCE,
        kind="省",
        reason=REASON_DIVISIONS,
    )
    city_seq = 0
    county_seq: dict[str, int] = {}
    cities: dict[str, Unit] = {}
    for row in _read_divisions():
        if row["level"] == "city":
            city_seq += 1
            code = f"33{city_seq:02d}"
            cities[row["name_zh"]] = existing.get(row["name_zh"]) or services.unit_create(
                actor=None,
                code=code,
                name=row["name_zh"],
                name_en=row["city_en"],
                level=UnitLevel.CITY,
                kind=row["kind"],
                parent=province,
                reason=REASON_DIVISIONS,
            )
            continue
        city = cities[row["parent_zh"]]
        county_seq[city.code] = county_seq.get(city.code, 0) + 1
        key = row["name_zh"]
        if key in existing and existing[key].parent_id == city.pk:
            continue
        services.unit_create(
            actor=None,
            code=f"{city.code}{county_seq[city.code]:02d}",
            name=row["name_zh"],
            level=UnitLevel.COUNTY,
            kind=row["kind"],
            parent=city,
            is_mountain_county=row["mountain_26"] == "yes",
            reason=REASON_DIVISIONS,
        )
    ctx.say(
        f"{Unit.objects.filter(level=UnitLevel.CITY).count()} cities, "
        f"{Unit.objects.filter(level=UnitLevel.COUNTY).count()} counties"
    )
    return province


def _load_towns_and_departments() -> None:
    for county_name, towns in TOWNS.items():
        county = Unit.objects.get(name=county_name, level=UnitLevel.COUNTY)
        _add_missing_children(
            county,
            towns,
            level=UnitLevel.TOWN,
            suffix="{:03d}",
            kind=_town_kind,
            reason=REASON_TOWNS,
        )
    for parent_name, departments in DEPARTMENTS.items():
        parent = Unit.objects.exclude(level=UnitLevel.DEPARTMENT).get(name=parent_name)
        _add_missing_children(
            parent,
            departments,
            level=UnitLevel.DEPARTMENT,
            suffix="D{:02d}",
            kind=lambda name: "部门",
            reason=REASON_DEPARTMENTS,
        )


def _town_kind(name: str) -> str:
    return "街道" if name.endswith("街道") else ("乡" if name.endswith("乡") else "镇")


def _add_missing_children(
    parent: Unit,
    names: list[str],
    *,
    level: str,
    suffix: str,
    kind: Callable[[str], str],
    reason: str,
) -> None:
    """Create the children of ``parent`` named in ``names`` that it lacks (the n-th name's code
    is the parent's followed by ``suffix`` of n), so loading the demo again adds nothing twice."""
    have = set(parent.children.filter(level=level).values_list("name", flat=True))
    for index, name in enumerate(names, start=1):
        if name not in have:
            services.unit_create(
                actor=None,
                code=parent.code + suffix.format(index),
                name=name,
                level=level,
                kind=kind(name),
                parent=parent,
                reason=reason,
            )


def _load_groups(province: Unit) -> None:
    counties = list(Unit.objects.filter(level=UnitLevel.COUNTY))
    services.peer_group_set(
        actor=None,
        code="city",
        name="设区市",
        owner=province,
        members=list(Unit.objects.filter(level=UnitLevel.CITY)),
        reason=REASON_GROUPS,
    )
    services.peer_group_set(
        actor=None,
        code="county",
        name="县（市、区）",
        owner=province,
        members=counties,
        reason=REASON_GROUPS,
    )
    services.peer_group_set(
        actor=None,
        code="mountain26",
        name="山区26县",
        owner=province,
        members=[unit for unit in counties if unit.is_mountain_county],
        reason="按省委省政府山区26县名单设置同类组",
    )
    for county_name in TOWNS:
        county = Unit.objects.get(name=county_name, level=UnitLevel.COUNTY)
        services.peer_group_set(
            actor=None,
            code=f"towns-{county.code}",
            name=f"{county_name}乡镇（街道）",
            owner=county,
            members=list(county.children.filter(level=UnitLevel.TOWN)),
            reason=REASON_GROUPS,
        )


def _load_users(ctx: DemoContext) -> None:
    if not User.objects.filter(username="admin").exists():
        services.user_create(
            actor=None,
            username="admin",
            password=DEMO_PASSWORD,
            display_name="系统管理员",
            is_superuser=True,
            reason="平台部署时开通系统管理员账号",
        )
    ctx.logins.append(DemoLogin("超级管理员", "admin", DEMO_PASSWORD, "全省，全部权限"))
    for role, username, display, unit_name, position in DEMO_USERS:
        unit = Unit.objects.exclude(level=UnitLevel.DEPARTMENT).get(name=unit_name)
        user = User.objects.filter(username=username).first()
        if user is None:
            person = services.person_create(
                actor=None,
                name=display,
                unit=unit,
                position=position,
                frontline=role == Role.REPORTER,
                reason=REASON_PERSON,
            )
            user = services.user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                display_name=display,
                person=person,
                reason=f"为{unit.name}{position}{display}开通账号",
            )
        services.role_grant(
            actor=None,
            user=user,
            role=role,
            unit=unit,
            reason=f"按{unit.name}工作分工，授予{display}{role.label}角色",
        )
        ctx.logins.append(
            DemoLogin(str(role.label), username, DEMO_PASSWORD, f"{unit.name} · {position}")
        )


def load(ctx: DemoContext) -> None:
    province = _load_units(ctx)
    _load_towns_and_departments()
    _load_groups(province)
    _load_users(ctx)
    ctx.say(
        f"{PeerGroup.objects.count()} peer groups, {Person.objects.count()} people, "
        f"{User.objects.count()} users"
    )
