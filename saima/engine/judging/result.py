"""`judge_contest`: every method's figures, scores and ranks, the official one named, and the
judges' agreement — everything a contest board publishes, as arrays and as plain rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import NDArray

from .aggregate import by_panel, panel_mean, panel_standardised, panel_trimmed_mean
from .agreement import leave_one_out_spearman, outlier_judges, panel_concordance
from .contest import METHODS, Contest, Method, validate_contest
from .totals import combine_panels, criteria_total, tie_ranks

Array = NDArray[np.float64]
Ints = NDArray[np.int64]


@dataclass(frozen=True, eq=False)  # holds arrays: compared by identity
class MethodResult:
    """One method's outcome. `criterion_figures`: panels × contestants × criteria (points);
    `criterion_scores`: contestants × criteria, panels combined by weight (points);
    `panel_scores`: panels × contestants (0–100); `scores`, `ranks`: per contestant."""

    method: Method
    criterion_figures: Array
    criterion_scores: Array
    panel_scores: Array
    scores: Array
    ranks: Ints


@dataclass(frozen=True, eq=False)
class JudgingResult:
    """All methods (the official one in `official`), trimming used, mean z-scores, top marks,
    Kendall's W per panel (and judges used), each judge's ρ and outlier flag."""

    contest: Contest
    methods: dict[Method, MethodResult]
    trimmed_per_end: Ints
    mean_z: Array
    top_marks: Ints
    kendall_w: Array
    judges_in_w: Ints
    spearman: Array
    outlier: NDArray[np.bool_]

    @property
    def official(self) -> MethodResult:
        return self.methods[self.contest.rules.method]

    def contestant_rows(self) -> list[dict[str, Any]]:
        """One row per contestant: official score and rank, each panel's figure and each
        criterion's (panels combined, points), then every method's score, rank and panel
        figures (`<method>:score`, `<method>:panel:<code>`)."""
        panels = [p.code for p in self.contest.panels]
        criteria = [k.code for k in self.contest.criteria]
        rows = []
        for c, name in enumerate(self.contest.contestants):
            row: dict[str, Any] = {
                "contestant": name,
                "rank": int(self.official.ranks[c]),
                "score": float(self.official.scores[c]),
                "top_marks": int(self.top_marks[c]),
            }
            row |= {
                f"panel:{p}": float(self.official.panel_scores[i, c]) for i, p in enumerate(panels)
            }
            row |= {
                f"criterion:{k}": float(self.official.criterion_scores[c, i])
                for i, k in enumerate(criteria)
            }
            for m in self.methods.values():
                row[f"{m.method}:score"] = float(m.scores[c])
                row[f"{m.method}:rank"] = int(m.ranks[c])
                row |= {
                    f"{m.method}:panel:{p}": float(m.panel_scores[i, c])
                    for i, p in enumerate(panels)
                }
            rows.append(row)
        return rows

    def judge_rows(self) -> list[dict[str, Any]]:
        """One row per judge: panel, leave-one-out Spearman ρ, outlier flag."""
        return [
            {"judge": j, "panel": p, "spearman": float(r), "outlier": bool(o)}
            for j, p, r, o in zip(
                self.contest.judges,
                self.contest.judge_panels,
                self.spearman,
                self.outlier,
                strict=True,
            )
        ]

    def panel_rows(self) -> list[dict[str, Any]]:
        """One row per panel: weight, Kendall's W and the number of judges it used."""
        return [
            {"panel": p.code, "weight": p.weight, "kendall_w": float(w), "judges_in_w": int(n)}
            for p, w, n in zip(self.contest.panels, self.kendall_w, self.judges_in_w, strict=True)
        ]


def judge_contest(contest: Contest) -> JudgingResult:
    """Validate, then compute every method (the contest's rules name the official one)."""
    validate_contest(contest)
    rules, members = contest.rules, contest.panel_members()
    grouped = by_panel(contest.scores, members)
    trimmed, per_end = panel_trimmed_mean(grouped, rules.trim, rules.min_kept)
    standardised, mean_z = panel_standardised(contest.scores, members)
    figures = {"mean": panel_mean(grouped), "trimmed": trimmed, "standardised": standardised}
    top_marks = (contest.scores == contest.maxima).sum(axis=(0, 2)).astype(np.int64)
    judge_totals = criteria_total(contest.scores, contest.maxima, contest.weights)
    w, used = panel_concordance(judge_totals, members)
    rho = leave_one_out_spearman(judge_totals, members)
    return JudgingResult(
        contest=contest,
        methods={m: _method_result(contest, m, figures[m], top_marks) for m in METHODS},
        trimmed_per_end=per_end,
        mean_z=mean_z,
        top_marks=top_marks,
        kendall_w=w,
        judges_in_w=used,
        spearman=rho,
        outlier=outlier_judges(rho, rules.outlier_below),
    )


def _method_result(contest: Contest, method: Method, figures: Array, top: Ints) -> MethodResult:
    panel_scores = criteria_total(figures, contest.maxima, contest.weights)
    scores = combine_panels(panel_scores, contest.panel_weights)
    criterion_scores = combine_panels(figures, contest.panel_weights)
    tiebreak = None
    if contest.rules.tiebreak is not None:
        k = [c.code for c in contest.criteria].index(contest.rules.tiebreak)
        tiebreak = criterion_scores[:, k] / contest.maxima[k]
    ranks = tie_ranks(scores, tiebreak, top)
    return MethodResult(method, figures, criterion_scores, panel_scores, scores, ranks)
