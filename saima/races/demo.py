"""Demo races: the Zhejiang investment race (11 cities, 90 counties) and 缙云县's town race, each
with eight published quarters, a correction after an upheld objection, and the current quarter
open for reporting (some units submitted, one returned, 遂昌县 still to report).

Everything goes through the services, as an organiser would do it; the only shortcut is that
publication times of past quarters are set back to when they would have been published.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.utils import timezone

from saima.core.demo import DEMO_PASSWORD, DemoContext, DemoLogin
from saima.engine import Scheme
from saima.org import services as org_services
from saima.org.models import Role, Unit, UnitLevel, User
from saima.races.models import Period, Race, Report, Result
from saima.races.objections import services as objection_services
from saima.races.reporting import services as reporting
from saima.races.reporting.imports import import_values
from saima.races.reporting.selectors import participants_of
from saima.races.results import services as result_services
from saima.races.schemes.selectors import parse_scheme
from saima.races.schemes.services import race_create
from saima.races.schemes.templates import template_toml

QUARTERS = 8
# indicator code → (mean, spread, effect of the unit's strength, kind)
PROFILES = {
    "fai_growth": (7.5, 3.0, 2.5, "rate"),
    "construction_growth": (6.0, 3.5, 2.0, "rate"),
    "plan_completion": (78.0, 8.0, 6.0, "share"),
    "key_project_completion": (80.0, 9.0, 6.0, "share"),
    "hightech_growth": (12.0, 6.0, 4.0, "rate"),
    "manufacturing_growth": (9.0, 5.0, 3.0, "rate"),
    "private_share": (55.0, 8.0, 4.0, "share"),
    "landing_rate": (70.0, 10.0, 7.0, "share"),
    "red_flag_projects": (2.0, 1.0, 1.0, "count"),
    "major_industrial_projects": (3.0, 1.5, 1.2, "count"),
    "snail_projects": (1.0, 0.8, -0.6, "count"),
    "industry_growth": (8.0, 4.0, 3.0, "rate"),
    "revenue_growth": (5.0, 4.0, 2.5, "rate"),
    "investment_attracted": (3.0, 1.0, 1.0, "money"),
    "projects_started": (3.0, 1.5, 1.0, "count"),
    "land_cleared": (120.0, 50.0, 40.0, "money"),
    "income_growth": (7.0, 1.0, 0.6, "rate"),
    "petitions": (3.0, 2.0, -1.0, "count"),
    "safety_incidents": (0.6, 0.6, -0.3, "count"),
}


def import_file(period: Period) -> str:
    """The file an organiser imports: the statistics office's summary of the quarter."""
    return f"{period.label}统计快报汇总表.csv"


def _quarters(now: dt.datetime) -> list[tuple[int, int]]:
    year, quarter = now.year, (now.month - 1) // 3 + 1
    out = []
    for _ in range(QUARTERS + 1):
        out.append((year, quarter))
        year, quarter = (year, quarter - 1) if quarter > 1 else (year - 1, 4)
    return out[::-1]  # oldest first; the last one is the current quarter


def _quarter_deadline(year: int, quarter: int) -> dt.datetime:
    month = quarter * 3 + 1
    year, month = (year + 1, 1) if month > 12 else (year, month)
    return timezone.make_aware(dt.datetime(year, month, 15, 17, 0))


def synthetic_values(
    scheme: Scheme, strength: np.ndarray, rng: np.random.Generator, t: int
) -> np.ndarray:
    n = strength.size
    out = np.empty((n, len(scheme.indicators)))
    for j, indicator in enumerate(scheme.indicators):
        mean, spread, effect, kind = PROFILES.get(indicator.code, (10.0, 3.0, 2.0, "rate"))
        column = (
            mean
            + effect * strength
            + spread * rng.standard_normal(n) * 0.35
            + 0.2 * t * np.sign(effect)
        )
        if kind == "count":
            column = np.maximum(0, np.round(column))
        elif kind == "share":
            column = np.clip(np.round(column, 1), 5, 100)
        elif kind == "money":
            column = np.maximum(0.1, np.round(column, 2))
        else:
            column = np.round(column, 1)
        out[:, j] = column
    return out


