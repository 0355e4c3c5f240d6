"""Conduct awards in a bulletin: each published award round of the period in the issuing
unit's subtree — the snail and red-flag awards (units and public reasons only), the rotating
flag's holder, and 零收获 when nothing was found. Nothing about clues, not even how many a
quarter received or substantiated: the portal does not publish them (docs/portal.md), and a
count per quarter and scope can tell who reported whom in a small unit."""

from __future__ import annotations

from django.utils.translation import gettext as _

from saima.bulletins.content import Block, Section, Table
from saima.bulletins.sections import Scope
from saima.conduct.models import AwardKind, AwardRound


def build(scope: Scope) -> list[Section]:
    rounds = AwardRound.objects.filter(
        published_on__isnull=False, owner__path__startswith=scope.unit.path, year=scope.year
    )
    if scope.kind != "annual" and scope.quarter is not None:
        rounds = rounds.filter(quarter=scope.quarter)
    rounds = rounds.select_related("owner").order_by("owner__path", "quarter")
    blocks: list[Block] = []
    for award_round in rounds:
        awards = list(award_round.awards.select_related("unit").order_by("kind", "unit__path"))
        holder = getattr(award_round, "flag", None)
        label = _("%(owner)s %(year)s年第%(q)s季度") % {
            "owner": award_round.owner.name,
            "year": award_round.year,
            "q": award_round.quarter,
        }
        if not awards:
            text = _("%(label)s：未评出蜗牛奖和红旗奖（零收获）。") % {"label": label}
        else:
            text = _("%(label)s：评出蜗牛奖 %(s)s 个、红旗奖 %(r)s 个。") % {
                "label": label,
                "s": sum(1 for a in awards if a.kind == AwardKind.SNAIL),
                "r": sum(1 for a in awards if a.kind == AwardKind.RED_FLAG),
            }
        if holder is not None:
            text += _("流动红旗由%(unit)s获得。") % {"unit": holder.unit.name}
        blocks.append(Block(text=text))
        if awards:
            blocks.append(
                Block(
                    table=Table(
                        caption=_("%(label)s作风建设奖项") % {"label": label},
                        headers=[_("奖项"), _("单位"), _("事由")],
                        rows=[[a.get_kind_display(), a.unit.name, a.reason] for a in awards],
                    )
                )
            )
    if not blocks:
        return []
    return [Section(key="conduct", heading=_("作风建设“蜗牛奖”“红旗奖”评选情况"), blocks=blocks)]
