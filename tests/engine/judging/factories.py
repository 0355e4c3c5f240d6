"""Plain-data contests for the judging tests (no database)."""

from __future__ import annotations

import numpy as np

from saima.engine.judging import Contest, Criterion, Panel, Rules


def make_contest(
    scores: np.ndarray,
    *,
    maxima: tuple[float, ...] | None = None,
    weights: tuple[float, ...] | None = None,
    panels: tuple[tuple[str, float], ...] = (("all", 1.0),),
    judge_panels: tuple[str, ...] | None = None,
    rules: Rules | None = None,
) -> Contest:
    """A contest over `scores` (judges × contestants × criteria); criteria k0.. of maximum
    10 and weight 1 unless given; every judge on the first panel unless assigned."""
    judges, contestants, criteria = scores.shape
    maxima = maxima or (10.0,) * criteria
    weights = weights or (1.0,) * criteria
    return Contest(
        contestants=tuple(f"c{i}" for i in range(contestants)),
        judges=tuple(f"j{i}" for i in range(judges)),
        criteria=tuple(
            Criterion(f"k{k}", f"criterion {k}", maxima[k], weights[k]) for k in range(criteria)
        ),
        panels=tuple(Panel(code, code, w) for code, w in panels),
        judge_panels=judge_panels or (panels[0][0],) * judges,
        scores=scores.astype(np.float64),
        rules=rules or Rules(),
    )


def random_scores(
    rng: np.random.Generator,
    shape: tuple[int, int, int],
    *,
    missing: float = 0.0,
    step: float = 0.5,
) -> np.ndarray:
    """Scores on 0–10 in steps of `step` (so ties occur), a share `missing` left unscored but
    never a whole contestant × criterion column."""
    s = np.round(rng.uniform(0, 10, shape) / step) * step
    gone = rng.random(shape) < missing
    gone[0] = False  # judge 0 scores everything: every column has a score
    s[gone] = np.nan
    return s
