"""The unit page says only what is true about gaps (issue 7, §8): on a constant column any
change in the better direction is enough, and says so (never "—", the mark for no change
needed); a gap below display precision shows as "< 0.01", never as 0."""

from __future__ import annotations

from django.urls import reverse

from saima.races.models import ResultRow
from tests.races.conftest import VALUES

CONSTANT_PROJECTS = {name: (fai, 4.0, snails) for name, (fai, _, snails) in VALUES.items()}


def _cells(page: str, name: str) -> str:
    start = page.index(f"<tr><td>{name}</td>")
    return page[start : page.index("</tr>", start)]


def test_a_constant_column_says_any_increase_not_no_change(client, world):
    result = world.published(values=CONSTANT_PROJECTS)
    row = ResultRow.objects.filter(result=result, selected=False).order_by("rank").first()
    assert row.detail["gap_kinds"]["projects"] == "any_increase"
    page = client.get(reverse("races:unit", args=[result.pk, row.unit.code])).content.decode()
    assert "任何提高即可" in _cells(page, "重大项目数")
    assert "任何提高即可入选" in page


def test_a_gap_below_display_precision_shows_as_less_than_a_hundredth(client, world):
    result = world.published()
    row = ResultRow.objects.filter(result=result, selected=False).order_by("rank").first()
    detail = row.detail
    detail["gaps"]["fai"], detail["gap_kinds"]["fai"] = 0.0004, "change"
    line = ResultRow.objects.filter(result=result, selected=True).order_by("-rank").first().score
    ResultRow.objects.filter(pk=row.pk).update(detail=detail, score=line - 0.0004)
    page = client.get(reverse("races:unit", args=[result.pk, row.unit.code])).content.decode()
    assert "+&lt; 0.01" in _cells(page, "固定资产投资增速")
    assert "还差 <strong>&lt; 0.01</strong> 分" in page
    assert "还差 <strong>0</strong> 分" not in page
    value = detail["values"][0]
    assert f"（{value:g} → {value:g}）" not in page