def _as_rows(
    reports: list[Report], scheme: Scheme, values: np.ndarray
) -> dict[str, dict[str, float | None]]:
    """Unit code → indicator code → value, as the organiser's file has them."""
    return {
        r.unit.code: {code: float(values[i, j]) for j, code in enumerate(scheme.codes)}
        for i, r in enumerate(reports)
    }


def _run_quarter(
    race: Race, organiser: User, year: int, quarter: int, values: np.ndarray, *, backdate: bool
) -> Result:
    period = reporting.period_open(
        actor=organiser,
        race=race,
        year=year,
        number=quarter,
        deadline=_quarter_deadline(year, quarter),
    )
    reports = list(Report.objects.filter(period=period).select_related("unit").order_by("pk"))
    scheme = parse_scheme(race.scheme_toml)
    import_values(
        actor=organiser,
        period=period,
        values=_as_rows(reports, scheme, values),
        filename=import_file(period),
    )
    reporting.reports_verify_bulk(
        actor=organiser, period=period, report_ids=[r.pk for r in reports]
    )
    reporting.period_close(actor=organiser, period=period)
    result = result_services.result_compute(actor=organiser, period=period)
    result = result_services.result_publish(actor=organiser, result=result)
    published = period.deadline + dt.timedelta(days=10)
    if backdate and published < timezone.now():
        Result.objects.filter(pk=result.pk).update(published_at=published)
        result.published_at = published
    return result


def _open_current(
    race: Race, organiser: User, year: int, quarter: int, values: np.ndarray, skip: set[str]
) -> Period:
    period = reporting.period_open(
        actor=organiser,
        race=race,
        year=year,
        number=quarter,
        deadline=timezone.now() + dt.timedelta(days=6),
    )
    reports = list(Report.objects.filter(period=period).select_related("unit").order_by("pk"))
    scheme = parse_scheme(race.scheme_toml)
    rows = _as_rows(reports, scheme, values)
    chosen = {
        r.unit.code: rows[r.unit.code]
        for i, r in enumerate(reports)
        if i % 5 != 4 and r.unit.name not in skip
    }
    if len(reports) > 4:  # a copied row and an implausible jump, for the anomaly flags to find
        first = reports[0].unit.code
        chosen[first] = dict(rows[first])
        chosen[first][scheme.codes[0]] = (chosen[first][scheme.codes[0]] or 0.0) * 6 + 30
    import_values(actor=organiser, period=period, values=chosen, filename=import_file(period))
    submitted = [r for r in reports if r.unit.code in chosen]
    reporting.reports_verify_bulk(
        actor=organiser, period=period, report_ids=[r.pk for r in submitted[2::2]]
    )
    returned = submitted[1] if len(submitted) > 1 else None
    if returned is not None:
        reporting.report_return(
            actor=organiser,
            report=returned,
            comment="固定资产投资增速与统计快报不一致，请核对后重新报送。",
        )
    return period


