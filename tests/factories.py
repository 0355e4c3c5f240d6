"""Factories shared by every app's tests: units and users, and one of every kind of object."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass
from typing import Any

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from saima.api import services as api_services
from saima.api.models import ApiToken
from saima.core.models import Notice
from saima.org import services
from saima.org.models import Person, Role, Unit, UnitLevel, User
from saima.races.models import Evidence, ImportBatch, Objection, Period, Race, Report, Result
from saima.races.objections import services as objections
from saima.races.reporting import imports
from saima.races.reporting import services as reporting
from saima.races.reporting.import_templates import template_headers
from saima.races.results import services as results
from saima.races.schemes import services as schemes
from saima.races.schemes.selectors import parse_scheme
from saima.safeguards.models import ClarificationCase, ReformItem, ToleranceApplication
from tests.projects.samples import ProjectSamples, build_project_samples

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
    bulletin_draft: Any  # city A's 2026 Q1 bulletin, generated (version 1), unpublished
    bulletin_published: Any  # city A's 2025 commendation, published
    conduct: ConductSamples  # clues, rounds and a rectification in city A
    arena: Any  # tests.arena.world.ArenaWorld: contests of 杭州市 in every state
    token: ApiToken  # reporter_a's API token for 上城区
    safeguards: SafeguardSamples  # 上城区's cadre 张三 and his tolerance and clarification cases
    projects: ProjectSamples  # key projects of 杭州市 (tests/projects/samples.py)
    lights: Any  # key-project lights, ratings, cards (tests.projects_lights.samples)


@dataclass
class SafeguardSamples:
    """张三 (上城区, city A) and one safeguards object in each state a step starts from; every
    case and application was raised by the superuser, so ``discipline_a`` may act on all."""

    person: Person
    item: ReformItem
    submitted: ToleranceApplication
    reviewed: ToleranceApplication  # under review, every condition assessed as met
    opened: ClarificationCase
    verified: ClarificationCase  # false accusation, no consent
    substantiated: ClarificationCase  # verified, allegation true
    public: ClarificationCase  # cleared by public notice, consent standing


def build_safeguard_samples(
    city_a: Unit, unit_a: Unit, officer: User, raiser: User
) -> SafeguardSamples:
    from saima.safeguards.clarification import services as clarification
    from saima.safeguards.tolerance import services as tolerance

    person = services.person_create(actor=None, name="张三", unit=unit_a, position="区长")
    item = tolerance.item_create(actor=officer, owner=city_a, name="标准地改革")

    def apply() -> ToleranceApplication:
        return tolerance.application_submit(actor=raiser, item=item, person=person, facts="失误")

    submitted, reviewed = apply(), apply()
    tolerance.application_accept(actor=officer, application=reviewed)
    for condition in tolerance.checklist_of(reviewed):
        tolerance.assessment_record(
            actor=officer,
            application=reviewed,
            condition=condition,
            holds=not condition.is_red_line,
            reason="经核查",
        )

    def case(finding: str = "") -> ClarificationCase:
        opened = clarification.case_open(actor=raiser, person=person, allegation="反映其违规")
        if not finding:
            return opened
        return clarification.case_verify(
            actor=officer, case=opened, finding=finding, verification="核实"
        )

    public = case("false_accusation")
    clarification.consent_record(actor=officer, case=public, given_on=dt.date(2026, 11, 1))
    public = clarification.case_clarify(actor=officer, case=public, form="notice", statement="通报")
    return SafeguardSamples(
        person=person,
        item=item,
        submitted=submitted,
        reviewed=ToleranceApplication.objects.get(pk=reviewed.pk),
        opened=case(),
        verified=case("untrue"),
        substantiated=case("substantiated"),
        public=public,
    )


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


@dataclass
class ConductSamples:
    """``clue``: about 上城区 (unit A), new, with one evidence picture; ``open_round``: 杭州市
    2026Q4, not published; ``rectification``: 上城区's item from the published 2026Q1 round
    (a snail award), open — ``reporter_a`` reports it, ``discipline_a`` verifies it."""

    clue: Any
    open_round: Any
    published_round: Any
    rectification: Any


def build_conduct_samples(city_a: Unit, unit_a: Unit, users: dict[str, User]) -> ConductSamples:
    import io

    from PIL import Image

    from saima.conduct import awards, clues
    from saima.conduct.clues import ClueInput
    from saima.conduct.models import ClueStatus, Rectification

    picture = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 0, 0)).save(picture, "JPEG")
    data = ClueInput(unit=unit_a, summary="审批拖延", account="材料交齐三个月无答复")
    clue, _receipt = clues.clue_submit(
        data=data, evidence=[SimpleUploadedFile("a.jpg", picture.getvalue())]
    )
    officer = users["discipline_a"]
    found, _receipt = clues.clue_submit(data=data)
    found = clues.clue_assign(actor=officer, clue=found, assignee=officer)
    found = clues.clue_start(actor=officer, clue=found)
    found = clues.clue_decide(
        actor=officer, clue=found, decision=ClueStatus.SUBSTANTIATED, findings="属实"
    )
    published = awards.round_open(actor=officer, owner=city_a, year=2026, quarter=1)
    found.__class__.objects.filter(pk=found.pk).update(decided_on=published.starts_on)
    found.refresh_from_db()
    awards.award_add(
        actor=officer, award_round=published, kind="snail", unit=unit_a, clue=found, reason="拖延"
    )
    awards.round_publish(actor=officer, award_round=published)
    open_round = awards.round_open(actor=officer, owner=city_a, year=2026, quarter=4)
    return ConductSamples(
        clue=clue,
        open_round=open_round,
        published_round=published,
        rectification=Rectification.objects.get(award__round=published),
    )


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
    arena = _sample_arena(city_a, users)
    token = api_services.token_create(
        actor=users["reporter_a"], unit=units["上城区"], roles=[Role.REPORTER], name="对接", days=30
    ).token
    safeguards = build_safeguard_samples(
        city_a, units["上城区"], users["discipline_a"], base["users"]["superuser"]
    )
    project_samples = build_project_samples(
        city_a=city_a, unit_a=units["上城区"], unit_a2=units["淳安县"], users=users
    )
    from tests.projects_lights.samples import build_lights_samples

    lights = build_lights_samples(base)
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
        conduct=build_conduct_samples(city_a, units["上城区"], users),
        arena=arena,
        token=token,
        safeguards=safeguards,
        projects=project_samples,
        lights=lights,
    )


def _sample_arena(city: Unit, users: dict[str, User]) -> Any:
    """Arena contests of 杭州市 (see ``tests.arena.world``); ``judge_a`` holds a seat in the
    running one as a signed-in judge. The links were opened once, so visiting them again within
    ten minutes writes nothing (``services.link_touch``)."""
    from saima.arena import services as arena
    from saima.arena.models import JudgeLink, JudgeSeat
    from tests.arena.world import build_arena

    world = build_arena(city, users["organiser_a"])
    users["judge_a"] = user_with_role(Role.JUDGE, city, "judge_hz_a")
    panel = world.running.panels.get(code="leaders")
    world.seats["judge_a"] = arena.setup_save(
        actor=users["organiser_a"],
        contest=world.running,
        obj=JudgeSeat(
            contest=world.running, panel=panel, name="评委甲", unit=city, user=users["judge_a"]
        ),
    )
    for link in JudgeLink.objects.filter(revoked_at__isnull=True):
        arena.link_touch(link)
    return world
