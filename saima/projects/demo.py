"""Demo key projects: the province's 2025 and 2026 key-project lists (浙江省重点建设项目), about
300 projects across Zhejiang's counties with two years of monthly reports from a seeded model —
most on schedule, some lagging a little or a lot (so every light colour appears), a few reports
late or missing, site photos for a handful — and two logins: the provincial key-project office
(省重点项目办, organiser) and a project owner unit (遂昌县发展改革局, reporter).

Everything goes through the services and the shared import path (the office imports the list
and each month's summary sheet, the owner unit files its own months by the form). The one
shortcut: submission times of past months are set back to when they were filed (the import
stamps "now"), so on-time and late reports look as they would have.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from saima.core.audit import record_event
from saima.core.demo import DEMO_PASSWORD, DemoContext, DemoLogin
from saima.org import services as org_services
from saima.org.models import Role, Unit, UnitLevel, User
from saima.projects import imports, reporting, services
from saima.projects.import_rows import MILESTONE_HEADERS, PROJECT_COLUMNS
from saima.projects.models import (
    PLAN_FIELDS,
    Category,
    ImportKind,
    Milestone,
    MilestoneReached,
    MonthlyReport,
    Project,
    ProjectList,
    ReportStatus,
)
from saima.projects.reporting import ReportInput

SEED = 20260901
PROJECTS = 300
OWNER_UNIT = "遂昌县发展改革局"
OWNER_COUNTY = "遂昌县"
OFFICE_USER = ("keyproject", "何建平", "省发展改革委 重点项目处（省重点建设项目办公室）主任")
OWNER_USER = ("project_owner", "叶明", "遂昌县发展改革局 项目科科长")
# Monthly weight of planned investment (Spring Festival in Jan/Feb; a push before year end).
SEASON = np.array([0.5, 0.45, 0.85, 0.95, 1.0, 1.0, 0.95, 0.95, 1.05, 1.1, 1.15, 1.3])
NAMES = {
    Category.TRANSPORT: [
        "{c}综合客运枢纽",
        "国道G235线{c}段改建工程",
        "{c}城市快速路一期",
        "{c}通用机场",
        "{c}港区集装箱码头",
        "{c}至高速互通连接线",
    ],
    Category.INDUSTRY: [
        "{c}年产20万套新能源汽车零部件项目",
        "{c}高端装备制造产业园",
        "{c}集成电路封装测试基地",
        "{c}生物医药创新产业园",
        "{c}年产5万吨新材料项目",
        "{c}智能家居产业基地",
    ],
    Category.ENERGY: [
        "{c}100MW渔光互补光伏电站",
        "{c}抽水蓄能电站",
        "{c}220千伏输变电工程",
        "{c}天然气分输站及管线",
    ],
    Category.WATER: [
        "{c}水库扩容工程",
        "{c}海塘安澜工程",
        "{c}城乡供水一体化工程",
        "{c}流域综合治理工程",
    ],
    Category.URBAN: [
        "{c}未来社区建设项目",
        "{c}老旧小区综合改造",
        "{c}城市有机更新一期",
        "{c}地下综合管廊",
    ],
    Category.SOCIAL: [
        "{c}人民医院迁建工程",
        "{c}第一中学新校区",
        "{c}养老服务中心",
        "{c}全民健身中心",
    ],
    Category.ECOLOGY: ["{c}污水处理厂提标改造", "{c}垃圾焚烧发电项目", "{c}矿山生态修复工程"],
    Category.DIGITAL: ["{c}大数据中心", "{c}5G网络及算力中心"],
}
CATEGORY_WEIGHTS = {
    Category.TRANSPORT: 0.22,
    Category.INDUSTRY: 0.3,
    Category.ENERGY: 0.1,
    Category.WATER: 0.1,
    Category.URBAN: 0.1,
    Category.SOCIAL: 0.1,
    Category.ECOLOGY: 0.05,
    Category.DIGITAL: 0.03,
}
PROBLEMS = [
    "用地报批进度滞后，需省自然资源厅协调农转用指标",
    "政策处理涉及12户房屋征收，需县政府协调",
    "主体设备进口清关延迟，需商务部门协助",
    "环评批复待省生态环境厅审查",
    "资金到位不足，需协调专项债额度",
]


def _office(ctx: DemoContext) -> tuple[User, User, Unit]:
    province = Unit.objects.get(level=UnitLevel.PROVINCE)
    county = Unit.objects.get(name=OWNER_COUNTY, level=UnitLevel.COUNTY)
    owner = Unit.objects.filter(name=OWNER_UNIT).first() or org_services.unit_create(
        actor=None,
        code=f"{county.code}D01",
        name=OWNER_UNIT,
        level=UnitLevel.DEPARTMENT,
        kind="部门",
        parent=county,
        reason="按本级机构设置方案建立部门",
    )
    users = []
    for (username, display, position), unit, role in (
        (OFFICE_USER, province, Role.ORGANISER),
        (OWNER_USER, owner, Role.REPORTER),
    ):
        user = User.objects.filter(username=username).first()
        if user is None:
            person = org_services.person_create(
                actor=None, name=display, unit=unit, position=position, reason="按干部名册录入"
            )
            user = org_services.user_create(
                actor=None,
                username=username,
                password=DEMO_PASSWORD,
                display_name=display,
                person=person,
                reason=f"为{unit.name}{display}开通重点项目账号",
            )
        org_services.role_grant(
            actor=None, user=user, role=role, unit=unit, reason=f"授予{display}{role.label}角色"
        )
        ctx.logins.append(
            DemoLogin(str(role.label), username, DEMO_PASSWORD, f"{unit.name} · {position}")
        )
        users.append(user)
    return users[0], users[1], owner


def _iso(date: dt.date | None) -> str:
    return date.isoformat() if date else ""


def _short(name: str) -> str:
    return name[:-1] if len(name) > 2 and name[-1] in "县区市" else name


class Model:
    """The seeded project model: sizes, plans, speeds and what each month reports."""

    def __init__(self, counties: list[Unit], owner: Unit, today: dt.date) -> None:
        self.rng = np.random.default_rng(SEED)
        self.today = today
        self.counties = counties
        self.owner = owner
        self.rows: list[dict[str, Any]] = []
        self._build()

    def _build(self) -> None:
        rng = self.rng
        cats = list(CATEGORY_WEIGHTS)
        probs = np.array(list(CATEGORY_WEIGHTS.values()))
        used: set[str] = set()
        n = PROJECTS + 20  # 20 finished in 2025 and left the list
        for i in range(n):
            county = (
                self.counties[i % len(self.counties)]
                if i < 12 or rng.random() < 0.6
                else self.counties[int(rng.integers(len(self.counties)))]
            )
            if i < 8:
                county = next(c for c in self.counties if c.name == OWNER_COUNTY)
            category = cats[int(rng.choice(len(cats), p=probs / probs.sum()))]
            for _try in range(20):
                name = str(rng.choice(NAMES[category])).format(c=_short(county.name))
                if name not in used:
                    break
                name = f"{name}（{_try + 2}期）"
            used.add(name)
            total = float(np.clip(rng.lognormal(np.log(60000), 0.8), 8000, 900000))
            speed = float(rng.choice([1.0, 0.82, 0.6, 0.4, 1.15], p=[0.62, 0.16, 0.1, 0.06, 0.06]))
            self.rows.append(
                {
                    "code": f"ZJZD-{i + 1:04d}",
                    "name": name,
                    "county": county,
                    "owner": self.owner if i < 8 else county,
                    "category": category,
                    "total": round(total, -1),
                    "speed": speed * float(rng.uniform(0.96, 1.04)),
                    "started_year": 2024 if i % 3 else 2025,  # a third start in 2025
                    "finishes_2025": i >= PROJECTS,
                    "new_2026": PROJECTS - 40 <= i < PROJECTS,
                }
            )

    def plan(
        self, row: dict[str, Any], year: int
    ) -> tuple[list[float], float, dict[str, dt.date | None]]:
        """Monthly plan (万元), invested before the year, planned milestone dates."""
        total = row["total"]
        share = 0.55 if row["finishes_2025"] else (0.3 if year == 2025 else 0.35)
        weights = SEASON / SEASON.sum()
        monthly = [round(total * share * w, 1) for w in weights]
        before = total * (0.15 if year == 2025 else 0.45) if not row["new_2026"] else 0.0
        start_year = 2026 if row["new_2026"] else row["started_year"]
        start = dt.date(start_year, 3 + int(self.rng.integers(0, 4)), 15)
        completion = (
            dt.date(2025, 12, 20)
            if row["finishes_2025"]
            else dt.date(2027 + int(self.rng.integers(0, 3)), 6, 30)
        )
        dates: dict[str, dt.date | None] = {
            "signing": start - dt.timedelta(days=75),
            "land": start - dt.timedelta(days=40),
            "approval": start - dt.timedelta(days=20),
            "start": start,
            "completion": completion,
        }
        if start.year < year:
            monthly = monthly  # an ongoing project: the plan runs all year
        else:
            cut = start.month - 1
            moved = sum(monthly[:cut])
            monthly = [0.0] * cut + [m + moved / (12 - cut) for m in monthly[cut:]]
        return [round(m, 1) for m in monthly], round(before, 1), dates


def _project_rows(model: Model, year: int) -> tuple[list[str], list[list[Any]]]:
    labels = {c.key: c.label for c in PROJECT_COLUMNS}
    keys = [
        "code",
        "name",
        "owner_unit",
        "locality",
        "category",
        "total_investment",
        "invested_before",
        *PLAN_FIELDS,
    ]
    keys += [f"planned_{c}" for c in Milestone.values] + [
        "leader_name",
        "contact_name",
        "contact_phone",
        "description",
    ]
    rows = []
    for row in model.rows:
        if (year == 2026 and row["finishes_2025"]) or (year == 2025 and row["new_2026"]):
            continue
        monthly, before, dates = model.plan(row, year)
        row[f"plan_{year}"] = (monthly, before, dates)
        rows.append(
            [
                row["code"],
                row["name"],
                row["owner"].code,
                row["county"].code,
                str(Category(row["category"]).label),
                row["total"],
                before,
                *monthly,
                *[_iso(dates[c]) for c in Milestone.values],
                "王" + "建国海明志强"[int(row["total"]) % 6] + "副县长",
                "李" + "晓梅丽华"[int(row["total"]) % 4],
                f"0578-{8000000 + int(row['total']) % 999999}",
                f"总投资约{row['total'] / 10000:.1f}亿元",
            ]
        )
    return [str(labels[k]) for k in keys], rows


def _report_rows(
    model: Model, plist: ProjectList, month: int
) -> tuple[list[str], list[list[Any]], dict[str, float]]:
    """One month's summary sheet: most projects, with a few missing; returns the offsets (days
    after the deadline each was filed: negative on time)."""
    year = plist.year
    headers = [
        "项目代码",
        "本年累计完成投资（万元）",
        "形象进度（%）",
        "本月进展",
        "需协调解决的问题",
        "问题可公开",
    ]
    headers += [f"{h}日期" for h in MILESTONE_HEADERS.values()]
    rng = model.rng
    rows, offsets = [], {}
    for row in model.rows:
        if f"plan_{year}" not in row:
            continue
        if row["owner"] == model.owner and (year, month) >= (2026, 10):
            continue  # the owner unit files these itself (by the form)
        if rng.random() < 0.025:
            continue  # not reported (grey light)
        monthly, before, dates = row[f"plan_{year}"]
        planned = sum(monthly[:month])
        trend = row["speed"] if row["speed"] >= 0.8 or month > 2 else 1.0
        done = max(0.0, planned * trend * float(rng.uniform(0.97, 1.03)))
        done = max(done, row.get(f"done_{year}", 0.0))
        row[f"done_{year}"] = done
        progress = min(100.0, (before + done) / row["total"] * 100 * float(rng.uniform(0.95, 1.05)))
        progress = max(progress, row.get("progress", 0.0))
        row["progress"] = progress
        reached = {}
        for code in Milestone.values:
            plan_date = dates[code]
            delay = 0 if row["speed"] >= 0.8 else (45 if row["speed"] >= 0.55 else 400)
            actual = (
                plan_date + dt.timedelta(days=delay + int(rng.integers(-10, 10)))
                if plan_date
                else None
            )
            if code == Milestone.COMPLETION and not row["finishes_2025"]:
                actual = None
            if (
                actual
                and actual.year == year
                and actual.month == month
                and code not in row.setdefault("reached", set())
            ) or (
                actual
                and actual < dt.date(year, 1, 1)
                and code not in row.setdefault("reached", set())
                and month == 1
            ):
                reached[code] = actual
                row["reached"].add(code)
        problem = (
            PROBLEMS[int(rng.integers(len(PROBLEMS)))]
            if row["speed"] < 0.7 and month % 3 == 0
            else ""
        )
        note = "主体工程按计划推进" if row["speed"] >= 0.8 else "受要素制约，进度滞后"
        rows.append(
            [
                row["code"],
                round(done, 1),
                round(progress, 1),
                note,
                problem,
                "是" if problem and rng.random() < 0.3 else "否",
                *[reached[c].isoformat() if c in reached else "" for c in Milestone.values],
            ]
        )
        offsets[row["code"]] = float(
            rng.choice([-3.0, -1.0, -0.3, 2.0, 6.0], p=[0.4, 0.3, 0.2, 0.07, 0.03])
        )
    return headers, rows, offsets


def _backdate(plist: ProjectList, month: int, offsets: dict[str, float]) -> None:
    """The time each report was filed, relative to its deadline (the import stamps "now");
    one UPDATE per distinct offset."""
    due = reporting.due_at(plist, plist.year, month)
    now = timezone.now()
    reports = MonthlyReport.objects.filter(year=plist.year, month=month)
    if due > now:  # the month still open: filed over the last day
        reports.filter(project__code__in=list(offsets)).update(
            submitted_at=now - dt.timedelta(hours=5), late=False
        )
        return
    for offset in sorted(set(offsets.values())):
        codes = [code for code, value in offsets.items() if value == offset]
        reports.filter(project__code__in=codes).update(
            submitted_at=due + dt.timedelta(days=offset), late=offset > 0
        )


def _history(
    office: User, plist: ProjectList, month: int, rows: list[list[Any]], offsets: dict[str, float]
) -> None:
    """A past month's summary sheet, written in bulk (the demo's speed shortcut for 20-odd
    months × 300 projects; the newest month goes through the import path itself), with one
    audit event naming the sheet."""
    projects = dict(Project.objects.filter(code__in=[r[0] for r in rows]).values_list("code", "pk"))
    due = reporting.due_at(plist, plist.year, month)
    reports, reached = [], []
    for code, invested, progress, note, problem, public, *dates in rows:
        offset = offsets[code]
        reports.append(
            MonthlyReport(
                project_id=projects[code],
                year=plist.year,
                month=month,
                cumulative_investment=Decimal(f"{invested:.1f}"),
                physical_progress=Decimal(f"{progress:.1f}"),
                progress_note=note,
                problems=problem,
                problems_public=public == "是",
                status=ReportStatus.SUBMITTED,
                submitted_at=due + dt.timedelta(days=offset),
                submitted_by=office,
                late=offset > 0,
            )
        )
        for milestone, date in zip(Milestone.values, dates, strict=True):
            if date:
                reached.append(
                    MilestoneReached(
                        project_id=projects[code],
                        milestone=milestone,
                        reached_on=dt.date.fromisoformat(date),
                        recorded_by=office,
                    )
                )
    MonthlyReport.objects.bulk_create(reports, batch_size=500)
    MilestoneReached.objects.bulk_create(reached, batch_size=500)
    record_event(
        actor=office,
        action="projects.import.reports",
        obj=plist,
        reason=f"{plist.year}年{month}月重点项目进展汇总表.csv",
        after={"month": month, "reports": len(reports), "milestones": len(reached)},
    )


def _photo(color: tuple[int, int, int], label: str) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), (200, 225, 240))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 220, 480, 320), fill=(150, 140, 120))
    draw.rectangle((60, 90, 260, 220), fill=color)
    draw.rectangle((300, 40, 330, 220), fill=(230, 170, 40))
    draw.line((315, 40, 440, 60), fill=(230, 170, 40), width=6)
    draw.text((20, 20), label, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return SimpleUploadedFile(f"{label}.png", out.getvalue(), content_type="image/png")


def _owner_months(owner_user: User, model: Model, today: dt.date, plist: ProjectList) -> None:
    """The owner unit files its October by the form (with photos) and leaves November as a draft
    for one project; the rest of November is still to do (the reporter's task list)."""
    rows = [r for r in model.rows if r["owner"] == model.owner and "plan_2026" in r]
    for index, row in enumerate(rows):
        project = Project.objects.get(code=row["code"])
        monthly, before, _dates = row["plan_2026"]
        last = MonthlyReport.objects.filter(project=project, year=2026).order_by("-month").first()
        done = float(last.cumulative_investment) if last else 0.0
        months = [m for m in (10, 11) if dt.date(2026, m, 1) <= today.replace(day=1)]
        for month in months:
            if month == 11 and index > 0:
                break
            done = max(done, sum(monthly[:month]) * row["speed"])
            data = ReportInput(
                Decimal(f"{done:.1f}"),
                Decimal(f"{min(100.0, (before + done) / row['total'] * 100):.1f}"),
                progress_note="完成主体结构施工，进入设备安装阶段"
                if row["speed"] >= 0.8
                else "受雨季影响，土方工程滞后",
                problems="220千伏线路迁改需电力公司配合" if index == 1 else "",
            )
            photos = (
                [_photo((90 + 30 * index, 120, 160), f"{row['code']} {month}月")]
                if month == 10 and index < 4
                else []
            )
            report = reporting.report_save(
                actor=owner_user,
                project=project,
                year=2026,
                month=month,
                data=data,
                submit=month == 10,
                photos=photos,
                photo_caption="主体结构施工现场" if photos else "",
            )
            if month == 10:
                _backdate(plist, 10, {row["code"]: -1.5})
            first = report.photos.first()
            if month == 10 and first is not None and index % 2 == 0:
                reporting.photo_publish(actor=owner_user, photo=first, public=True)


def load(ctx: DemoContext) -> None:
    """The register and two years of reports, then the lights, ratings, cards, supervision and
    incentives computed from them (``demo_progress``); each part reuses what exists."""
    from saima.projects import demo_progress

    _register(ctx)
    demo_progress.load(ctx)


def _register(ctx: DemoContext) -> None:
    if ProjectList.objects.filter(code="zj-2026").exists():
        ctx.say("key projects already loaded")
        return
    office, owner_user, owner = _office(ctx)
    province = Unit.objects.get(level=UnitLevel.PROVINCE)
    counties = list(Unit.objects.filter(level=UnitLevel.COUNTY).order_by("path"))
    today = timezone.localdate()
    model = Model(counties, owner, today)
    for year in (2025, 2026):
        if year > today.year:
            break
        plist = services.list_create(
            actor=office,
            code=f"zj-{year}",
            name=f"{year}年浙江省重点建设项目",
            owner=province,
            year=year,
            description="省重点建设项目争先创优立功竞赛：比进度、比投资、比形象。",
        )
        headers, rows = _project_rows(model, year)
        imports.import_rows(
            actor=office,
            plist=plist,
            kind=ImportKind.PROJECTS,
            headers=headers,
            rows=rows,
            filename=f"{year}年省重点建设项目计划.csv",
        )
        services.list_publish(actor=office, plist=plist)
        reporting.deadlines_ensure(plist)
        last = 12 if year < today.year else today.month - 1
        for month in range(1, last + 1):
            headers, rows, offsets = _report_rows(model, plist, month)
            if year == today.year and month == last:
                rows = rows[: int(len(rows) * 0.7)]  # the month still open: most are in
            if year == today.year and month == last:
                imports.import_rows(
                    actor=office,
                    plist=plist,
                    kind=ImportKind.REPORTS,
                    headers=headers,
                    rows=rows,
                    filename=f"{year}年{month}月重点项目进展汇总表.csv",
                    month=month,
                )
                _backdate(plist, month, {r[0]: offsets[r[0]] for r in rows})
            else:
                _history(office, plist, month, rows, offsets)
    removed = Project.objects.get(code=model.rows[PROJECTS - 41]["code"])
    plist_2026 = ProjectList.objects.get(code="zj-2026")
    services.membership_remove(
        actor=office,
        plist=plist_2026,
        project=removed,
        reason="项目业主变更建设方案，经省重点项目领导小组研究同意调出年度计划",
    )
    _owner_months(owner_user, model, today, plist_2026)
    ctx.say(
        f"{Project.objects.count()} key projects, "
        f"{MonthlyReport.objects.filter(status=ReportStatus.SUBMITTED).count()} monthly reports"
    )
