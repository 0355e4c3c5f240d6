"""From raw values to normalised values, weights and aggregation terms, per scope.

A *scope* is the set of units normalised (and weighted, for data-driven weights) together:
each peer group when `method.scope = "group"`, all units when "all".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from .aggregate import Terms, make_terms
from .model import Dataset
from .normalise import minmax, normalise, winsorise
from .scheme import Scheme
from .weights import ahp_weights, compose_sections, critic_information, entropy_divergence

Array = NDArray[np.float64]
Rows = NDArray[np.intp]

DATA_INDEPENDENT = ("fixed", "equal", "ahp")  # weightings whose weights the data do not move


@dataclass(frozen=True)
class ScopeModel:
    """One scope: its rows in the dataset, raw values (after imputation, before winsorising),
    normalised values n, base and effective weights, and aggregation terms."""

    rows: Rows
    raw: Array
    n: Array
    base: Array
    weights: Array
    terms: Terms


@dataclass(frozen=True)
class Prepared:
    """Everything `rank`, explanations and robustness share."""

    group_index: Rows
    scopes: tuple[ScopeModel, ...]

    def scope_of_group(self, g: int) -> tuple[ScopeModel, Rows]:
        """The scope holding group g and the positions of g's units within it."""
        for scope in self.scopes:
            inside = self.group_index[scope.rows] == g
            if inside.any():
                return scope, np.flatnonzero(inside)
        raise KeyError(g)


def prepare(scheme: Scheme, data: Dataset) -> Prepared:
    """Impute (group_mean), then build each scope's model. Data must be valid."""
    codes = [g.code for g in scheme.groups]
    group_index = np.array([codes.index(g) for g in data.groups], dtype=np.intp)
    raw = data.values.astype(np.float64, copy=True)
    if scheme.method.missing == "group_mean":
        raw = impute_group_mean(raw, group_index)
    if scheme.method.scope == "all":
        parts = [np.arange(len(raw), dtype=np.intp)]
    else:
        parts = [np.flatnonzero(group_index == g) for g in range(len(codes))]
    scopes = tuple(build_scope(scheme, rows, raw[rows]) for rows in parts)
    return Prepared(group_index, scopes)


def impute_group_mean(raw: Array, group_index: Rows) -> Array:
    """Replace NaN by the mean of the indicator over the unit's peer group."""
    out = raw.copy()
    for g in np.unique(group_index):
        rows = group_index == g
        block = out[rows]
        means = np.nanmean(block, axis=0)
        out[rows] = np.where(np.isnan(block), means, block)
    return out


def directions(scheme: Scheme) -> NDArray[np.bool_]:
    """True where a higher raw value is better."""
    return np.array([i.direction == "higher" for i in scheme.indicators])


def goals(scheme: Scheme) -> Array:
    """Targets per indicator (NaN where none)."""
    return np.array([np.nan if i.target is None else i.target for i in scheme.indicators])


def build_scope(scheme: Scheme, rows: Rows, raw: Array) -> ScopeModel:
    """Winsorise, normalise, weigh and make terms for one scope."""
    x = winsorise(raw, scheme.method.winsorise)
    n = normalise(scheme.method.normalise, x, directions(scheme), goals(scheme))
    base = base_weights(scheme, x)
    w = effective_weights(scheme, base)
    return ScopeModel(rows, raw, n, base, w, make_terms(scheme.method.aggregate, n))


def information_matrix(scheme: Scheme, x: Array, j: int | None = None) -> Array:
    """The min-max matrix data-driven weights read, missing cells filled with the column mean
    (batched over leading axes; with `j`, x holds indicator j's column only)."""
    higher = directions(scheme)
    n = minmax(x, higher if j is None else higher[j : j + 1])
    means = np.nanmean(n, axis=-2, keepdims=True)
    return np.where(np.isnan(n), means, n)


def base_weights(scheme: Scheme, x: Array) -> Array:
    """Unnormalised weights before sections: fixed, equal, AHP, entropy or CRITIC (batched)."""
    kind = scheme.method.weighting
    k = len(scheme.indicators)
    if kind == "fixed":
        return np.array([i.weight for i in scheme.indicators])
    if kind == "equal":
        return np.ones(k)
    if kind == "ahp":
        assert scheme.ahp is not None
        return ahp_weights(scheme.ahp)
    info = information_matrix(scheme, x)
    if kind == "entropy":
        return entropy_divergence(info)
    return critic_information(info)


def scheme_weights(scheme: Scheme) -> Array | None:
    """Effective weights when the scheme alone decides them (fixed, equal, AHP), in indicator
    order, summing to 1; None when the data decide (entropy, CRITIC).

    >>> from saima.engine.scheme import scheme_from_dict
    >>> s = scheme_from_dict({"name": "x", "groups": [{"code": "g", "quota": 1}],
    ...     "sections": [{"code": "a", "weight": 0.5}, {"code": "b", "weight": 0.5}],
    ...     "indicators": [{"code": "i", "section": "a", "direction": "higher", "weight": 2},
    ...                    {"code": "j", "section": "a", "direction": "higher", "weight": 1},
    ...                    {"code": "k", "section": "b", "direction": "lower", "weight": 1}]})
    >>> scheme_weights(s).round(4).tolist()
    [0.3333, 0.1667, 0.5]
    """
    if scheme.method.weighting not in DATA_INDEPENDENT:
        return None
    no_data = np.zeros((0, len(scheme.indicators)))
    return effective_weights(scheme, base_weights(scheme, no_data))


def effective_weights(scheme: Scheme, base: Array) -> Array:
    """Weights actually used: section weight × share within section, summing to 1."""
    codes = [s.code for s in scheme.sections]
    owner = [codes.index(i.section) for i in scheme.indicators]
    section_weights = None
    if scheme.sections and scheme.sections[0].weight is not None:
        section_weights = [float(s.weight or 0.0) for s in scheme.sections]
    return compose_sections(base, owner, section_weights)
