"""The race scheme (赛马方案): sections, indicators, peer groups, method; parsed from TOML.

>>> s = load_scheme('''
... name = "demo"
... [[groups]]
... code = "city"
... quota = 1
... [[sections]]
... code = "scale"
... name = "投资规模"
... [[indicators]]
... code = "fai"
... name = "固定资产投资增速"
... section = "scale"
... direction = "higher"
... weight = 2
... ''')
>>> (s.method.normalise, s.groups[0].quota, s.indicators[0].weight)
('minmax', 1, 2.0)
>>> load_scheme(scheme_to_toml(s)) == s
True
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal, cast

import tomli_w

from .errors import SchemeError
from .weights import ahp_weights

Normalise = Literal["minmax", "zscore", "rank", "target", "vector"]
Scope = Literal["group", "all"]
Weighting = Literal["fixed", "equal", "entropy", "critic", "ahp"]
Aggregate = Literal["arithmetic", "geometric", "topsis"]
Missing = Literal["reject", "reweight", "group_mean"]
Direction = Literal["higher", "lower"]

CHOICES: dict[str, tuple[str, ...]] = {
    "normalise": ("minmax", "zscore", "rank", "target", "vector"),
    "scope": ("group", "all"),
    "weighting": ("fixed", "equal", "entropy", "critic", "ahp"),
    "aggregate": ("arithmetic", "geometric", "topsis"),
    "missing": ("reject", "reweight", "group_mean"),
}
DEFAULT_METHOD: dict[str, str] = {
    "normalise": "minmax",
    "scope": "group",
    "weighting": "fixed",
    "aggregate": "arithmetic",
    "missing": "reject",
}
KNOWN_TOP = {"name", "method", "robustness", "groups", "sections", "indicators", "ahp"}


@dataclass(frozen=True)
class Method:
    """How raw values become scores. `winsorise` = p clips each indicator to its p and 1-p
    quantiles within the scope before normalising (0 = off)."""

    normalise: Normalise = "minmax"
    scope: Scope = "group"
    weighting: Weighting = "fixed"
    aggregate: Aggregate = "arithmetic"
    missing: Missing = "reject"
    winsorise: float = 0.0


@dataclass(frozen=True)
class Indicator:
    """One indicator (指标); `weight` is relative, the engine normalises weights to sum to 1."""

    code: str
    name: str
    section: str
    direction: Direction
    weight: float
    unit: str = ""
    target: float | None = None
    help: str = ""
    min: float | None = None
    max: float | None = None
    integer: bool = False


@dataclass(frozen=True)
class Section:
    """A section (板块); `weight` None means the section weighs what its indicators weigh."""

    code: str
    name: str
    weight: float | None = None


@dataclass(frozen=True)
class Group:
    """A peer group that competes separately, with its quota of selected units."""

    code: str
    name: str
    quota: int


@dataclass(frozen=True)
class Scheme:
    """A whole scheme. `extra` carries unknown top-level keys (e.g. ``lists``) through unchanged."""

    name: str
    method: Method
    groups: tuple[Group, ...]
    sections: tuple[Section, ...]
    indicators: tuple[Indicator, ...]
    robustness_concentration: float = 50.0
    ahp: tuple[tuple[float, ...], ...] | None = None
    extra: dict[str, Any] = field(default_factory=dict, hash=False, compare=True)

    @property
    def codes(self) -> tuple[str, ...]:
        """Indicator codes in scheme order (the column order of `Dataset.values`)."""
        return tuple(i.code for i in self.indicators)

    def group(self, code: str) -> Group:
        """The group with this code (KeyError if none)."""
        for g in self.groups:
            if g.code == code:
                return g
        raise KeyError(code)


def toml_document(text: str) -> dict[str, Any]:
    """The mapping TOML text holds; SchemeError when it is not valid TOML (the one parse behind
    schemes and progress rules)."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError(f"not valid TOML: {exc}") from exc


def load_scheme(text: str) -> Scheme:
    """Parse and check a scheme from TOML text; raise SchemeError naming key and reason."""
    return scheme_from_dict(toml_document(text))


