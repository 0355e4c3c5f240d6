"""Factories shared by every app's tests: units and users, and one of every kind of object."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from saima.core.models import Notice
from saima.org import services
from saima.org.models import Role, Unit, UnitLevel, User
from saima.races.models import Evidence, ImportBatch, Objection, Period, Race, Report, Result
from saima.races.objections import services as objections
from saima.races.reporting import imports
from saima.races.reporting import services as reporting
from saima.races.reporting.import_templates import template_headers
from saima.races.results import services as results
from saima.races.schemes import services as schemes
from saima.races.schemes.selectors import parse_scheme

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


# ---------------------------------------------------------------- one of every kind of object

SAMPLE_SCHEME = """
name = "杭州市县区赛马"
[[groups]]
code = "{group}"
name = "杭州县区"
quota = 1
[[sections]]
code = "scale"
name = "投资规模"
[[indicators]]
code = "fai"
name = "固定资产投资增速"
section = "scale"
direction = "higher"
weight = 2
[[indicators]]
code = "snails"
name = "蜗牛项目数"
section = "scale"
direction = "lower"
weight = 1
"""

# unit name → (fai, snails)
SAMPLE_VALUES = {"上城区": (9.0, 0.0), "淳安县": (6.0, 1.0), "西湖区": (12.0, 2.0)}


@dataclass
class SampleObjects:
    """A race owned by 杭州市 (city A) in every state a page can show, and people on both sides.

    Users: ``organiser_a`` runs the race, ``reporter_a`` reports for 上城区 (``unit_a``),
    ``discipline_a`` is 杭州市's discipline officer;
    ``organiser_b`` and ``reporter_b`` hold the same roles in 丽水市 (city B); ``nobody`` has no
    role. Periods: ``published_period`` (2026Q1, result ``published``), ``computed_period``
    (2026Q2, result ``unpublished``), ``closed_period`` (2026Q3, verified, not computed) and
    ``open_period`` (2026Q4: 上城区 not started, 淳安县 submitted). The published result has an
    unpublished correction (version 2).
    """

    users: dict[str, User]
    city_a: Unit
    city_b: Unit
    unit_a: Unit
    race: Race
    quiet_race: Race  # owned by city A, nothing published: only its organisers may see it
    published_period: Period
    computed_period: Period
    closed_period: Period
    open_period: Period
    published: Result
    unpublished: Result  # of the computed period
    correction: Result  # version 2 of the published period, computed with a reason, unpublished
    report: Report  # 上城区 in the open period, not started, with an evidence file
    submitted: Report  # 淳安县 in the open period, submitted
    evidence: Evidence
    batch: ImportBatch  # 上城区's values for the open period, previewed, not confirmed
    objection: Objection  # by 上城区 on the published result, pending, with an evidence file
    notice: Notice  # to reporter_a
    bulletin_draft: Any = None  # city A's 2026 Q1 bulletin, generated (version 1), unpublished
    bulletin_published: Any = None  # city A's 2025 commendation, published


def _sample_values(objects: dict[str, Unit], period: Period, actor: User, *, verify: bool) -> None:
    rows = {
        objects[name].code: dict(zip(("fai", "snails"), values, strict=True))
        for name, values in SAMPLE_VALUES.items()
    }
    imports.import_values(actor=actor, period=period, values=rows, filename="values.csv")
    if verify:
        reporting.reports_verify_bulk(
            actor=actor, period=period, report_ids=period.reports.values_list("pk", flat=True)
        )


def _sample_period(race: Race, number: int, actor: User) -> Period:
    deadline = timezone.now() + dt.timedelta(days=7)
    return reporting.period_open(
        actor=actor, race=race, year=2026, number=number, deadline=deadline
    )


def _sample_import(period: Period, unit: Unit, actor: User) -> ImportBatch:
    """An upload of one unit's values, checked and waiting for the organiser to confirm (待确认)."""
    headers = template_headers(parse_scheme(period.race.scheme_toml))
    text = f"{','.join(headers)}\n{unit.code},{unit.name},8.5,0\n"
    upload = SimpleUploadedFile("values.csv", text.encode())
    batch = imports.import_start(actor=actor, period=period, upload=upload)
    return imports.import_run(batch.pk)  # the task's body: its queue never runs in a test


