"""The demo's bulletins: the province's latest quarterly bulletin and last year's
commendation, published; the current quarter's bulletin generated as a draft (arena contests,
conduct awards and clarification notices of the quarter so far), not published."""

from __future__ import annotations

import datetime as dt

from saima.bulletins import services
from saima.bulletins.models import Bulletin
from saima.core.demo import DemoContext
from saima.org.models import Unit, UnitLevel, User
from saima.races.models import Result

ISSUER = "浙江省发展和改革委员会"
ADDRESSEES = "各设区市发展改革委，各县（市、区）发展改革局"
COPIES = "省委办公厅，省政府办公厅，省纪委省监委"


def _publish(ctx: DemoContext, organiser: User, bulletin: Bulletin) -> None:
    services.bulletin_generate(actor=organiser, bulletin=bulletin)
    services.run_generation(bulletin.pk, organiser)  # the task's body, here and now
    bulletin.refresh_from_db()
    services.bulletin_publish(actor=organiser, bulletin=bulletin)
    ctx.say(f"bulletin published: {bulletin.doc_number} {bulletin.title}")


def load(ctx: DemoContext) -> None:
    province = Unit.objects.filter(level=UnitLevel.PROVINCE, name="浙江省").first()
    organiser = User.objects.filter(username="organiser").first()
    if province is None or organiser is None or Bulletin.objects.filter(owner=province).exists():
        ctx.say("bulletins already loaded")
        return
    latest = (
        Result.objects.filter(
            period__race__owner=province, is_current=True, published_at__isnull=False
        )
        .select_related("period")
        .order_by("-period__year", "-period__number")
        .first()
    )
    if latest is None:
        return
    year, quarter = latest.period.year, latest.period.number
    quarterly = services.bulletin_create(
        actor=organiser,
        owner=province,
        kind="quarterly",
        year=year,
        quarter=quarter,
        issuer=ISSUER,
        doc_number=f"浙发改〔{year}〕{40 + quarter}号",
        addressees=ADDRESSEES,
        lead=(
            f"为深入推进扩大有效投资，激励各地比学赶超，现将{year}年第{quarter}季度"
            "投资“赛马”激励评价结果通报如下。"
        ),
        closing=(
            "希望受激励地区再接再厉、勇争一流；排名靠后的地区要对标先进、查找差距，"
            "切实抓好项目推进和投资落地。"
        ),
        issue_date=dt.date(year, min(quarter * 3 + 1, 12), 15),
        copies_to=COPIES,
    )
    _publish(ctx, organiser, quarterly)
    annual = services.bulletin_create(
        actor=organiser,
        owner=province,
        kind="annual",
        year=year - 1,
        quarter=None,
        issuer=ISSUER,
        doc_number=f"浙发改〔{year}〕3号",
        addressees=ADDRESSEES,
        lead=f"{year - 1}年，各地坚持比实绩、晒结果，扩大有效投资取得明显成效。经研究，决定对以下地区予以通报表扬。",
        closing="希望受表扬的地区珍惜荣誉、再创佳绩。",
        issue_date=dt.date(year, 1, 20),
        copies_to=COPIES,
    )
    _publish(ctx, organiser, annual)
    next_year, next_quarter = (year, quarter + 1) if quarter < 4 else (year + 1, 1)
    draft = services.bulletin_create(
        actor=organiser,
        owner=province,
        kind="quarterly",
        year=next_year,
        quarter=next_quarter,
        issuer=ISSUER,
        doc_number=f"浙发改〔{next_year}〕{40 + next_quarter}号",
        addressees=ADDRESSEES,
        lead=f"现将{next_year}年第{next_quarter}季度各项赛马工作情况通报如下（征求意见稿）。",
        issue_date=dt.date(next_year, min(next_quarter * 3 + 1, 12), 15),
    )
    services.bulletin_generate(actor=organiser, bulletin=draft)
    services.run_generation(draft.pk, organiser)
    ctx.say(f"bulletin drafted and generated, not published: {draft.doc_number} {draft.title}")