def scheme_from_dict(doc: Mapping[str, Any]) -> Scheme:
    """Build a checked Scheme from the parsed TOML mapping."""
    name = _text(doc, "name", "name", required=True)
    method = _method(_table(doc, "method"))
    robustness = _table(doc, "robustness")
    no_unknown_keys(robustness, {"concentration"}, "robustness")
    concentration = _number(robustness, "concentration", "robustness.concentration", 50.0)
    if not concentration > 0:
        raise SchemeError("robustness.concentration: must be > 0")
    groups = _groups(_array(doc, "groups"))
    sections = _sections(_array(doc, "sections"))
    indicators = _indicators(_array(doc, "indicators"), sections, method)
    ahp = _ahp(doc.get("ahp"), method, indicators)
    extra = {k: v for k, v in doc.items() if k not in KNOWN_TOP}
    scheme = Scheme(name, method, groups, sections, indicators, concentration, ahp, extra)
    return scheme


def scheme_to_dict(scheme: Scheme) -> dict[str, Any]:
    """The canonical plain-data form of a scheme (used for TOML and for digests)."""
    m = scheme.method
    doc: dict[str, Any] = {"name": scheme.name}
    doc.update(scheme.extra)
    doc["method"] = {
        "normalise": m.normalise,
        "scope": m.scope,
        "weighting": m.weighting,
        "aggregate": m.aggregate,
        "missing": m.missing,
        "winsorise": m.winsorise,
    }
    doc["robustness"] = {"concentration": scheme.robustness_concentration}
    doc["groups"] = [{"code": g.code, "name": g.name, "quota": g.quota} for g in scheme.groups]
    doc["sections"] = [_drop_none(vars(s)) for s in scheme.sections]
    doc["indicators"] = [_indicator_dict(i) for i in scheme.indicators]
    if scheme.ahp is not None:
        doc["ahp"] = {"matrix": [list(row) for row in scheme.ahp]}
    return doc


ARRAYS_OF_TABLES = ("groups", "sections", "indicators")


def scheme_to_toml(scheme: Scheme) -> str:
    r"""TOML text that loads back to an equal scheme, with one ``[[groups]]``, ``[[sections]]``
    or ``[[indicators]]`` block per entry, as people write schemes by hand.

    >>> text = scheme_to_toml(load_scheme(
    ...     'name = "x"\n[[groups]]\ncode = "city"\nquota = 1\n[[sections]]\ncode = "s"\n'
    ...     'name = "S"\n[[indicators]]\ncode = "a"\nname = "A"\nsection = "s"\n'
    ...     'direction = "higher"\nweight = 1\n'))
    >>> "[[groups]]" in text and "[[indicators]]" in text
    True
    """
    doc = scheme_to_dict(scheme)
    head = {key: value for key, value in doc.items() if key not in ARRAYS_OF_TABLES}
    blocks = [tomli_w.dumps(head).rstrip("\n")]
    for key in ARRAYS_OF_TABLES:
        for entry in doc.get(key, []):
            blocks.append(f"[[{key}]]\n{tomli_w.dumps(entry).rstrip()}")
    return "\n\n".join(blocks) + "\n"


def _drop_none(d: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in d.items() if v is not None}


def _indicator_dict(indicator: Indicator) -> dict[str, Any]:
    """The indicator's keys; bounds only where declared (so a scheme without them keeps its
    digest), whole bounds of an integer indicator written as integers."""
    doc = _drop_none(vars(indicator))
    if not indicator.integer:
        del doc["integer"]
        return doc
    for key in ("min", "max"):
        if key in doc:
            doc[key] = int(doc[key])
    return doc


