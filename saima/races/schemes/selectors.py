"""Reads about schemes: the scheme a race's text describes, its red and black lists, whether its
groups match peer groups, and what the scheme editor must know about stored data."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from saima.engine import Indicator, Scheme, Violation, load_scheme
from saima.engine.bounds import indicator_violations
from saima.org.models import PeerGroup
from saima.races.models import Period, PeriodStatus, Race, ReportedValue

# ---------------------------------------------------------------- schemes


@lru_cache(maxsize=256)
def parse_scheme(text: str) -> Scheme:
    """The engine's scheme, or SchemeError. Parsed once per text and process: a frozen result's
    scheme never changes, and a board asked for again and again parsed it twice per request.
    The scheme is immutable (frozen dataclasses); never change what this returns."""
    return load_scheme(text)


def bound_text(indicator: Indicator) -> str:
    """The indicator's bounds in words (取值范围), e.g. "≥ 0，整数"; empty when unbounded."""
    parts = []
    if indicator.min is not None and indicator.max is not None:
        parts.append(f"{indicator.min:g}–{indicator.max:g}")
    elif indicator.min is not None:
        parts.append(f"≥ {indicator.min:g}")
    elif indicator.max is not None:
        parts.append(f"≤ {indicator.max:g}")
    if indicator.integer:
        parts.append(str(_("整数")))
    return "，".join(parts)


def _violation_message(indicator: Indicator, violation: Violation) -> str:
    words = {
        "name": indicator.name,
        "value": f"{violation.value:g}",
        "limit": "" if violation.limit is None else f"{violation.limit:g}",
    }
    if violation.reason == "below_min":
        return str(_("「%(name)s」不能小于 %(limit)s（填的是 %(value)s）") % words)
    if violation.reason == "above_max":
        return str(_("「%(name)s」不能大于 %(limit)s（填的是 %(value)s）") % words)
    if violation.reason == "not_integer":
        return str(_("「%(name)s」须为整数（填的是 %(value)s）") % words)
    return str(_("「%(name)s」须为有限的数字") % words)


def indicator_problem(indicator: Indicator, value: float) -> str | None:
    """Why ``value`` breaks the bounds of ``indicator`` (min, max, integer), naming the indicator,
    the bound and the value; None when it keeps them. The one wording of the engine's check, for
    the report form, corrections and imports."""
    found = indicator_violations(indicator, value)
    return "；".join(_violation_message(indicator, item) for item in found) or None


def value_problems(scheme: Scheme, values: Mapping[str, float | None]) -> dict[str, str]:
    """Indicator code → why its value breaks the scheme's bounds, for every value that does."""
    problems = {}
    for indicator in scheme.indicators:
        value = values.get(indicator.code)
        problem = None if value is None else indicator_problem(indicator, value)
        if problem:
            problems[indicator.code] = problem
    return problems


@dataclass(frozen=True)
class UnreportedRule:
    """What happens to units that did not report (未填报), from the scheme's ``[unreported]``.

    ``treatment`` "listed": named below the board as 未填报, not ranked (the default: a unit
    without data has no score, and inventing one would show a made-up number as a measured one);
    "last": ranked after every unit that reported, tied last. ``black_list``: whether they are
    put on the 黑榜 (default yes: not reporting must never be a way to escape it).
    """

    treatment: str = "listed"
    black_list: bool = True


UNREPORTED_TREATMENTS = ("listed", "last")


def unreported_rule(scheme: Scheme) -> UnreportedRule:
    """The scheme's rule for units that did not report; the default where it names none."""
    table = scheme.extra.get("unreported")
    if not isinstance(table, dict):
        return UnreportedRule()
    treatment = table.get("treatment", "listed")
    black_list = table.get("black_list", True)
    return UnreportedRule(
        treatment if treatment in UNREPORTED_TREATMENTS else "listed",
        black_list if isinstance(black_list, bool) else True,
    )


def unreported_problems(scheme: Scheme) -> list[str]:
    """Why the scheme's ``[unreported]`` table is not valid (empty when it is)."""
    table = scheme.extra.get("unreported")
    if table is None:
        return []
    if not isinstance(table, dict):
        return [str(_("[unreported] 须为一个表"))]
    problems = []
    if table.get("treatment", "listed") not in UNREPORTED_TREATMENTS:
        problems.append(str(_('[unreported] treatment 须为 "listed" 或 "last"')))
    if not isinstance(table.get("black_list", True), bool):
        problems.append(str(_("[unreported] black_list 须为 true 或 false")))
    return problems


def list_size(scheme: Scheme) -> tuple[int, int]:
    """(top N, bottom N) of the red and black lists (红黑榜) the scheme names; (0, 0) if none."""
    lists = scheme.extra.get("lists")
    if not isinstance(lists, dict):
        return 0, 0
    top, bottom = lists.get("top", 0), lists.get("bottom", 0)
    return (
        top if isinstance(top, int) and top > 0 else 0,
        bottom if isinstance(bottom, int) and bottom > 0 else 0,
    )


def group_problems(scheme: Scheme) -> list[str]:
    """Why the scheme's groups cannot be matched to peer groups (empty when they can)."""
    found = {g.code: g for g in PeerGroup.objects.filter(code__in=[g.code for g in scheme.groups])}
    problems = []
    for group in scheme.groups:
        if group.code not in found:
            problems.append(
                str(
                    _("分组「%(code)s」没有对应的同类组（请在单位管理中建立代码相同的同类组）")
                    % {"code": group.code}
                )
            )
    return problems


# ---------------------------------------------------------------- what the scheme editor reads


def race_has_values(race: Race) -> bool:
    """Whether any unit has reported any value in any period (indicator codes are then fixed)."""
    return ReportedValue.objects.filter(report__period__race=race, value__isnull=False).exists()


def pending_values(race: Race) -> dict[str, str]:
    """Indicator code → label of a period not yet computed that holds a value for it."""
    pairs = set(
        ReportedValue.objects.filter(
            report__period__race=race,
            report__period__status__in=(PeriodStatus.OPEN, PeriodStatus.CLOSED),
            value__isnull=False,
        ).values_list("indicator", "report__period_id")
    )
    periods = Period.objects.select_related("race").in_bulk({pk for _code, pk in pairs})
    found: dict[str, str] = {}
    for code, pk in sorted(pairs):
        found.setdefault(code, str(periods[pk].label))
    return found


def group_sizes(scheme: Scheme) -> dict[str, int]:
    """Peer-group code → number of member units, for the scheme's groups."""
    groups = PeerGroup.objects.filter(code__in=[g.code for g in scheme.groups])
    return {g.code: g.members.count() for g in groups}
