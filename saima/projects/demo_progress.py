"""The demo province's lights, ratings, cards, supervision and incentives (the lights part of
the key-project demo), run after ``saima.projects.demo`` has loaded the lists and two years of
monthly reports (2025 and 2026 of 浙江省重点建设项目).

Everything goes through the services, month by month as the office would have done it:

- rules: the default rule set with incentive amounts for 2025; for 2026 version 1, then from
  July version 2 (Ouhai's "a recovered month stays yellow", with its reason) — June's lights keep
  version 1;
- lights: every month computed and published, except the newest month of the current year,
  which is computed and waits for publication; a force-majeure exemption in 2026;
- quarterly ratings: proposed by the rules, reviewed (one snail withdrawn from the list with a
  reason, one red flag added with a reason), published; each snail gets its card and its
  supervision item (督办函);
- cards in every state: snails given yellow cards with deadlines, decided by the lights at the
  deadline (cleared, or a red card taking the project off the list), yellow cards still open,
  a snail rating withdrawn;
- supervision items closed (销号) with notes, others open with progress notes;
- incentive proposals for every locality from 2025's results (and 2026's so far).

Deterministic: no randomness here; the choices follow the order of project codes.
"""

from __future__ import annotations

from django.utils import timezone

from saima.core.demo import DemoContext
from saima.org.models import User
from saima.projects.cards import services as cards
from saima.projects.incentives.services import incentives_compute
from saima.projects.lights import services as lights
from saima.projects.models import (
    CardState,
    LightRun,
    ProjectList,
    QuarterRating,
    RatingKind,
    SupervisionItem,
    SupervisionStatus,
)
from saima.projects.ratings import services as ratings
from saima.projects.supervision import services as supervision

RULES = """
name = "浙江省重点建设项目月亮灯和红旗蜗牛评定（演示）"
description = "滞后 10–30 个百分点黄灯，30 以上红灯；应开工未开工、应完工未完工至少黄灯；季度红灯两个月为蜗牛。"
[lights]
yellow_from = 10
red_above = 30
[lights.start]
at_least_yellow = true
red_after_months = 3
[ratings]
red_flag_share = 0.08
snail_red_months = 2
[cards]
clear_months = 2
[incentives]
fund_per_red_flag = "500"
fund_per_snail = "-300"
fund_per_red_card = "-500"
fund_cap = "3000"
land_per_red_flag = "50"
land_per_snail = "-30"
land_per_red_card = "-50"
land_cap = "300"
"""


def _office(plist: ProjectList) -> User | None:
    """The key-project office (an organiser of the list's owner), else the system."""
    return (
        User.objects.filter(grants__role="organiser", grants__unit=plist.owner)
        .order_by("pk")
        .first()
    )


def _rules(plist: ProjectList, office: User | None) -> None:
    if plist.rule_versions.exists():
        return
    lights.rules_version_create(actor=office, project_list=plist, rules_toml=RULES)


def _revise_rules(plist: ProjectList, office: User | None) -> None:
    text = RULES.replace("[lights]\n", "[lights]\nkeep_recovered_months = 1\n")
    lights.rules_version_create(
        actor=office,
        project_list=plist,
        rules_toml=text,
        reason="按省委督查室意见：追上进度的当月仍亮黄灯，滞后留痕（参照瓯海做法）",
    )


def _review(rating: QuarterRating, office: User | None, quarter: int) -> None:
    """Q2: one snail withdrawn on review, one red flag added, both with written reasons."""
    if quarter != 2:
        return
    snail = rating.entries.filter(kind=RatingKind.SNAIL).order_by("project__code").first()
    if snail is not None:
        ratings.rating_entry_remove(
            actor=office,
            entry=snail,
            reason="经核实，该项目5月遭遇特大暴雨停工，已报请不可抗力豁免，本季度不列入蜗牛项目",
        )
    named = set(rating.entries.values_list("project_id", flat=True))
    candidate = (
        rating.project_list.memberships.filter(removed_at__isnull=True)
        .exclude(project_id__in=named)
        .order_by("project__code")
        .first()
    )
    if candidate is not None:
        ratings.rating_entry_add(
            actor=office,
            rating=rating,
            project=candidate.project,
            kind=RatingKind.RED_FLAG,
            reason="签约后不到一个月即开工，经现场核查列为红旗项目",
        )


def _quarter(plist: ProjectList, office: User | None, quarter: int) -> None:
    rating = ratings.rating_propose(actor=office, project_list=plist, quarter=quarter)
    _review(rating, office, quarter)
    ratings.rating_publish(actor=office, rating=rating)


