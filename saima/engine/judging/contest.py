"""An arena contest's inputs (擂台赛): contestants, judges in weighted panels, a rubric, scores.

Scores are one array, judges × contestants × criteria, NaN where a judge did not score (a
conflict of interest 回避, an absence). `contest_errors` lists every problem, each naming the
judge, contestant, criterion or panel concerned; `validate_contest` raises them together.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, get_args

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]
Method = Literal["mean", "trimmed", "standardised"]
METHODS: tuple[Method, ...] = get_args(Method)
MAX_LISTED = 20  # problems listed one by one; the rest are counted


class ContestError(ValueError):
    """Contest inputs that cannot be judged; `problems` names each one.

    >>> str(ContestError(["panel 'leaders': weight must be positive"]))
    "panel 'leaders': weight must be positive."
    """

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("; ".join(problems) + ".")


@dataclass(frozen=True)
class Criterion:
    """One line of the rubric (评分细则): maximum points and a relative weight."""

    code: str
    name: str
    maximum: float
    weight: float


@dataclass(frozen=True)
class Panel:
    """A group of judges (评委组) whose figure counts with `weight` (e.g. county leaders 0.6)."""

    code: str
    name: str
    weight: float


@dataclass(frozen=True)
class Rules:
    """How the contest aggregates: the official method and its parameters.

    `trim`: scores dropped at each end per contestant × criterion (trimmed mean); `min_kept`:
    at least this many scores are kept, by trimming fewer when too few judges scored;
    `tiebreak`: the criterion code compared second when totals tie; `outlier_below`: a judge
    whose leave-one-out Spearman correlation with the panel is below this is flagged.
    """

    method: Method = "trimmed"
    trim: int = 1
    min_kept: int = 3
    tiebreak: str | None = None
    outlier_below: float = 0.0


@dataclass(frozen=True, eq=False)  # holds an array: compared by identity
class Contest:
    """The inputs of one contest. `judge_panels[j]` is the panel code of judge j."""

    contestants: tuple[str, ...]
    judges: tuple[str, ...]
    criteria: tuple[Criterion, ...]
    panels: tuple[Panel, ...]
    judge_panels: tuple[str, ...]
    scores: Array
    rules: Rules = field(default_factory=Rules)

    @property
    def maxima(self) -> Array:
        return np.array([c.maximum for c in self.criteria], dtype=np.float64)

    @property
    def weights(self) -> Array:
        return np.array([c.weight for c in self.criteria], dtype=np.float64)

    @property
    def panel_weights(self) -> Array:
        return np.array([p.weight for p in self.panels], dtype=np.float64)

    def panel_members(self) -> NDArray[np.bool_]:
        """panels × judges: True where the judge sits on the panel."""
        seats = [[seat == p.code for seat in self.judge_panels] for p in self.panels]
        return np.array(seats, dtype=bool).reshape(len(self.panels), len(self.judge_panels))


def contest_errors(contest: Contest) -> list[str]:
    """Every problem with the contest's inputs, each naming what is wrong.

    >>> c = Contest(("A",), ("j1",), (Criterion("k", "k", 10, 1),), (Panel("p", "p", 1),),
    ...             ("p",), np.array([[[11.0]]]))
    >>> contest_errors(c)
    ["judge 'j1', contestant 'A', criterion 'k': 11 is above the maximum 10"]
    """
    problems = _name_errors(contest) + _rubric_errors(contest) + _rules_errors(contest)
    shape = (len(contest.judges), len(contest.contestants), len(contest.criteria))
    if contest.scores.shape != shape:
        problems.append(f"scores have shape {contest.scores.shape}, expected {shape}")
        return problems
    if not problems:
        problems += _score_errors(contest) + _coverage_errors(contest)
    return _capped(problems)


def validate_contest(contest: Contest) -> None:
    """Raise `ContestError` listing every problem, or return."""
    problems = contest_errors(contest)
    if problems:
        raise ContestError(problems)


def _name_errors(contest: Contest) -> list[str]:
    problems = []
    for kind, names in (
        ("contestant", contest.contestants),
        ("judge", contest.judges),
        ("criterion", tuple(c.code for c in contest.criteria)),
        ("panel", tuple(p.code for p in contest.panels)),
    ):
        if not names:
            problems.append(f"a contest needs at least one {kind}")
        dupes = sorted(n for n, times in Counter(names).items() if times > 1)
        problems += [f"{kind} {n!r} appears more than once" for n in dupes]
    return problems


def _rubric_errors(contest: Contest) -> list[str]:
    problems = []
    for c in contest.criteria:
        if not (np.isfinite(c.maximum) and c.maximum > 0):
            problems.append(f"criterion {c.code!r}: maximum must be a positive number")
        if not (np.isfinite(c.weight) and c.weight > 0):
            problems.append(f"criterion {c.code!r}: weight must be a positive number")
    for p in contest.panels:
        if not (np.isfinite(p.weight) and p.weight > 0):
            problems.append(f"panel {p.code!r}: weight must be a positive number")
    if len(contest.judge_panels) != len(contest.judges):
        problems.append(
            f"{len(contest.judge_panels)} panel assignments for {len(contest.judges)} judges"
        )
        return problems
    codes = {p.code for p in contest.panels}
    for judge, panel in zip(contest.judges, contest.judge_panels, strict=True):
        if panel not in codes:
            problems.append(f"judge {judge!r}: panel {panel!r} is not a panel of this contest")
    seated = set(contest.judge_panels)
    problems += [f"panel {p.code!r} has no judge" for p in contest.panels if p.code not in seated]
    return problems


def _rules_errors(contest: Contest) -> list[str]:
    r = contest.rules
    problems = []
    if r.method not in METHODS:
        problems.append(f"method {r.method!r} is not one of {', '.join(METHODS)}")
    if r.trim < 0:
        problems.append(f"trim must be 0 or more, not {r.trim}")
    if r.min_kept < 1:
        problems.append(f"min_kept must be 1 or more, not {r.min_kept}")
    if r.tiebreak is not None and r.tiebreak not in {c.code for c in contest.criteria}:
        problems.append(f"tiebreak {r.tiebreak!r} is not a criterion of this contest")
    if not np.isfinite(r.outlier_below):
        problems.append("outlier_below must be a number")
    return problems


def _score_errors(contest: Contest) -> list[str]:
    s = contest.scores
    scored = ~np.isnan(s)
    above = scored & (s > contest.maxima)
    bad = np.isinf(s) | (scored & (s < 0)) | above
    problems = []
    for j, c, k in zip(*np.nonzero(bad), strict=True):
        value, maximum = s[j, c, k], contest.maxima[k]
        if not np.isfinite(value):
            why = f"{value} is not a number"
        elif value < 0:
            why = f"{_num(value)} is below 0"
        else:
            why = f"{_num(value)} is above the maximum {_num(maximum)}"
        problems.append(f"{_where(contest, j, c, k)}: {why}")
    return problems


def _coverage_errors(contest: Contest) -> list[str]:
    scored = ~np.isnan(contest.scores)
    covered = np.einsum("pj,jck->pck", contest.panel_members().astype(np.int64), scored)
    return [
        f"panel {contest.panels[p].code!r} has no score for contestant "
        f"{contest.contestants[c]!r} on criterion {contest.criteria[k].code!r}"
        for p, c, k in zip(*np.nonzero(covered == 0), strict=True)
    ]


def _where(contest: Contest, j: int, c: int, k: int) -> str:
    return (
        f"judge {contest.judges[j]!r}, contestant {contest.contestants[c]!r}, "
        f"criterion {contest.criteria[k].code!r}"
    )


def _num(x: float) -> str:
    return f"{float(x):g}"


def _capped(problems: list[str]) -> list[str]:
    if len(problems) <= MAX_LISTED:
        return problems
    rest = len(problems) - MAX_LISTED
    return problems[:MAX_LISTED] + [f"and {rest} more problems"]
