"""Demo safeguards in 缙云县: three reform items with the default checklist, tolerance
applications in every state (待受理, 审查中, 予以容错, 部分容错, 不予容错 with a red line) and
clarification cases in every state (受理, 核实, a public notice with consent, one whose consent
was withdrawn and is not shown, one never consented, one substantiated), so the discipline login
(陈静, 县纪委副书记) has work on login.

Cadres sit in 缙云县's towns, whose town race gives their records entries; a second officer
(何建, 县纪委县监委案件审理室) proposes the office's applications, because nobody decides what
they submitted. A cadre login (``cadre``, 赵敏) shows a cadre's own view: her record, her
application, her written request for clarification. Decided applications cover the negative
record entries other apps have given their cadres by then (none on a branch without them).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from saima.core.demo import DEMO_PASSWORD, DemoContext, DemoLogin
from saima.org import services as org_services
from saima.org.models import Person, Role, Unit, UnitLevel, User
from saima.safeguards.clarification import services as clarification
from saima.safeguards.models import (
    ApplicationStatus,
    ClarificationForm,
    Finding,
    ReformItem,
    ToleranceApplication,
)
from saima.safeguards.tolerance import services as tolerance

ITEMS = [
    (
        "“标准地”改革（工业用地带标准出让）",
        "壶镇镇工业园区先行先试，按亩均税收、能耗等标准出让工业用地。",
    ),
    ("农村宅基地制度改革试点", "宅基地有偿退出、跨村安置，盘活闲置农房。"),
    ("“最多跑一次”改革", "企业投资项目审批“一窗受理、集成服务”。"),
]

# (name, town, position, frontline)
CADRES = [
    ("赵敏", "新建镇", "镇长", True),
    ("周涛", "舒洪镇", "副镇长（分管安全生产）", True),
    ("刘洋", "仙都街道", "党工委书记", False),
    ("孙伟", "五云街道", "办事处主任", False),
    ("钱芳", "大洋镇", "副镇长", False),
    ("王立平", "壶镇镇", "党委书记", True),
    ("郑强", "东方镇", "党委书记", True),
    ("冯磊", "东渡镇", "镇长", False),
    ("陈晨", "大源镇", "副镇长", False),
    ("褚亮", "溶江乡", "乡长", False),
]

MET = "经查阅会议纪要、请示批复和审计意见，符合该项要求。"
NOT_TOUCHED = "经核查，未涉及该情形。"


def _cadres() -> dict[str, Person]:
    people = {}
    for name, town, position, frontline in CADRES:
        unit = Unit.objects.get(name=town, level=UnitLevel.TOWN, parent__name="缙云县")
        person = Person.objects.filter(name=name, unit=unit).first()
        people[name] = person or org_services.person_create(
            actor=None,
            name=name,
            unit=unit,
            position=position,
            frontline=frontline,
            reason="按组织部门提供的干部名册录入",
        )
    return people


def _user(username: str, display: str, person: Person) -> User:
    return org_services.user_create(
        actor=None,
        username=username,
        password=DEMO_PASSWORD,
        display_name=display,
        person=person,
        reason=f"为{person.unit.name}{person.position}{display}开通账号",
    )


def _second_officer(jinyun: Unit) -> User:
    office = Unit.objects.get(name="县纪委县监委", parent=jinyun)
    person = org_services.person_create(
        actor=None, name="何建", unit=office, position="案件审理室主任", reason="按干部名册录入"
    )
    user = _user("discipline_review", "何建", person)
    org_services.role_grant(
        actor=None,
        user=user,
        role=Role.DISCIPLINE,
        unit=jinyun,
        reason="按缙云县纪委分工，授予何建纪检监察角色",
    )
    return user


def _assess_all(
    reviewer: User,
    application: ToleranceApplication,
    *,
    failing: tuple[int, ...] = (),
    red_line: int | None = None,
    stop: int | None = None,
) -> None:
    """Assess the checklist in order: ordinary conditions met unless their index is in
    ``failing``; red lines untouched except ``red_line``; stop after ``stop`` assessments."""
    red_seen = 0
    for index, condition in enumerate(tolerance.checklist_of(application)):
        if stop is not None and index >= stop:
            return
        if condition.is_red_line:
            holds = red_seen == red_line
            red_seen += 1
            reason = "事故调查报告认定负有管理责任。" if holds else NOT_TOUCHED
        else:
            holds = index not in failing
            reason = MET if holds else "决策未经集体研究，程序不符合规定。"
        tolerance.assessment_record(
            actor=reviewer, application=application, condition=condition, holds=holds, reason=reason
        )


def _apply(
    actor: User, item: ReformItem, person: Person, facts: str, remedy: str
) -> ToleranceApplication:
    covers = sorted(tolerance.negative_refs(person))[:2]
    return tolerance.application_submit(
        actor=actor, item=item, person=person, facts=facts, remedy=remedy, covers=covers
    )


def _tolerance(items: list[ReformItem], people: dict[str, Person], users: dict[str, User]) -> None:
    reviewer, proposer, cadre = users["discipline"], users["review"], users["cadre"]
    standard, homestead, one_visit = items
    # 予以容错: the cadre's own written application
    done = _apply(
        cadre,
        standard,
        people["赵敏"],
        "2025年按“标准地”先行出让两宗工业用地，因亩均税收标准测算偏高，一家企业未能按期达产，"
        "土地闲置半年。",
        "已协调企业调整产品结构并追加投资，2026年一季度达产；闲置土地已全部开工。",
    )
    tolerance.application_accept(actor=reviewer, application=done)
    _assess_all(reviewer, done)
    tolerance.application_decide(
        actor=reviewer,
        application=done,
        outcome=ApplicationStatus.TOLERATED,
        reason="失误发生在先行先试中，决策程序合规、未谋私利，且已主动挽回损失，予以容错。",
    )
    # 部分容错: one criterion failed
    partly = _apply(
        proposer,
        homestead,
        people["刘洋"],
        "宅基地跨村安置中，两处安置点选址未经街道党工委会议研究即开工，造成返工。",
        "已补办审批并调整安置方案。",
    )
    tolerance.application_accept(actor=reviewer, application=partly)
    _assess_all(reviewer, partly, failing=(4,))
    tolerance.application_decide(
        actor=reviewer,
        application=partly,
        outcome=ApplicationStatus.PARTLY,
        reason="改革方向正确、未谋私利，但选址决策未经集体研究，对程序部分不予容错。",
        excused=partly.covers[:1],
    )
    # 不予容错: a red line (a work-safety accident) forces refusal
    refused = _apply(
        proposer,
        standard,
        people["周涛"],
        "园区一“标准地”项目在未完成安全设施验收的情况下提前投产，发生一起较大安全生产事故。",
        "",
    )
    tolerance.application_accept(actor=reviewer, application=refused)
    _assess_all(reviewer, refused, red_line=1)
    tolerance.application_decide(
        actor=reviewer,
        application=refused,
        outcome=ApplicationStatus.REFUSED,
        reason="触及安全生产重大责任事故这一不予容错情形，依规不予容错。",
    )
    # 审查中: half the checklist assessed
    review = _apply(
        proposer,
        one_visit,
        people["孙伟"],
        "“一窗受理”系统切换期间，三个企业投资项目的审批超出承诺时限。",
        "已开通绿色通道补办，企业未受实际损失。",
    )
    tolerance.application_accept(actor=reviewer, application=review)
    _assess_all(reviewer, review, stop=4)
    # 待受理: proposed by the office, waiting for the reviewer
    _apply(
        proposer,
        homestead,
        people["钱芳"],
        "宅基地有偿退出补偿标准执行中，对两户的面积认定有误，多付补偿款 3.2 万元。",
        "已追回多付款项。",
    )


def _days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def _clarification(people: dict[str, Person], users: dict[str, User]) -> None:
    officer, cadre = users["discipline"], users["cadre"]
    # 已澄清 by public notice, with the person's consent: on the public page
    notice = clarification.case_open(
        actor=officer,
        person=people["王立平"],
        allegation="信访反映其在园区征迁中“违规给亲属企业安排安置地块”。",
        petitions=23,
        source_ref="缙纪信〔2026〕17号",
    )
    clarification.case_verify(
        actor=officer,
        case=notice,
        finding=Finding.FALSE_ACCUSATION,
        verification="经调取安置协议、不动产登记和银行流水，反映人所称亲属企业与其无关联；"
        "反映人因个人拆迁补偿诉求未获满足而捏造事实，已移送查处。",
    )
    clarification.consent_record(actor=officer, case=notice, given_on=_days_ago(3))
    clarification.case_clarify(
        actor=officer,
        case=notice,
        form=ClarificationForm.PUBLIC_NOTICE,
        statement="经缙云县纪委县监委调查核实，反映壶镇镇党委书记王立平同志在园区征迁中"
        "“违规给亲属企业安排安置地块”的问题不属实，系诬告陷害。现予以澄清正名。"
        "对诬告陷害者已依规依纪依法处理。",
    )
    # published, then consent withdrawn: not on the public page
    withdrawn = clarification.case_open(
        actor=officer,
        person=people["陈晨"],
        allegation="网帖称其在农房改造项目中收受施工方好处。",
        petitions=4,
    )
    clarification.case_verify(
        actor=officer,
        case=withdrawn,
        finding=Finding.UNTRUE,
        verification="经核查项目招投标和资金拨付记录，网帖所述不属实。",
    )
    clarification.consent_record(actor=officer, case=withdrawn, given_on=_days_ago(20))
    clarification.case_clarify(
        actor=officer,
        case=withdrawn,
        form=ClarificationForm.PUBLIC_NOTICE,
        statement="经核实，网帖反映大源镇副镇长陈晨同志收受施工方好处的问题不属实，予以澄清。",
    )
    clarification.consent_withdraw(actor=officer, case=withdrawn)
    # 已核实, no consent: only letter or face-to-face is open
    untrue = clarification.case_open(
        actor=officer,
        person=people["冯磊"],
        allegation="匿名信反映其在“最多跑一次”窗口刁难企业。",
        petitions=5,
    )
    clarification.case_verify(
        actor=officer,
        case=untrue,
        finding=Finding.UNTRUE,
        verification="经调阅窗口录像和办件记录，未发现刁难情形；办件超时系系统切换所致。",
    )
    # 已受理: a frontline cadre with many petitions heads the queue
    clarification.case_open(
        actor=officer,
        person=people["郑强"],
        allegation="拆迁攻坚期间多次被信访反映“工作方法粗暴”。",
        petitions=12,
    )
    # 已受理: the accused's own written request
    clarification.case_open(
        actor=cadre,
        person=people["赵敏"],
        allegation="本人因“标准地”项目未按期达产被网络传言“收受企业好处”，申请澄清。",
        petitions=2,
    )
    # 已办结（不予澄清）: the report was true
    closed = clarification.case_open(
        actor=officer,
        person=people["褚亮"],
        allegation="反映其违规使用公务用车。",
        petitions=1,
    )
    clarification.case_verify(
        actor=officer,
        case=closed,
        finding=Finding.SUBSTANTIATED,
        verification="经核实，2026年5月两次公车私用属实，已另案处理。",
    )
    clarification.case_close(actor=officer, case=closed, reason="反映属实，不予澄清，已另案处理。")


def tolerate_recorded_errors(
    scope: Unit, item: ReformItem, proposer: User, reviewer: User, limit: int = 3
) -> int:
    """For the first ``limit`` cadres in ``scope`` whose records already hold negative entries
    from other apps (a red card, a snail award), propose and tolerate an application covering
    the first one, so the record shows the mark and the export leaves it out (none when those
    apps are absent)."""
    done = 0
    people = Person.objects.filter(unit__path__startswith=scope.path).exclude(unit=scope)
    for person in people.select_related("unit").order_by("unit__path", "pk"):
        refs = sorted(tolerance.negative_refs(person))
        if done == limit:
            break
        if not refs or ToleranceApplication.objects.filter(person=person).exists():
            continue
        application = tolerance.application_submit(
            actor=proposer,
            item=item,
            person=person,
            facts="在改革先行先试中因缺乏经验出现失误，被记入负面考核事项。",
            remedy="已主动整改，挽回损失。",
            covers=refs[:1],
        )
        tolerance.application_accept(actor=reviewer, application=application)
        _assess_all(reviewer, application)
        tolerance.application_decide(
            actor=reviewer,
            application=application,
            outcome=ApplicationStatus.TOLERATED,
            reason="逐项审查均符合容错条件，未触及不予容错情形，予以容错，免予负面考核。",
        )
        done += 1
    return done


def _from_referrals(officer: User) -> int:
    """Open a case from each false-accusation finding the conduct app has made in scope (none
    when that app is absent)."""
    from saima.safeguards.selectors import false_accusation_findings

    opened = 0
    for found in false_accusation_findings(officer):
        if found.case is None:
            clarification.case_open(
                actor=officer,
                person=found.person,
                allegation=found.referral.summary,
                petitions=1,
                source_ref=found.referral.ref,
            )
            opened += 1
    return opened


def load(ctx: DemoContext) -> None:
    jinyun = Unit.objects.get(name="缙云县", level=UnitLevel.COUNTY)
    cadre_login = DemoLogin("干部", "cadre", DEMO_PASSWORD, "新建镇镇长 赵敏（本人的档案与申请）")
    review_login = DemoLogin(
        str(Role.DISCIPLINE.label), "discipline_review", DEMO_PASSWORD, "缙云县 · 案件审理室主任"
    )
    if ReformItem.objects.filter(owner=jinyun).exists():
        ctx.logins += [cadre_login, review_login]
        ctx.say("safeguards already loaded")
        return
    people = _cadres()
    users: dict[str, Any] = {
        "discipline": User.objects.get(username="discipline"),
        "review": _second_officer(jinyun),
        "cadre": _user("cadre", "赵敏", people["赵敏"]),
    }
    items = [
        tolerance.item_create(actor=users["discipline"], owner=jinyun, name=n, description=d)
        for n, d in ITEMS
    ]
    _tolerance(items, people, users)
    _clarification(people, users)
    referred = _from_referrals(users["discipline"])
    tolerated = tolerate_recorded_errors(jinyun, items[0], users["review"], users["discipline"])
    ctx.logins += [cadre_login, review_login]
    ctx.say(
        f"safeguards: 3 reform items, {5 + tolerated} tolerance applications "
        f"({tolerated} covering other apps' negative entries), "
        f"{6 + referred} clarification cases ({referred} from false-accusation findings)"
    )
