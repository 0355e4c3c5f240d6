"""`rank`: score, rank and select units within peer groups, with optional explanations and
robustness. This is the engine's front door."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .aggregate import contributions, scores, section_scores
from .explain import gaps as compute_gaps
from .model import Dataset, validate_dataset
from .pipeline import Prepared, prepare
from .ranking import rank_within_groups
from .robustness import Robustness
from .robustness import robustness as compute_robustness
from .scheme import Scheme

Array = NDArray[np.float64]


@dataclass
class RankResult:
    """Scores, ranks and selections, aligned with the dataset's units."""

    units: tuple[str, ...]
    groups: tuple[str, ...]
    score: Array
    rank: NDArray[np.int64]
    selected: NDArray[np.bool_]
    tie_at_boundary: NDArray[np.bool_]
    section_scores: dict[str, Array]
    contributions: dict[str, Array]
    weights: dict[str, dict[str, float]]
    gaps: dict[str, Array] | None = None
    gap_kinds: dict[str, NDArray[np.str_]] | None = None
    robustness: Robustness | None = None

    def columns(self) -> list[str]:
        """Output column order: unit, group, score, rank, selected, section:…, contrib:…,
        gap:… and gap_kind:… (with explanations), rank_median, rank_p05, rank_p95,
        p_selected (robustness)."""
        cols = ["unit", "group", "score", "rank", "selected"]
        cols += [f"section:{c}" for c in self.section_scores]
        cols += [f"contrib:{c}" for c in self.contributions]
        if self.gaps is not None:
            cols += [f"gap:{c}" for c in self.gaps]
            cols += [f"gap_kind:{c}" for c in self.gaps]
        if self.robustness is not None:
            cols += ["rank_median", "rank_p05", "rank_p95", "p_selected"]
        return cols

    def to_rows(self) -> list[dict[str, object]]:
        """One dict per unit in `columns()` order; NaN becomes None."""
        return [self._row(i) for i in range(len(self.units))]

    def _row(self, i: int) -> dict[str, object]:
        row: dict[str, object] = {
            "unit": self.units[i],
            "group": self.groups[i],
            "score": float(self.score[i]),
            "rank": int(self.rank[i]),
            "selected": bool(self.selected[i]),
        }
        for code, values in self.section_scores.items():
            row[f"section:{code}"] = _num(values[i])
        for code, values in self.contributions.items():
            row[f"contrib:{code}"] = _num(values[i])
        for code, values in (self.gaps or {}).items():
            row[f"gap:{code}"] = _num(values[i])
        for code, kinds in (self.gap_kinds or {}).items():
            row[f"gap_kind:{code}"] = str(kinds[i])
        if self.robustness is not None:
            r = self.robustness
            row["rank_median"] = _num(r.rank_median[i])
            row["rank_p05"] = _num(r.rank_p05[i])
            row["rank_p95"] = _num(r.rank_p95[i])
            row["p_selected"] = _num(r.p_selected[i])
        return row


def row_columns(
    keys: Iterable[str], sections: Sequence[str], indicators: Sequence[str]
) -> list[str]:
    """The keys of stored rows (``RankResult.to_rows``) in ``RankResult.columns()`` order.

    A database may hand the rows back with their keys reordered (PostgreSQL's ``jsonb`` sorts
    them), so exports order them by this rule, never by the stored order. Unknown keys go last,
    sorted.

    >>> row_columns(["rank", "contrib:b", "unit", "contrib:a", "zz"], ["s"], ["a", "b"])
    ['unit', 'rank', 'contrib:a', 'contrib:b', 'zz']
    """
    order = ["unit", "group", "score", "rank", "selected"]
    order += [f"section:{code}" for code in sections]
    for prefix in ("contrib", "gap", "gap_kind"):
        order += [f"{prefix}:{code}" for code in indicators]
    order += ["rank_median", "rank_p05", "rank_p95", "p_selected"]
    present = set(keys)
    known = [key for key in order if key in present]
    return known + sorted(present - set(order))


def _num(value: np.floating | float) -> float | None:
    f = float(value)
    return None if f != f else f


def rank(
    scheme: Scheme, data: Dataset, *, explain: bool = False, robustness: int = 0, seed: int = 0
) -> RankResult:
    """Rank `data` under `scheme` (raises DataError on invalid data).

    >>> from saima.engine import load_scheme
    >>> s = load_scheme('name="x"\\n[[groups]]\\ncode="a"\\nquota=1\\n[[sections]]\\ncode="s"\\n'
    ...     '[[indicators]]\\ncode="i"\\nsection="s"\\ndirection="higher"\\nweight=1')
    >>> r = rank(s, Dataset(("u1", "u2", "u3"), ("a", "a", "a"), np.array([[1.0], [3.0], [2.0]])), explain=True)
    >>> (r.score.tolist(), r.rank.tolist(), r.selected.tolist())
    ([0.0, 100.0, 50.0], [3, 1, 2], [False, True, False])
    >>> [round(float(g), 6) for g in r.gaps["i"]]
    [2.0, 0.0, 1.0]
    """
    if robustness < 0:
        raise ValueError("robustness must be >= 0 draws")
    validate_dataset(scheme, data)
    prepared = prepare(scheme, data)
    quotas = [g.quota for g in scheme.groups]
    score, sections, contrib = _nominal(scheme, prepared, len(data.units))
    ranks, selected, tie = rank_within_groups(score, prepared.group_index, quotas)
    result = RankResult(
        units=tuple(data.units),
        groups=tuple(data.groups),
        score=score,
        rank=ranks,
        selected=selected,
        tie_at_boundary=tie,
        section_scores=sections,
        contributions=contrib,
        weights=_weights_by_group(scheme, prepared),
    )
    if explain:
        explained = compute_gaps(scheme, prepared, selected, quotas)
        result.gaps, result.gap_kinds = explained.change, explained.kind
    if robustness:
        c = scheme.robustness_concentration
        result.robustness = compute_robustness(prepared, quotas, c, robustness, seed)
    return result


def _nominal(
    scheme: Scheme, prepared: Prepared, n_units: int
) -> tuple[Array, dict[str, Array], dict[str, Array]]:
    score = np.zeros(n_units)
    sections = {s.code: np.zeros(n_units) for s in scheme.sections}
    contrib = {i.code: np.zeros(n_units) for i in scheme.indicators}
    for scope in prepared.scopes:
        w = scope.weights
        score[scope.rows] = scores(scope.terms, w[None, :])[0]
        for s in scheme.sections:
            members = np.array([i.section == s.code for i in scheme.indicators])
            sections[s.code][scope.rows] = section_scores(scope.terms, w, members)
        parts = contributions(scope.terms, w)
        for j, indicator in enumerate(scheme.indicators):
            contrib[indicator.code][scope.rows] = parts[:, j]
    return score, sections, contrib


def _weights_by_group(scheme: Scheme, prepared: Prepared) -> dict[str, dict[str, float]]:
    out = {}
    for g, group in enumerate(scheme.groups):
        scope, _ = prepared.scope_of_group(g)
        out[group.code] = {
            i.code: float(w) for i, w in zip(scheme.indicators, scope.weights, strict=True)
        }
    return out
