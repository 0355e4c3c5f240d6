"""Light, rating, card and incentive rules of a key-project list (重点项目考核规则), as data.

Rules differ from place to place, so they are a versioned, frozen value parsed from TOML (or a
parsed mapping); every error names the key and the reason, as `saima.engine.scheme` does.

>>> r = load_rules('''
... name = "银川"
... version = 2
... [lights]
... yellow_from = 10
... red_above = 30
... [lights.start]
... red_after_months = 3
... ''')
>>> (r.version, r.lights.red_above, r.lights.start.red_after_months, r.lights.cadence)
(2, 30.0, 3, 'month')
>>> load_rules(rules_to_toml(r)) == r
True
>>> load_rules('name = "x"\\n[lights]\\nred_above = "high"')
Traceback (most recent call last):
...
saima.engine.errors.SchemeError: lights.red_above: must be a number, not 'high'
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any, Literal, cast

import tomli_w

from ..digest import canonical_json
from ..errors import SchemeError
from ..scheme import no_unknown_keys, toml_document

Cadence = Literal["month", "quarter"]


@dataclass(frozen=True)
class MilestoneRule:
    """What an overdue milestone (应开工未开工, 应完工未完工) does to the light.

    `at_least_yellow`: an overdue month is at least yellow. `red_after_months`: red once the
    milestone is more than this many months overdue (None: never red for this reason alone).
    """

    at_least_yellow: bool = True
    red_after_months: int | None = None


@dataclass(frozen=True)
class LightRules:
    """The monthly light (月亮灯). Lag = planned share to date − actual share, in points.

    Green when lag ≤ 0 or lag < `yellow_from`; red when lag > `red_above`; yellow in between.
    `cadence` "quarter": lag-red only at quarter ends (months 3, 6, 9, 12), yellow elsewhere.
    `misses_to_red`: this many consecutive lag-yellow months make red (None: off).
    `keep_recovered_months`: a green month within this many months after a yellow or red one
    shows yellow (0: off; Ouhai keeps the slip visible). `unreported_is_miss`: a month without a
    report counts as a miss for `misses_to_red`.
    """

    yellow_from: float = 10.0
    red_above: float = 30.0
    cadence: Cadence = "month"
    misses_to_red: int | None = None
    keep_recovered_months: int = 0
    unreported_is_miss: bool = True
    start: MilestoneRule = MilestoneRule()
    completion: MilestoneRule = MilestoneRule()


@dataclass(frozen=True)
class RatingWeights:
    """Weights of the red-flag composite (relative; the engine divides by their sum)."""

    schedule: float = 0.4
    investment: float = 0.4
    milestones: float = 0.2


@dataclass(frozen=True)
class RatingRules:
    """Quarterly ratings (季通报): red flags (红旗项目) and snails (蜗牛项目).

    Red flags: the best eligible projects by composite, `red_flag_count` of them or
    floor(`red_flag_share` × projects); ties at the cut are all named. Eligible: no red and no
    grey month in the quarter, not a snail, investment ratio ≥ `min_investment_ratio`.
    Each ratio of the composite is capped at `ratio_cap` (1 = on plan).
    Snails: red in at least `snail_red_months` of the quarter's months (0: off), or overdue start /
    completion at quarter end (when on), or lag at quarter end > `snail_quarter_lag` (when on).
    """

    red_flag_count: int | None = None
    red_flag_share: float | None = 0.1
    weights: RatingWeights = RatingWeights()
    ratio_cap: float = 1.5
    min_investment_ratio: float = 0.0
    snail_red_months: int = 2
    snail_on_overdue_start: bool = True
    snail_on_overdue_completion: bool = True
    snail_on_quarter_miss: bool = False
    snail_quarter_lag: float = 0.0


@dataclass(frozen=True)
class CardRules:
    """Yellow cards (黄牌): cleared at the deadline when the last `clear_months` lights up to it
    are green or yellow (none red, none grey); otherwise a red card (红牌退场)."""

    clear_months: int = 2


@dataclass(frozen=True)
class IncentiveRules:
    """Next-year proposals (下一年度中央预算内资金, 用地指标) per locality from the year's counts.

    Amounts per red flag, snail and red card (penalties negative); caps bound the total's
    magnitude (None: no cap). Funds in 万元, land in 亩, all Decimal.
    """

    fund_per_red_flag: Decimal = Decimal("0")
    fund_per_snail: Decimal = Decimal("0")
    fund_per_red_card: Decimal = Decimal("0")
    fund_cap: Decimal | None = None
    land_per_red_flag: Decimal = Decimal("0")
    land_per_snail: Decimal = Decimal("0")
    land_per_red_card: Decimal = Decimal("0")
    land_cap: Decimal | None = None


@dataclass(frozen=True)
class ProgressRules:
    """A whole, versioned rule set; `extra` carries unknown top-level keys (e.g. fund payment or
    register-entry rules the app reads) through unchanged."""

    name: str
    version: int = 1
    lights: LightRules = LightRules()
    ratings: RatingRules = RatingRules()
    cards: CardRules = CardRules()
    incentives: IncentiveRules = IncentiveRules()
    description: str = ""
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)


KNOWN_TOP = {"name", "version", "description", "lights", "ratings", "cards", "incentives"}


def load_rules(text: str) -> ProgressRules:
    """Parse and check rules from TOML text; raise SchemeError naming key and reason."""
    return rules_from_dict(toml_document(text))


def rules_from_dict(doc: Mapping[str, Any]) -> ProgressRules:
    """Build checked rules from a parsed mapping (absent keys take the defaults)."""
    name = doc.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SchemeError("name: a non-empty string is required")
    version = _whole(doc, "version", "version", 1, low=1)
    description = doc.get("description", "")
    if not isinstance(description, str):
        raise SchemeError("description: must be a string")
    return ProgressRules(
        name=name,
        version=cast(int, version),
        lights=_lights(_table(doc, "lights", "lights")),
        ratings=_ratings(_table(doc, "ratings", "ratings")),
        cards=_cards(_table(doc, "cards", "cards")),
        incentives=_incentives(_table(doc, "incentives", "incentives")),
        description=description,
        extra={k: v for k, v in doc.items() if k not in KNOWN_TOP},
    )


def rules_to_dict(rules: ProgressRules) -> dict[str, Any]:
    """The canonical plain-data form (for TOML, storage with each light, and digests).

    >>> rules_to_dict(ProgressRules("x"))["incentives"]["fund_per_snail"]
    '0'
    """
    doc: dict[str, Any] = {"name": rules.name, "version": rules.version}
    if rules.description:
        doc["description"] = rules.description
    doc.update(rules.extra)
    lights = _plain(vars(rules.lights))
    lights["start"] = _plain(vars(rules.lights.start))
    lights["completion"] = _plain(vars(rules.lights.completion))
    ratings = _plain(vars(rules.ratings))
    ratings["weights"] = _plain(vars(rules.ratings.weights))
    doc["lights"] = lights
    doc["ratings"] = ratings
    doc["cards"] = _plain(vars(rules.cards))
    doc["incentives"] = _plain(vars(rules.incentives))
    return doc


def rules_to_toml(rules: ProgressRules) -> str:
    """TOML text that loads back to equal rules."""
    return tomli_w.dumps(rules_to_dict(rules))


def rules_digest(rules: ProgressRules) -> str:
    """SHA-256 of the canonical JSON of the rules: stored with each month's lights beside the
    version, it proves which rules produced them.

    >>> a, b = ProgressRules("x"), ProgressRules("x", lights=LightRules(red_above=40))
    >>> len(rules_digest(a)), rules_digest(a) == rules_digest(b)
    (64, False)
    """
    text = canonical_json(rules_to_dict(rules))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _plain(values: Mapping[str, Any]) -> dict[str, Any]:
    """None dropped (TOML has no null: absent means off), Decimal as text (exact)."""
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or isinstance(value, MilestoneRule | RatingWeights):
            continue
        out[key] = str(value) if isinstance(value, Decimal) else value
    return out


def _table(doc: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, Mapping):
        raise SchemeError(f"{where}: must be a table")
    return value


def _number(table: Mapping[str, Any], key: str, where: str, default: float) -> float:
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SchemeError(f"{where}: must be a number, not {value!r}")
    result = float(value)
    if result != result or abs(result) == float("inf"):
        raise SchemeError(f"{where}: must be finite")
    return result


def _whole(
    table: Mapping[str, Any], key: str, where: str, default: int | None, *, low: int
) -> int | None:
    value = table.get(key, default)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise SchemeError(f"{where}: must be a whole number >= {low}, not {value!r}")
    return value


def _flag(table: Mapping[str, Any], key: str, where: str, default: bool) -> bool:
    value = table.get(key, default)
    if not isinstance(value, bool):
        raise SchemeError(f"{where}: must be true or false, not {value!r}")
    return value


def _money(table: Mapping[str, Any], key: str, where: str) -> Decimal | None:
    """A Decimal from an integer or a decimal string (floats refused: they are not exact)."""
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise SchemeError(f"{where}: must be an integer or a decimal string, not {value!r}")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise SchemeError(f"{where}: {value!r} is not a decimal number") from None
    if not result.is_finite():
        raise SchemeError(f"{where}: must be finite")
    return result


def _milestone(table: Mapping[str, Any], where: str) -> MilestoneRule:
    no_unknown_keys(table, {"at_least_yellow", "red_after_months"}, where)
    return MilestoneRule(
        at_least_yellow=_flag(table, "at_least_yellow", f"{where}.at_least_yellow", True),
        red_after_months=_whole(
            table, "red_after_months", f"{where}.red_after_months", None, low=0
        ),
    )


LIGHT_KEYS = {
    "yellow_from",
    "red_above",
    "cadence",
    "misses_to_red",
    "keep_recovered_months",
    "unreported_is_miss",
    "start",
    "completion",
}


def _lights(t: Mapping[str, Any]) -> LightRules:
    no_unknown_keys(t, LIGHT_KEYS, "lights")
    yellow_from = _number(t, "yellow_from", "lights.yellow_from", 10.0)
    red_above = _number(t, "red_above", "lights.red_above", 30.0)
    if yellow_from < 0 or red_above < yellow_from:
        raise SchemeError("lights.red_above: must be at least lights.yellow_from, both >= 0")
    cadence = t.get("cadence", "month")
    if cadence not in ("month", "quarter"):
        raise SchemeError(f"lights.cadence: {cadence!r} is not one of month, quarter")
    return LightRules(
        yellow_from=yellow_from,
        red_above=red_above,
        cadence=cast(Cadence, cadence),
        misses_to_red=_whole(t, "misses_to_red", "lights.misses_to_red", None, low=1),
        keep_recovered_months=cast(
            int, _whole(t, "keep_recovered_months", "lights.keep_recovered_months", 0, low=0)
        ),
        unreported_is_miss=_flag(t, "unreported_is_miss", "lights.unreported_is_miss", True),
        start=_milestone(_table(t, "start", "lights.start"), "lights.start"),
        completion=_milestone(_table(t, "completion", "lights.completion"), "lights.completion"),
    )


RATING_KEYS = set(vars(RatingRules())) | {"weights"}


def _weights(t: Mapping[str, Any]) -> RatingWeights:
    no_unknown_keys(t, {"schedule", "investment", "milestones"}, "ratings.weights")
    values = [
        _number(t, key, f"ratings.weights.{key}", getattr(RatingWeights(), key))
        for key in ("schedule", "investment", "milestones")
    ]
    if min(values) < 0 or sum(values) <= 0:
        raise SchemeError("ratings.weights: must be >= 0 with a positive sum")
    return RatingWeights(*values)


def _ratings(t: Mapping[str, Any]) -> RatingRules:
    no_unknown_keys(t, RATING_KEYS, "ratings")
    count = _whole(t, "red_flag_count", "ratings.red_flag_count", None, low=0)
    share = None
    if count is None:
        share = _number(t, "red_flag_share", "ratings.red_flag_share", 0.1)
        if not 0 <= share <= 1:
            raise SchemeError("ratings.red_flag_share: must be between 0 and 1")
    elif "red_flag_share" in t:
        raise SchemeError("ratings.red_flag_share: give red_flag_count or red_flag_share, not both")
    cap = _number(t, "ratio_cap", "ratings.ratio_cap", 1.5)
    if cap <= 0:
        raise SchemeError("ratings.ratio_cap: must be > 0")
    return RatingRules(
        red_flag_count=count,
        red_flag_share=share,
        weights=_weights(_table(t, "weights", "ratings.weights")),
        ratio_cap=cap,
        min_investment_ratio=_number(
            t, "min_investment_ratio", "ratings.min_investment_ratio", 0.0
        ),
        snail_red_months=_snail_red_months(t),
        snail_on_overdue_start=_flag(
            t, "snail_on_overdue_start", "ratings.snail_on_overdue_start", True
        ),
        snail_on_overdue_completion=_flag(
            t, "snail_on_overdue_completion", "ratings.snail_on_overdue_completion", True
        ),
        snail_on_quarter_miss=_flag(
            t, "snail_on_quarter_miss", "ratings.snail_on_quarter_miss", False
        ),
        snail_quarter_lag=_number(t, "snail_quarter_lag", "ratings.snail_quarter_lag", 0.0),
    )


def _snail_red_months(t: Mapping[str, Any]) -> int:
    value = cast(int, _whole(t, "snail_red_months", "ratings.snail_red_months", 2, low=0))
    if value > 3:
        raise SchemeError("ratings.snail_red_months: a quarter has 3 months, not more")
    return value


def _cards(t: Mapping[str, Any]) -> CardRules:
    no_unknown_keys(t, {"clear_months"}, "cards")
    return CardRules(
        clear_months=cast(int, _whole(t, "clear_months", "cards.clear_months", 2, low=1))
    )


INCENTIVE_KEYS = set(vars(IncentiveRules()))


def _incentives(t: Mapping[str, Any]) -> IncentiveRules:
    no_unknown_keys(t, INCENTIVE_KEYS, "incentives")
    values: dict[str, Decimal | None] = {}
    for key in sorted(INCENTIVE_KEYS):
        amount = _money(t, key, f"incentives.{key}")
        if key.endswith("_cap"):
            if amount is not None and amount < 0:
                raise SchemeError(f"incentives.{key}: must be >= 0")
            values[key] = amount
        else:
            values[key] = Decimal("0") if amount is None else amount
    return IncentiveRules(**cast(dict[str, Any], values))