def _table(doc: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = doc.get(key, {})
    if not isinstance(value, Mapping):
        raise SchemeError(f"{key}: must be a table")
    return value


def _array(doc: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = doc.get(key)
    if not isinstance(value, list) or not value:
        raise SchemeError(f"{key}: at least one [[{key}]] entry is required")
    for i, item in enumerate(value):
        if not isinstance(item, Mapping):
            raise SchemeError(f"{key}[{i}]: must be a table")
    return value


def no_unknown_keys(table: Mapping[str, Any], known: set[str], where: str) -> None:
    """SchemeError naming the first key of ``table`` (at ``where``) that is not ``known``."""
    unknown = sorted(set(table) - known)
    if unknown:
        raise SchemeError(f"{where}: unknown key {unknown[0]!r}")


def _text(table: Mapping[str, Any], key: str, where: str, *, required: bool = False) -> str:
    value = table.get(key, "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise SchemeError(f"{where}: a non-empty string is required")
    return value


def _number(table: Mapping[str, Any], key: str, where: str, default: float | None) -> float:
    value = table.get(key, default)
    if value is None:
        raise SchemeError(f"{where}: is required")
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise SchemeError(f"{where}: must be a number, not {value!r}")
    result = float(value)
    if result != result or result in (float("inf"), float("-inf")):
        raise SchemeError(f"{where}: must be finite")
    return result


def _choice(table: Mapping[str, Any], key: str) -> str:
    value = table.get(key, DEFAULT_METHOD[key])
    if value not in CHOICES[key]:
        raise SchemeError(f"method.{key}: {value!r} is not one of {', '.join(CHOICES[key])}")
    return cast(str, value)


def _method(table: Mapping[str, Any]) -> Method:
    no_unknown_keys(table, set(CHOICES) | {"winsorise"}, "method")
    winsorise = _number(table, "winsorise", "method.winsorise", 0.0)
    if not 0.0 <= winsorise < 0.5:
        raise SchemeError("method.winsorise: must be at least 0 and below 0.5")
    method = Method(
        normalise=cast(Normalise, _choice(table, "normalise")),
        scope=cast(Scope, _choice(table, "scope")),
        weighting=cast(Weighting, _choice(table, "weighting")),
        aggregate=cast(Aggregate, _choice(table, "aggregate")),
        missing=cast(Missing, _choice(table, "missing")),
        winsorise=winsorise,
    )
    if method.aggregate == "geometric" and method.normalise == "zscore":
        raise SchemeError(
            "method.aggregate: geometric needs non-negative normalised values, not zscore"
        )
    return method


def _unique(codes: list[str], where: str) -> None:
    seen: set[str] = set()
    for code in codes:
        if code in seen:
            raise SchemeError(f"{where}: code {code!r} appears twice")
        seen.add(code)


def _entries(
    items: list[Mapping[str, Any]], key: str, known: set[str]
) -> list[tuple[Mapping[str, Any], str, str]]:
    """Each [[key]] entry with its code and name (the code when no name), unknown keys refused."""
    out = []
    for i, item in enumerate(items):
        where = f"{key}[{i}]"
        no_unknown_keys(item, known, where)
        code = _text(item, "code", f"{where}.code", required=True)
        out.append((item, code, _text(item, "name", f"{where}.name") or code))
    return out


def _groups(items: list[Mapping[str, Any]]) -> tuple[Group, ...]:
    groups = []
    for item, code, name in _entries(items, "groups", {"code", "name", "quota"}):
        quota = item.get("quota")
        if quota is None:
            raise SchemeError(f"group {code!r}: quota is required")
        if isinstance(quota, bool) or not isinstance(quota, int) or quota < 0:
            raise SchemeError(f"group {code!r}: quota must be a whole number >= 0, not {quota!r}")
        groups.append(Group(code, name, quota))
    _unique([g.code for g in groups], "groups")
    return tuple(groups)


def _sections(items: list[Mapping[str, Any]]) -> tuple[Section, ...]:
    sections = []
    for item, code, name in _entries(items, "sections", {"code", "name", "weight"}):
        weight = None
        if "weight" in item:
            weight = _number(item, "weight", f"section {code!r}: weight", None)
            if not weight > 0:
                raise SchemeError(f"section {code!r}: weight must be > 0")
        sections.append(Section(code, name, weight))
    _unique([s.code for s in sections], "sections")
    if len({s.weight is None for s in sections}) > 1:
        raise SchemeError("sections: give a weight to every section or to none")
    return tuple(sections)


INDICATOR_KEYS = {
    "code",
    "name",
    "section",
    "direction",
    "weight",
    "unit",
    "target",
    "help",
    "min",
    "max",
    "integer",
}


def _indicators(
    items: list[Mapping[str, Any]], sections: tuple[Section, ...], method: Method
) -> tuple[Indicator, ...]:
    section_codes = {s.code for s in sections}
    indicators = [_indicator(i, item, section_codes, method) for i, item in enumerate(items)]
    _unique([i.code for i in indicators], "indicators")
    for s in sections:
        if not any(i.section == s.code for i in indicators):
            raise SchemeError(f"section {s.code!r}: has no indicator")
    return tuple(indicators)


def _indicator(
    index: int, item: Mapping[str, Any], section_codes: set[str], method: Method
) -> Indicator:
    no_unknown_keys(item, INDICATOR_KEYS, f"indicators[{index}]")
    code = _text(item, "code", f"indicators[{index}].code", required=True)
    where = f"indicator {code!r}"
    section = _text(item, "section", f"{where}: section", required=True)
    if section not in section_codes:
        raise SchemeError(f"{where}: section {section!r} is not declared in [[sections]]")
    direction = item.get("direction")
    if direction not in ("higher", "lower"):
        raise SchemeError(f"{where}: direction must be 'higher' or 'lower', not {direction!r}")
    default_weight = None if method.weighting == "fixed" else 1.0
    weight = _number(item, "weight", f"{where}: weight", default_weight)
    if not weight > 0:
        raise SchemeError(f"{where}: weight must be > 0")
    target = None
    if "target" in item or method.normalise == "target":
        target = _number(item, "target", f"{where}: target", None)
        if not target > 0:
            raise SchemeError(f"{where}: target must be > 0")
    low, high, integer = _bounds(item, where)
    return Indicator(
        code=code,
        name=_text(item, "name", f"{where}: name") or code,
        section=section,
        direction=cast(Direction, direction),
        weight=weight,
        unit=_text(item, "unit", f"{where}: unit"),
        target=target,
        help=_text(item, "help", f"{where}: help"),
        min=low,
        max=high,
        integer=integer,
    )


def _bounds(item: Mapping[str, Any], where: str) -> tuple[float | None, float | None, bool]:
    """An indicator's optional `min`, `max` and `integer` (取值范围, 整数), checked: min <= max,
    and whole bounds for an integer indicator.

    >>> _bounds({"min": 0, "integer": True}, "indicator 'n'")
    (0.0, None, True)
    >>> _bounds({"min": 5, "max": 1}, "indicator 'n'")
    Traceback (most recent call last):
    ...
    saima.engine.errors.SchemeError: indicator 'n': min 5 is above max 1
    """
    integer = item.get("integer", False)
    if not isinstance(integer, bool):
        raise SchemeError(f"{where}: integer must be true or false, not {integer!r}")
    low = _number(item, "min", f"{where}: min", None) if "min" in item else None
    high = _number(item, "max", f"{where}: max", None) if "max" in item else None
    if low is not None and high is not None and low > high:
        raise SchemeError(f"{where}: min {low:g} is above max {high:g}")
    for key, bound in (("min", low), ("max", high)):
        if integer and bound is not None and not bound.is_integer():
            raise SchemeError(
                f"{where}: {key} must be a whole number for an integer indicator, not {bound:g}"
            )
    return low, high, integer


def _ahp(
    table: Any, method: Method, indicators: tuple[Indicator, ...]
) -> tuple[tuple[float, ...], ...] | None:
    if table is None:
        if method.weighting == "ahp":
            raise SchemeError("ahp: weighting = 'ahp' needs an [ahp] table with a matrix")
        return None
    if not isinstance(table, Mapping):
        raise SchemeError("ahp: must be a table")
    no_unknown_keys(table, {"matrix"}, "ahp")
    rows = table.get("matrix")
    k = len(indicators)
    if not isinstance(rows, list) or len(rows) != k:
        raise SchemeError(f"ahp.matrix: must have {k} rows, one per indicator in order")
    matrix = tuple(_ahp_row(i, row, k) for i, row in enumerate(rows))
    ahp_weights(matrix)  # raises SchemeError when inconsistent
    return matrix


def _ahp_row(i: int, row: Any, k: int) -> tuple[float, ...]:
    if not isinstance(row, list) or len(row) != k:
        raise SchemeError(f"ahp.matrix[{i}]: must have {k} entries")
    values = []
    for j, cell in enumerate(row):
        try:
            value = float(Fraction(cell)) if isinstance(cell, str) else float(cell)
        except (ValueError, TypeError, ZeroDivisionError):
            raise SchemeError(f"ahp.matrix[{i}][{j}]: {cell!r} is not a number") from None
        if not value > 0:
            raise SchemeError(f"ahp.matrix[{i}][{j}]: must be > 0")
        values.append(value)
    return tuple(values)
