"""The demo's conduct work in 缙云县: clues in every state, four published quarters (one with
no clue and one with no finding: 零收获), the rotating flag passed on, rectification items
open, reported and closed, and this quarter's round being decided.

The discipline login (陈静, 县纪委副书记) handles them; a clue about 缙云县 itself is there too,
and she does not see it (回避): only an officer above the county, or the superuser, does.
Dates of past quarters are set back after the services wrote them (the audit events keep the
day the demo was loaded). To try a receipt, submit a clue at /conduct/report/ (docs/conduct.md).
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from saima.conduct import awards, clues
from saima.conduct.awards import quarter_bounds
from saima.conduct.clues import ClueInput
from saima.conduct.models import (
    AwardRound,
    Clue,
    ClueMessage,
    ClueSource,
    ClueStatus,
    FlagHolding,
    Rectification,
)
from saima.core.demo import DemoContext
from saima.org import services as org
from saima.org.models import Person, Unit, UnitLevel, User

PEOPLE = [  # (unit, name, position, frontline)
    ("壶镇镇", "李建国", "副镇长", True),
    ("新建镇", "王志强", "镇长", True),
    ("五云街道", "张晓燕", "城建办主任", False),
    ("大洋镇", "刘明", "副镇长", True),
]


def _quarter_back(today: dt.date, back: int) -> tuple[int, int]:
    index = today.year * 4 + (today.month - 1) // 3 - back
    return index // 4, index % 4 + 1


def _picture(seed: int) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), (235, 238, 242))
    draw = ImageDraw.Draw(image)
    for i in range(6):
        x = (seed * 37 + i * 71) % 400
        draw.rectangle([x, 40 + i * 40, x + 60, 70 + i * 40], fill=(180, 60 + i * 20, 40))
    out = io.BytesIO()
    image.save(out, "JPEG")
    return SimpleUploadedFile("IMG_0001.jpg", out.getvalue(), content_type="image/jpeg")


class _Demo:
    def __init__(self, ctx: DemoContext) -> None:
        self.ctx = ctx
        self.officer = User.objects.get(username="discipline")
        self.county = Unit.objects.get(name="缙云县", level=UnitLevel.COUNTY)
        self.units = {u.name: u for u in Unit.objects.filter(path__startswith=self.county.path)}
        self.people = self._people()
        self.today = timezone.localdate()

    def _people(self) -> dict[str, Person]:
        people = {}
        for unit_name, name, position, frontline in PEOPLE:
            unit = self.units[unit_name]
            person = Person.objects.filter(unit=unit, name=name).first() or org.person_create(
                actor=None,
                name=name,
                unit=unit,
                position=position,
                frontline=frontline,
                reason="按组织部门提供的干部名册录入",
            )
            people[name] = person
        return people

    def clue(
        self,
        unit: str,
        summary: str,
        account: str,
        *,
        person: str = "",
        source: str = "",
        picture: int = 0,
    ) -> Clue:
        data = ClueInput(
            unit=self.units[unit],
            person=self.people.get(person),
            summary=summary,
            account=account,
            happened="",
        )
        evidence = [_picture(picture)] if picture else []
        if source:
            return clues.clue_enter(actor=self.officer, data=data, source=source, evidence=evidence)
        clue, _receipt = clues.clue_submit(data=data, evidence=evidence)
        return clue

    def work(
        self,
        clue: Clue,
        *,
        until: str,
        findings: str = "",
        question: str = "",
        answer: str = "",
        note: str = "",
    ) -> Clue:
        """Take ``clue`` through the steps up to ``until`` (a status)."""
        clue = clues.clue_assign(actor=self.officer, clue=clue, assignee=self.officer)
        if until == ClueStatus.ASSIGNED:
            return clue
        clue = clues.clue_start(actor=self.officer, clue=clue)
        if note:
            clues.clue_note(actor=self.officer, clue=clue, text=note)
        if question:
            clues.clue_ask(actor=self.officer, clue=clue, text=question)
            if answer:
                clues.clue_answer(clue=clue, text=answer)
        if until in (
            ClueStatus.SUBSTANTIATED,
            ClueStatus.UNSUBSTANTIATED,
            ClueStatus.FALSE_ACCUSATION,
        ):
            clue = clues.clue_decide(
                actor=self.officer, clue=clue, decision=until, findings=findings
            )
        return clue

    def backdate(self, clue: Clue, received: dt.date, decided: dt.date | None = None) -> None:
        Clue.objects.filter(pk=clue.pk).update(
            received_on=received, decided_on=decided if clue.decided_on else None
        )
        ClueMessage.objects.filter(clue=clue).update(written_on=decided or received)

    def round(self, back: int) -> AwardRound:
        year, quarter = _quarter_back(self.today, back)
        return awards.round_open(actor=self.officer, owner=self.county, year=year, quarter=quarter)

    def publish(self, award_round: AwardRound, note: str = "") -> AwardRound:
        award_round = awards.round_publish(actor=self.officer, award_round=award_round, note=note)
        published = award_round.ends_on + dt.timedelta(days=12)
        AwardRound.objects.filter(pk=award_round.pk).update(published_on=published)
        return award_round

    def snail(self, award_round: AwardRound, clue: Clue, reason: str) -> None:
        clue.refresh_from_db()
        awards.award_add(
            actor=self.officer,
            award_round=award_round,
            kind="snail",
            unit=clue.unit,
            clue=clue,
            reason=reason,
            points=Decimal("-2"),
            bonus=Decimal("-1500"),
        )

    def red_flag(self, award_round: AwardRound, unit: str, reason: str) -> None:
        awards.award_add(
            actor=self.officer,
            award_round=award_round,
            kind="red_flag",
            unit=self.units[unit],
            reason=reason,
            points=Decimal("1"),
            bonus=Decimal("1000"),
        )
        awards.flag_pass(
            actor=self.officer, award_round=award_round, unit=self.units[unit], reason=reason
        )


def _day(bounds: tuple[dt.date, dt.date], offset: int) -> dt.date:
    return bounds[0] + dt.timedelta(days=offset)


def _past_quarters(demo: _Demo) -> None:
    # four quarters back: a snail (新建镇) and the flag to 仙都街道
    q4 = quarter_bounds(*_quarter_back(demo.today, 4))
    slow = demo.work(
        demo.clue(
            "新建镇",
            "农房审批长期拖延",
            "多户村民反映农房翻建审批材料交齐后三个月无答复，多次到镇里询问无人负责。",
            person="王志强",
            picture=1,
        ),
        until=ClueStatus.SUBSTANTIATED,
        findings="经调阅审批台账、走访申请户，12 件农房审批超期 60 日以上，属实。",
    )
    demo.backdate(slow, _day(q4, 10), _day(q4, 40))
    idle = demo.work(
        demo.clue("五云街道", "窗口工作人员上班玩手机", "街道便民服务中心窗口人员上班时间玩手机。"),
        until=ClueStatus.UNSUBSTANTIATED,
        findings="调取监控并暗访三次，未发现反映情况。",
    )
    demo.backdate(idle, _day(q4, 20), _day(q4, 35))
    first = demo.round(4)
    demo.snail(first, slow, "农房审批超期，群众反映强烈")
    demo.red_flag(first, "仙都街道", "景区提升工程提前一个月完工，群众满意度全县第一")
    first = demo.publish(first)
    item = Rectification.objects.get(award__round=first)
    awards.rectification_report(
        actor=demo.officer, item=item, report="建立审批限时办结制度，超期件全部办结。"
    )
    awards.rectification_verify(
        actor=demo.officer, item=item, accept=True, opinion="抽查 20 件均在时限内办结，同意销号。"
    )
    # three quarters back: no clue at all — zero harvest
    demo.publish(demo.round(3), note="本季度未评出奖项。")
    # two quarters back: a false accusation, two snails, the flag moves to 新建镇
    q2 = quarter_bounds(*_quarter_back(demo.today, 2))
    false = demo.work(
        demo.clue(
            "大洋镇",
            "征迁中收受好处",
            "反映刘明在征迁工作中收受拆迁户好处。",
            person="刘明",
            source=ClueSource.PUBLIC_REPORT,
        ),
        until=ClueStatus.FALSE_ACCUSATION,
        findings="经查，反映人因补偿诉求未获支持捏造事实，多次重复举报；刘明依法依规推进征迁，诬告陷害。",
    )
    demo.backdate(false, _day(q2, 5), _day(q2, 50))
    hu = demo.work(
        demo.clue(
            "壶镇镇",
            "企业服务专员不作为",
            "企业反映项目用地问题报给服务专员两个月没有回音。",
            person="李建国",
            source=ClueSource.INSPECTION,
        ),
        until=ClueStatus.SUBSTANTIATED,
        findings="专项督查核实，企业诉求流转单在镇里滞留 58 天，属实。",
    )
    demo.backdate(hu, _day(q2, 8), _day(q2, 30))
    wy = demo.work(
        demo.clue(
            "五云街道",
            "老旧小区改造进度慢",
            "小区改造开工后停工四个月。",
            person="张晓燕",
            source=ClueSource.REFERRAL,
        ),
        until=ClueStatus.SUBSTANTIATED,
        findings="上级转办，经核实停工因街道未及时协调管线迁改，属实。",
    )
    demo.backdate(wy, _day(q2, 12), _day(q2, 45))
    third = demo.round(2)
    demo.snail(third, hu, "企业诉求长期滞留，服务企业不作为")
    demo.snail(third, wy, "老旧小区改造停工四个月")
    demo.red_flag(third, "新建镇", "整改后农房审批平均用时全县最短")
    third = demo.publish(third)
    reported = Rectification.objects.get(award__round=third, unit=demo.units["五云街道"])
    awards.rectification_report(
        actor=demo.officer, item=reported, report="已协调管线单位完成迁改，小区改造复工。"
    )
    # last quarter: one clue, not substantiated — zero harvest with a clue
    q1 = quarter_bounds(*_quarter_back(demo.today, 1))
    noise = demo.work(
        demo.clue("仙都街道", "景区停车收费乱", "反映景区停车场乱收费。"),
        until=ClueStatus.UNSUBSTANTIATED,
        findings="停车收费经物价部门备案，未发现乱收费，不属实。",
    )
    demo.backdate(noise, _day(q1, 15), _day(q1, 33))
    demo.publish(demo.round(1), note="本季度经核查，未评出蜗牛奖和红旗奖。")


def _this_quarter(demo: _Demo) -> None:
    demo.clue("大洋镇", "防汛值班脱岗", "台风期间镇防汛值班室夜间无人值守。", picture=2)
    demo.clue("缙云县", "县里重大项目推进不力", "反映县里重大项目推进不力。")  # 回避: not hers
    demo.work(
        demo.clue("新建镇", "办事推诿", "到镇里开证明被来回推诿。"), until=ClueStatus.ASSIGNED
    )
    demo.work(
        demo.clue(
            "壶镇镇",
            "工业园区项目审批慢",
            "园区两个项目的施工许可办理超过法定时限。",
            source=ClueSource.INSPECTION,
        ),
        until=ClueStatus.INVESTIGATING,
        note="已调取两个项目的审批台账，正在核对各环节用时。",
    )
    demo.work(
        demo.clue("五云街道", "道路开挖后长期不恢复", "人民路开挖后两个月未恢复路面。", picture=3),
        until=ClueStatus.INVESTIGATING,
        question="请问开挖路段的具体位置（门牌号或附近单位）？",
    )
    demo.work(
        demo.clue("仙都街道", "村级工程质量差", "新修的村道三个月就开裂。"),
        until=ClueStatus.INVESTIGATING,
        question="请问是哪个村的道路？",
        answer="是仙都街道某村通往水库的那段，约两公里。",
    )
    found = demo.work(
        demo.clue(
            "大洋镇",
            "危房改造补助发放滞后",
            "危房改造补助拖了半年没发。",
            person="刘明",
            source=ClueSource.INSPECTION,
        ),
        until=ClueStatus.SUBSTANTIATED,
        findings="专项督查核实 7 户补助滞发 5 个月，属实。",
    )
    demo.round(0)
    demo.ctx.say(
        f"conduct: {Clue.objects.count()} clues; flag history "
        f"{FlagHolding.objects.count()}; this quarter's round open (#{found.pk} a candidate)"
    )


def load(ctx: DemoContext) -> None:
    if Clue.objects.exists():
        ctx.say("conduct already loaded")
        return
    demo = _Demo(ctx)
    _past_quarters(demo)
    _this_quarter(demo)