def _yellow_cards(plist: ProjectList, office: User | None, now: tuple[int, int]) -> None:
    """Snails get yellow cards with a plan and a deadline three months on; every fifth snail's
    rating is left for review, one of them withdrawn."""
    deadline = (now[0] + (now[1] + 2) // 12, (now[1] + 2) % 12 + 1)
    snails = list(
        plist.cards.filter(state=CardState.SNAIL)
        .select_related("project")
        .order_by("project__code")
    )
    for i, card in enumerate(snails):
        if i == 0 and now == (plist.year, 4):
            cards.card_transition(
                actor=office,
                card=card,
                target=CardState.NONE,
                reason="复核：应开工节点已于3月28日完成，系统补录后不再滞后",
                now=now,
            )
            continue
        cards.card_transition(
            actor=office,
            card=card,
            target=CardState.YELLOW_CARD,
            plan=f"{card.project.name}：倒排工期、挂图作战，每周调度；落实施工力量，补足投资缺口。",
            deadline=deadline,
            now=now,
        )


def _decide_cards(plist: ProjectList, office: User | None, now: tuple[int, int]) -> None:
    due = plist.cards.filter(state=CardState.YELLOW_CARD).select_related("project", "project_list")
    for card in due.order_by("project__code"):
        if (card.deadline_year or 0, card.deadline_month or 0) >= now:
            continue
        if cards.yellow_card_outcome(card) is not None:
            cards.card_decide(actor=office, card=card, now=now)


def _supervise(plist: ProjectList, office: User | None, close: bool) -> None:
    items = SupervisionItem.objects.filter(project_list=plist, status=SupervisionStatus.OPEN)
    for i, item in enumerate(items.select_related("project").order_by("number")):
        if item.notes.exists():
            continue
        supervision.supervision_note(
            actor=office,
            item=item,
            text="已召开专题协调会，明确倒排工期计划；责任单位每周报送施工进度。",
        )
        if close and i % 3 != 2:
            supervision.supervision_close(
                actor=office,
                item=item,
                note="项目已按整改要求推进，连续两月亮绿灯或黄灯，予以销号。",
            )


def _exemption(plist: ProjectList, office: User | None, month: int) -> None:
    member = plist.memberships.filter(removed_at__isnull=True).order_by("-project__code").first()
    if (
        member is not None
        and not member.project.exemptions.filter(year=plist.year, month=month).exists()
    ):
        lights.exemption_grant(
            actor=office,
            project=member.project,
            year=plist.year,
            month=month,
            reason="台风“梅花”过境，项目所在地全面停工七天（县应急管理局停工通知）",
        )


def _year(ctx: DemoContext, plist: ProjectList, last_month: int, current: bool) -> None:
    office = _office(plist)
    _rules(plist, office)
    for month in range(1, last_month + 1):
        if current and month == 7:
            _revise_rules(plist, office)
        if current and month == 8:
            _exemption(plist, office, month)
        run = lights.lights_compute(actor=office, project_list=plist, month=month)
        if not (current and month == last_month):
            lights.lights_publish(actor=office, run=run)
        now = (plist.year, month + 1) if month < 12 else (plist.year + 1, 1)
        if month % 3 == 0:
            _quarter(plist, office, month // 3)
            _decide_cards(plist, office, now)
            if month < 12:  # the year's last snails stay snails (decided on next year's list)
                _yellow_cards(plist, office, now)
            _supervise(plist, office, close=not current or month <= 6)
        elif month % 3 == 1:
            _decide_cards(plist, office, now)
    incentives_compute(actor=office, project_list=plist)
    ctx.say(
        f"{plist.name}: lights of {last_month} months, "
        f"{plist.ratings.count()} quarterly ratings, "
        f"{plist.cards.exclude(state=CardState.NONE).count()} cards"
    )


def load(ctx: DemoContext, codes: tuple[str, ...] = ("zj-2025", "zj-2026")) -> None:
    """Lights and everything after them for the demo's key-project lists (idempotent)."""
    lists = list(ProjectList.objects.filter(code__in=codes).order_by("year"))
    if not lists:
        ctx.say("no key-project lists: lights skipped")
        return
    if LightRun.objects.filter(project_list__in=lists).exists():
        ctx.say("key-project lights already computed")
        return
    today = timezone.localdate()
    for plist in lists:
        current = plist.year == today.year
        last = (today.month - 1 if current else 12) or 1
        if plist.year > today.year:
            continue
        _year(ctx, plist, last, current)