def _sample_bulletins(owner: Unit, actor: User) -> dict[str, Any]:
    """A generated draft and a published bulletin, stored directly: rendering real PDFs for
    every sweep visit would be slow, and the sweep asks who may open them, not what they say."""
    from django.core.files.base import ContentFile

    from saima.bulletins.models import Bulletin, BulletinStatus, BulletinVersion

    common = {"owner": owner, "issuer": "杭州市发展和改革委员会", "created_by": actor}
    common["issue_date"] = dt.date(2026, 4, 10)
    draft = Bulletin.objects.create(
        kind="quarterly",
        year=2026,
        quarter=1,
        doc_number="杭发改〔2026〕3号",
        title="关于2026年第1季度赛马激励评价结果的通报",
        status=BulletinStatus.READY,
        **common,
    )
    from saima.bulletins.services import header_of

    version = BulletinVersion(
        bulletin=draft,
        number=1,
        header=header_of(draft).to_json(),
        content={"sections": []},
        pdf_sha256="0" * 64,
        docx_sha256="0" * 64,
    )
    version.pdf.save("sample.pdf", ContentFile(b"%PDF-1.4 draft"), save=False)
    version.docx.save("sample.docx", ContentFile(b"PK draft"), save=False)
    version.save()
    published = Bulletin(
        kind="annual",
        year=2025,
        doc_number="杭发改〔2026〕1号",
        title="关于2025年度赛马激励先进集体的表彰通报",
        status=BulletinStatus.PUBLISHED,
        published_at=timezone.now(),
        **common,
    )
    published.pdf.save("sample.pdf", ContentFile(b"%PDF-1.4 final"), save=False)
    published.docx.save("sample.docx", ContentFile(b"PK final"), save=False)
    published.save()
    return {"bulletin_draft": draft, "bulletin_published": published}


def build_sample_objects() -> SampleObjects:
    """Build the world with the services, as users would; see ``SampleObjects``."""
    base: dict[str, Any] = build_small_province()
    city_a, city_b = base["city_a"], base["city_b"]
    units = {"上城区": base["county_a1"], "淳安县": base["county_a2"]}
    units["西湖区"] = make_unit("西湖区", UnitLevel.COUNTY, city_a, kind="区")
    users = {
        "organiser_a": base["users"]["organiser"],
        "reporter_a": base["users"]["reporter"],
        "discipline_a": base["users"]["discipline"],
        "nobody": base["users"]["nobody"],
        "organiser_b": user_with_role(Role.ORGANISER, city_b, "org_ls"),
        "reporter_b": user_with_role(Role.REPORTER, base["county_b1"], "rep_jy"),
    }
    organiser = users["organiser_a"]
    group = services.peer_group_set(
        actor=None, code="hz-counties", name="杭州县区", owner=city_a, members=list(units.values())
    )
    scheme = SAMPLE_SCHEME.format(group=group.code)
    race = schemes.race_create(
        actor=organiser,
        code="hz-race",
        name="杭州市县区赛马",
        owner=city_a,
        scheme_toml=scheme,
        robustness_draws=20,
    )
    quiet_race = schemes.race_create(
        actor=organiser, code="hz-quiet", name="杭州市未发布赛马", owner=city_a, scheme_toml=scheme
    )
    periods = [_sample_period(race, number, organiser) for number in (1, 2, 3, 4)]
    for period in periods[:3]:
        _sample_values(units, period, organiser, verify=True)
        reporting.period_close(actor=organiser, period=period)
    published = results.result_publish(
        actor=organiser, result=results.result_compute(actor=organiser, period=periods[0])
    )
    unpublished = results.result_compute(actor=organiser, period=periods[1])
    reporting.value_correct(
        actor=organiser,
        report=periods[0].reports.get(unit=units["淳安县"]),
        values={"fai": 6.5},
        reason="统计局核定数",
    )
    correction = results.result_compute(actor=organiser, period=periods[0], reason="更正淳安县数据")
    open_period = periods[3]
    report = open_period.reports.get(unit=units["上城区"])
    submitted = open_period.reports.get(unit=units["淳安县"])
    reporting.report_save(
        actor=organiser, report=submitted, values={"fai": 7.5, "snails": 3.0}, submit=True
    )
    evidence = reporting.evidence_add(
        actor=users["reporter_a"],
        report=report,
        upload=SimpleUploadedFile("快报.pdf", b"%PDF-1.4 sample"),
    )
    batch = _sample_import(open_period, report.unit, organiser)
    objection = objections.objection_submit(
        actor=users["reporter_a"],
        result=published,
        unit=units["上城区"],
        reasons="蜗牛项目数有误",
        evidence=SimpleUploadedFile("说明.pdf", b"%PDF-1.4 objection"),
    )
    notice = Notice.objects.create(user=users["reporter_a"], title="请尽快填报", link="/")
    return SampleObjects(
        users=users,
        city_a=city_a,
        city_b=city_b,
        unit_a=units["上城区"],
        race=race,
        quiet_race=quiet_race,
        published_period=periods[0],
        computed_period=periods[1],
        closed_period=periods[2],
        open_period=open_period,
        published=published,
        unpublished=unpublished,
        correction=correction,
        report=report,
        submitted=submitted,
        evidence=evidence,
        batch=batch,
        objection=objection,
        notice=notice,
        **_sample_bulletins(city_a, organiser),
    )
