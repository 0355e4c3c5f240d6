"""Demo arena: Quzhou's "两专赛马、亮剑比拼" (MECHANISMS.md §3) — the heads of 10 economic
departments present for 8 minutes each and 60 judges score them on the spot, in two panels
(市领导 60%, 市直部门和县（市、区）负责人 40%).

- 第一期 (two months ago): finished, revealed and released; scores seeded from each department's
  strength, each judge's leniency and noise, with two contrarian judges the agreement check
  flags; pledges (军令状) made there, most of them since delivered.
- 第二期 (today): ready to run live, the order drawn with a recorded seed, the same departments
  (so the pledge follow-up shows), links for every judge; the demo judge login (郑国华) holds a
  seat on the leaders' panel and scores from "我的评分" without a link.

Everything goes through the services, as the organiser and the judges would do it. The loader
is idempotent: a second run finds the series and leaves it be.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import numpy as np
from django.utils import timezone

from saima.arena import services
from saima.arena.models import (
    Contest,
    Contestant,
    Criterion,
    JudgeSeat,
    Panel,
    PledgeItem,
    Series,
)
from saima.core.demo import DemoContext
from saima.org import services as org_services
from saima.org.models import Person, Unit, UnitLevel, User

SERIES = "两专赛马·亮剑比拼"
REASON_PERSON = "按组织部门提供的干部名册录入"

Pledge = tuple[str, float, str, float]  # item, target, measure, share delivered by the next contest
# department → (head's name, strength 0..1, topic, pledges)
DEPARTMENTS: dict[str, tuple[str, float, str, list[Pledge]]] = {
    "市发展改革委": (
        "刘建平",
        0.85,
        "重大项目前期攻坚",
        [("省重大项目开工", 6, "个", 1.17), ("有效投资增速", 10, "%", 0.92)],
    ),
    "市经信局": (
        "汪海涛",
        0.78,
        "制造业项目双倍增",
        [("亿元以上工业项目签约", 12, "个", 1.08), ("技改投资增速", 15, "%", 0.86)],
    ),
    "市商务局": (
        "方丽娟",
        0.70,
        "招大引强",
        [("引进10亿元以上项目", 4, "个", 0.75), ("实际利用外资", 3.2, "亿美元", 1.03)],
    ),
    "市自然资源和规划局": (
        "徐志刚",
        0.66,
        "要素保障攻坚",
        [("新增建设用地报批", 5200, "亩", 1.05)],
    ),
    "市住建局": (
        "郑晓东",
        0.61,
        "城市更新",
        [("老旧小区改造开工", 48, "个", 0.94), ("保障性租赁住房筹集", 3000, "套", 1.10)],
    ),
    "市交通运输局": ("毛伟民", 0.74, "交通强市", [("交通投资完成", 120, "亿元", 0.98)]),
    "市农业农村局": (
        "叶春燕",
        0.55,
        "强村富民",
        [("农业农村投资", 45, "亿元", 0.81), ("消除集体经济薄弱村", 60, "个", 1.00)],
    ),
    "市文化广电旅游局": ("姜一鸣", 0.58, "文旅融合", [("文旅项目签约", 10, "个", 0.70)]),
    "市科技局": ("祝文杰", 0.72, "科创平台", [("新认定高新技术企业", 150, "家", 1.12)]),
    "市财政局": (
        "吴俊",
        0.50,
        "财政保障",
        [("争取专项债额度", 90, "亿元", 1.06), ("盘活存量资金", 12, "亿元", 0.88)],
    ),
}

CRITERIA = [  # code, name, maximum, weight
    ("results", "工作实绩", 50, 50),
    ("measures", "攻坚举措", 30, 30),
    ("speech", "现场表现", 20, 20),
]

LEADERS = [
    ("郑国华", "市委常委、常务副市长"),  # the demo judge login
    ("王立明", "市委副书记"),
    ("陈海燕", "副市长"),
    ("赵卫国", "副市长"),
    ("孙建军", "副市长"),
    ("李红梅", "市人大常委会副主任"),
    ("周志强", "市政协副主席"),
    ("钱文斌", "市政府秘书长"),
    ("何晓光", "市委副秘书长"),
    ("许国平", "市政府副秘书长"),
    ("沈建华", "市委督查室主任"),
    ("黄志伟", "市考评办主任"),
]
SURNAMES = "张王李赵刘陈杨黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "建国志强海涛丽娟晓东伟民春燕一鸣文杰俊华明军平红梅国庆卫东立新晓梅静林波涛慧敏雪峰振华"
COUNTIES = ["柯城区", "衢江区", "龙游县", "江山市", "常山县", "开化县"]
CONTRARIANS = (17, 41)  # two attendees who order the departments against everyone else


def _name(rng: np.random.Generator, taken: set[str]) -> str:
    while True:
        name = rng.choice(list(SURNAMES)) + "".join(rng.choice(list(GIVEN), size=2))
        if name not in taken:
            taken.add(name)
            return str(name)


def _people(city: Unit) -> dict[str, tuple[Unit, Person]]:
    out = {}
    for department, (head, *_rest) in DEPARTMENTS.items():
        unit = Unit.objects.get(parent=city, name=department, level=UnitLevel.DEPARTMENT)
        person = Person.objects.filter(unit=unit, name=head).first() or org_services.person_create(
            actor=None, name=head, unit=unit, position="局长（主任）", reason=REASON_PERSON
        )
        out[department] = (unit, person)
    return out


def _setup(
    actor: User,
    contest: Contest,
    people: dict[str, tuple[Unit, Person]],
    city: Unit,
    judge_user: User | None,
    rng: np.random.Generator,
) -> None:
    def save(obj: services.SetupObject) -> None:
        services.setup_save(actor=actor, contest=contest, obj=obj)

    for i, (code, name, maximum, weight) in enumerate(CRITERIA):
        save(
            Criterion(
                contest=contest, code=code, name=name, maximum=maximum, weight=weight, position=i
            )
        )
    leaders = Panel(contest=contest, code="leaders", name="市领导", weight=Decimal("0.6"))
    save(leaders)
    others = Panel(
        contest=contest,
        code="others",
        name="部门和县（市、区）负责人",
        weight=Decimal("0.4"),
        position=1,
    )
    save(others)
    for department, (unit, person) in people.items():
        save(
            Contestant(contest=contest, unit=unit, person=person, topic=DEPARTMENTS[department][2])
        )
    seats: list[services.SetupObject] = []
    for i, (name, title) in enumerate(LEADERS):
        seats.append(
            JudgeSeat(
                contest=contest,
                panel=leaders,
                name=name,
                title=title,
                unit=city,
                user=judge_user if i == 0 else None,
                position=i,
            )
        )
    taken = {name for name, _title in LEADERS}
    counties = [Unit.objects.get(parent=city, name=n) for n in COUNTIES]
    departments = [unit for unit, _person in people.values()]
    for i in range(48):
        if i % 10 == 3:  # a deputy head of a presenting department: conflicted with it
            unit, title = departments[(i // 10) % len(departments)], "副局长"
        elif i % 3 == 0:
            unit, title = counties[i % len(counties)], "常务副县（市、区）长"
        else:
            unit, title = city, "市直部门负责人"
        seats.append(
            JudgeSeat(
                contest=contest,
                panel=others,
                name=_name(rng, taken),
                title=title,
                unit=unit,
                position=i,
            )
        )
    services.setup_bulk(actor=actor, contest=contest, objs=list(seats), what="评委名单")


def _sheets(
    contest: Contest, rng: np.random.Generator
) -> list[tuple[JudgeSeat, Contestant, dict[str, float]]]:
    """Every judge's scores: the department's strength, the judge's leniency, noise; the two
    contrarians reverse the order; conflicted judges do not score."""
    contestants = list(contest.contestants.select_related("unit").order_by("position"))
    seats = list(contest.seats.order_by("panel__position", "position"))
    conflicted = {(s.pk, c.pk) for s in seats for c in contestants if s.unit_id == c.unit_id}
    sheets = []
    for j, seat in enumerate(seats):
        leniency = rng.normal(0, 0.04)
        for c in contestants:
            if (seat.pk, c.pk) in conflicted:
                continue
            strength = DEPARTMENTS[c.unit.name][1]
            if seat.panel.code == "others" and seat.position in CONTRARIANS:
                strength = 1.35 - strength
            values = {}
            for code, _name, maximum, _w in CRITERIA:
                share = 0.62 + 0.3 * strength + leniency + rng.normal(0, 0.035)
                value = round(float(np.clip(share, 0.3, 1.0)) * maximum * 2) / 2
                values[code] = value
            sheets.append((seat, c, values))
        del j
    return sheets


def _finished(
    actor: User,
    series: Series,
    city: Unit,
    people: dict[str, tuple[Unit, Person]],
    judge: User | None,
    rng: np.random.Generator,
) -> Contest:
    contest = services.contest_create(
        actor=actor,
        owner=city,
        series=series,
        title="两专赛马·亮剑比拼（第一期）",
        date=timezone.localdate() - dt.timedelta(days=61),
        venue="衢州市行政服务中心三楼大会议室",
        level="city",
        description="10 个经济部门一把手逐一上台，每人 8 分钟，晒实绩、比举措、亮承诺；60 名评委现场打分，结果当场上榜。",
    )
    _setup(actor, contest, people, city, judge, rng)
    services.order_draw(actor=actor, contest=contest, seed=20260111)
    for entry in contest.contestants.select_related("unit"):
        for i, (item, target, measure, _share) in enumerate(DEPARTMENTS[entry.unit.name][3]):
            services.setup_save(
                actor=actor,
                contest=contest,
                obj=PledgeItem(
                    contestant=entry,
                    item=item,
                    target=Decimal(str(target)),
                    measure=measure,
                    due=timezone.localdate() - dt.timedelta(days=5),
                    position=i,
                ),
            )
    services.contest_ready(actor=actor, contest=contest)
    sheets = _sheets(contest, rng)
    for entry in contest.contestants.order_by("position"):
        services.contest_call(actor=actor, contest=contest, contestant=entry)
        services.scoring_open(actor=actor, contest=contest, contestant=entry)
        mine = [(seat, values) for seat, c, values in sheets if c.pk == entry.pk]
        services.scores_enter_paper(
            actor=actor,
            contest=contest,
            contestant=entry,
            sheets={seat.pk: values for seat, values in mine[3:]},
        )
        for seat, values in mine[:3]:  # three leaders on their phones, one of them amending
            services.score_submit(seat=seat, contestant=entry, values=values)
        seat, values = mine[0]
        services.score_submit(
            seat=seat,
            contestant=entry,
            values={**values, "speech": min(20.0, values["speech"] + 1)},
        )
        services.scoring_close(actor=actor, contest=contest, contestant=entry)
    services.contest_close(actor=actor, contest=contest)
    services.contest_reveal(actor=actor, contest=contest)
    services.contest_release(actor=actor, contest=contest)
    for entry in contest.contestants.select_related("unit").prefetch_related("pledges"):
        shares = [p[3] for p in DEPARTMENTS[entry.unit.name][3]]
        for pledge, share in zip(entry.pledges.order_by("position"), shares, strict=True):
            if entry.unit.name == "市文化广电旅游局":
                continue  # not yet reported: shows as 未登记
            delivered = (pledge.target * Decimal(str(share))).quantize(Decimal("0.01"))
            services.pledge_deliver(
                actor=actor,
                pledge=pledge,
                delivered=delivered,
                note="" if share >= 1 else "部分项目因要素制约顺延",
            )
    return contest


def _live(
    actor: User,
    series: Series,
    city: Unit,
    people: dict[str, tuple[Unit, Person]],
    judge: User | None,
    rng: np.random.Generator,
) -> Contest:
    contest = services.contest_create(
        actor=actor,
        owner=city,
        series=series,
        title="两专赛马·亮剑比拼（第二期）",
        date=timezone.localdate(),
        venue="衢州市行政服务中心三楼大会议室",
        level="city",
        description="双月擂台第二期：晒上期军令状兑现，亮下阶段攻坚举措。",
    )
    _setup(actor, contest, people, city, judge, rng)
    services.order_draw(actor=actor, contest=contest, seed=20260311)
    for entry in contest.contestants.select_related("unit"):
        item, target, measure, _share = DEPARTMENTS[entry.unit.name][3][0]
        services.setup_save(
            actor=actor,
            contest=contest,
            obj=PledgeItem(
                contestant=entry,
                item=f"{item}（下阶段）",
                target=(Decimal(str(target)) * Decimal("1.2")).quantize(Decimal("0.01")),
                measure=measure,
                due=timezone.localdate() + dt.timedelta(days=60),
            ),
        )
    services.contest_ready(actor=actor, contest=contest)
    services.links_issue_all(actor=actor, contest=contest)
    return contest


def load(ctx: DemoContext) -> None:
    city = Unit.objects.get(name="衢州市", level=UnitLevel.CITY)
    if Series.objects.filter(owner=city, name=SERIES).exists():
        ctx.say("arena: the demo contests exist")
        return
    actor = User.objects.filter(username="organiser").first() or User.objects.get(username="admin")
    judge = User.objects.filter(username="judge").first()
    rng = np.random.default_rng(ctx.seed + 10)
    people = _people(city)
    series = services.series_create(
        actor=actor, owner=city, name=SERIES, description="衢州市经济部门双月擂台"
    )
    finished = _finished(actor, series, city, people, judge, rng)
    live = _live(actor, series, city, people, judge, rng)
    ctx.say(
        f"arena: {finished.title} revealed ({finished.seats.count()} judges), "
        f"{live.title} ready to run"
    )