def _objections(race: Race, organiser: User, reporter: User) -> None:
    unit = Unit.objects.get(name="遂昌县", level=UnitLevel.COUNTY)
    results = list(
        Result.objects.filter(period__race=race, is_current=True).order_by(
            "period__year", "period__number"
        )
    )
    if len(results) < 2:
        return
    older, latest = results[-2], results[-1]
    objection = objection_services.objection_submit(
        actor=reporter,
        result=older,
        unit=unit,
        now=older.published_at,
        reasons="本县“省重大产业项目数”漏报 1 个（xx新材料项目已于季度内列入省重大产业项目计划），附批复文件。",
    )
    report = Report.objects.get(period=older.period, unit=unit)
    current = {v.indicator: v.value for v in report.values.all()}
    reporting.value_correct(
        actor=organiser,
        report=report,
        reason="异议成立：补录漏报的省重大产业项目 1 个",
        values={"major_industrial_projects": (current.get("major_industrial_projects") or 0) + 1},
    )
    corrected = result_services.result_compute(
        actor=organiser, period=older.period, reason="遂昌县异议成立，补录漏报的省重大产业项目 1 个"
    )
    corrected = result_services.result_publish(actor=organiser, result=corrected)
    objection_services.objection_answer(
        actor=organiser,
        objection=objection,
        upheld=True,
        correction=corrected,
        answer="经核实，该项目已列入省重大产业项目计划，异议成立。已更正数据并发布第 2 版结果。",
    )
    objection_services.objection_submit(
        actor=reporter,
        result=latest,
        unit=unit,
        reasons="本县民间投资占比口径与统计局口径不一致，请复核。",
    )


def _town_reporter(ctx: DemoContext) -> User:
    town = Unit.objects.get(name="壶镇镇", level=UnitLevel.TOWN)
    user = User.objects.filter(username="reporter_town").first()
    if user is None:
        person = org_services.person_create(
            actor=None, name="李建军", unit=town, position="镇经济发展办 统计员"
        )
        user = org_services.user_create(
            actor=None,
            username="reporter_town",
            password=DEMO_PASSWORD,
            display_name="李建军",
            person=person,
        )
    org_services.role_grant(actor=None, user=user, role=Role.REPORTER, unit=town)
    ctx.logins.append(
        DemoLogin(
            str(Role.REPORTER.label), "reporter_town", DEMO_PASSWORD, "壶镇镇（缙云县乡镇赛马）"
        )
    )
    return user


def _race(
    ctx: DemoContext,
    code: str,
    name: str,
    owner: Unit,
    template: str,
    organiser: User,
    seed: int,
    skip: set[str],
) -> Race:
    race = race_create(
        actor=organiser,
        code=code,
        name=name,
        owner=owner,
        scheme_toml=template_toml(template, owner),
        description="演示数据：八个季度的已发布结果，本季度正在填报。",
    )
    scheme = parse_scheme(race.scheme_toml)
    rng = np.random.default_rng(seed)
    quarters = _quarters(timezone.now())
    # reports are created in participant order, so row i of the values is the i-th report by pk
    strength = rng.standard_normal(len(participants_of(race)))
    for t, (year, quarter) in enumerate(quarters):
        values = synthetic_values(
            scheme, strength + 0.25 * rng.standard_normal(strength.size), rng, t
        )
        if t < QUARTERS:
            _run_quarter(race, organiser, year, quarter, values, backdate=t < QUARTERS - 1)
        else:
            _open_current(race, organiser, year, quarter, values, skip)
    ctx.say(f"{race.name}: {QUARTERS} quarters published, {quarters[-1][0]}Q{quarters[-1][1]} open")
    return race


def load(ctx: DemoContext) -> None:
    if Race.objects.filter(code="zj-investment").exists():
        _town_reporter(ctx)
        ctx.say("races already loaded")
        return
    organiser = User.objects.get(username="organiser")
    reporter = User.objects.get(username="reporter")
    province = Unit.objects.get(level=UnitLevel.PROVINCE, name="浙江省")
    race = _race(
        ctx,
        "zj-investment",
        "浙江省投资“赛马”激励",
        province,
        "zhejiang_investment",
        organiser,
        ctx.seed,
        skip={"遂昌县"},
    )
    _objections(race, organiser, reporter)
    jinyun = Unit.objects.get(name="缙云县", level=UnitLevel.COUNTY)
    jinyun_organiser = User.objects.get(username="organiser_jinyun")
    _town_reporter(ctx)
    _race(
        ctx,
        "jinyun-towns",
        "缙云县乡镇（街道）重点指标赛马",
        jinyun,
        "county_towns",
        jinyun_organiser,
        ctx.seed + 1,
        skip={"壶镇镇"},
    )
