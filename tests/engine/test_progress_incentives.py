"""Incentive linkage: funds and land per locality, with terms, caps both ways, Decimal."""

from __future__ import annotations

from decimal import Decimal

import pytest

from saima.engine import DataError
from saima.engine.progress import IncentiveRules, Term, YearCounts, propose_incentives

RULES = IncentiveRules(
    fund_per_red_flag=Decimal("300"),
    fund_per_snail=Decimal("-200"),
    fund_per_red_card=Decimal("-500"),
    fund_cap=Decimal("1000"),
    land_per_red_flag=Decimal("12.5"),
    land_per_snail=Decimal("-10"),
)


def test_each_number_is_the_sum_of_its_terms() -> None:
    [p] = propose_incentives({"A县": YearCounts(red_flags=2, snails=1)}, RULES)
    assert p.funds == Decimal("400")
    assert p.fund_terms == (
        Term("red_flags", 2, Decimal("300"), Decimal("600")),
        Term("snails", 1, Decimal("-200"), Decimal("-200")),
    )
    assert p.land == Decimal("15.0")
    assert sum(t.amount for t in p.land_terms) == p.land


def test_the_cap_bounds_rewards_and_penalties_and_shows_its_adjustment() -> None:
    proposals = propose_incentives(
        {"多": YearCounts(red_flags=5), "少": YearCounts(snails=3, red_cards=1)}, RULES
    )
    assert [p.funds for p in proposals] == [Decimal("1000"), Decimal("-1000")]
    assert proposals[0].fund_terms[-1] == Term("cap", 1, Decimal("-500"), Decimal("-500"))
    assert proposals[1].fund_terms[-1] == Term("cap", 1, Decimal("100"), Decimal("100"))


def test_decimal_amounts_stay_exact() -> None:
    rules = IncentiveRules(fund_per_red_flag=Decimal("0.1"))
    [p] = propose_incentives({"x": YearCounts(red_flags=3)}, rules)
    assert p.funds == Decimal("0.3")


def test_a_locality_with_nothing_gets_zero_and_no_terms() -> None:
    [p] = propose_incentives({"x": YearCounts()}, RULES)
    assert (p.funds, p.land, p.fund_terms, p.land_terms) == (Decimal(0), Decimal(0), (), ())


@pytest.mark.parametrize("bad", [-1, 1.5, True])
def test_bad_counts_are_refused_naming_the_count(bad: object) -> None:
    with pytest.raises(DataError, match="Column 'snails': locality 'x': must be"):
        propose_incentives({"x": YearCounts(snails=bad)}, RULES)  # type: ignore[arg-type]
