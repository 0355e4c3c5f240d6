"""Incentive linkage (激励挂钩): next-year central-budget funds (中央预算内资金, 万元) and land
quota (用地指标, 亩) proposed per locality from the year's counts of red flags, snails and red
cards. Each number comes with its terms (count × amount), and the cap when it binds. Decimal.

>>> rules = IncentiveRules(fund_per_red_flag=Decimal("200"), fund_per_snail=Decimal("-150"),
...     fund_cap=Decimal("500"))
>>> p = propose_incentives({"宁县": YearCounts(red_flags=3, snails=1)}, rules)[0]
>>> (p.locality, p.funds, p.land)
('宁县', Decimal('450'), Decimal('0'))
>>> [(t.label, t.count, t.rate, t.amount) for t in p.fund_terms]
[('red_flags', 3, Decimal('200'), Decimal('600')), ('snails', 1, Decimal('-150'), Decimal('-150'))]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from ..errors import DataError
from .rules import IncentiveRules


@dataclass(frozen=True)
class YearCounts:
    """A locality's published outcomes of the year (counted by the app)."""

    red_flags: int = 0
    snails: int = 0
    red_cards: int = 0


@dataclass(frozen=True)
class Term:
    """One line of a derivation: count × rate = amount (label "cap": the cap's adjustment)."""

    label: str
    count: int
    rate: Decimal
    amount: Decimal


@dataclass(frozen=True)
class IncentiveProposal:
    """A locality's proposal; `funds` = Σ fund_terms (after the cap), likewise `land`."""

    locality: str
    funds: Decimal
    land: Decimal
    fund_terms: tuple[Term, ...]
    land_terms: tuple[Term, ...]


def propose_incentives(
    counts: Mapping[str, YearCounts], rules: IncentiveRules
) -> list[IncentiveProposal]:
    """One proposal per locality, in the order given."""
    return [_proposal(locality, c, rules) for locality, c in counts.items()]


def _proposal(locality: str, counts: YearCounts, rules: IncentiveRules) -> IncentiveProposal:
    for label in ("red_flags", "snails", "red_cards"):
        value = getattr(counts, label)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise DataError(
                f"locality {locality!r}: must be a whole number >= 0, not {value!r}", column=label
            )
    fund_terms = _terms(
        counts, (rules.fund_per_red_flag, rules.fund_per_snail, rules.fund_per_red_card)
    )
    land_terms = _terms(
        counts, (rules.land_per_red_flag, rules.land_per_snail, rules.land_per_red_card)
    )
    fund_terms = _capped(fund_terms, rules.fund_cap)
    land_terms = _capped(land_terms, rules.land_cap)
    return IncentiveProposal(
        locality=locality,
        funds=sum((t.amount for t in fund_terms), Decimal("0")),
        land=sum((t.amount for t in land_terms), Decimal("0")),
        fund_terms=fund_terms,
        land_terms=land_terms,
    )


def _terms(counts: YearCounts, rates: tuple[Decimal, Decimal, Decimal]) -> tuple[Term, ...]:
    labels = ("red_flags", "snails", "red_cards")
    return tuple(
        Term(label, getattr(counts, label), rate, getattr(counts, label) * rate)
        for label, rate in zip(labels, rates, strict=True)
        if getattr(counts, label) and rate
    )


def _capped(terms: tuple[Term, ...], cap: Decimal | None) -> tuple[Term, ...]:
    """A cap bounds the total to [-cap, cap]; where it binds, a "cap" term says by how much.

    >>> t = (Term("red_flags", 2, Decimal("300"), Decimal("600")),)
    >>> _capped(t, Decimal("500"))[-1]
    Term(label='cap', count=1, rate=Decimal('-100'), amount=Decimal('-100'))
    """
    total = sum((t.amount for t in terms), Decimal("0"))
    if cap is None or abs(total) <= cap:
        return terms
    bounded = cap if total > 0 else -cap
    adjustment = bounded - total
    return (*terms, Term("cap", 1, adjustment, adjustment))
