"""Benchmark of the key-project engine (saima.engine.progress): lights and quarterly ratings.

    python -m benchmarks.progress

Synthetic list: 20,000 projects × 12 months, planned monthly investment, cumulative actual
investment at a per-project pace (some ahead, many behind), physical progress, 3 % of months
unreported, 0.5 % exempt, planned starts and completions some of which slip. Times the engine
only (building the checked inputs, the lights, one quarter's ratings), the median of 3 runs;
the app benchmark (`benchmarks.projects`, PostgreSQL, dashboard) comes with the app.
The last line printed is the RESULT line.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from saima.engine.progress import ProjectMonths, compute_lights, preset, rate_quarter

PROJECTS = 20_000
MONTHS = 12
RUNS = 3
SEED = 20261202


def synthetic_inputs() -> dict[str, Any]:
    """Plain arrays as the app would load them from the monthly reports."""
    rng = np.random.default_rng(SEED)
    plan = rng.lognormal(mean=6.0, sigma=1.0, size=(PROJECTS, MONTHS))
    pace = rng.uniform(0.4, 1.3, size=(PROJECTS, 1))
    noise = rng.uniform(0.8, 1.2, size=(PROJECTS, MONTHS))
    actual = np.cumsum(plan * pace * noise, axis=1)
    prior = rng.uniform(0, 2, size=PROJECTS) * plan.sum(axis=1)
    budget = prior + plan.sum(axis=1) * rng.uniform(1.0, 3.0, size=PROJECTS)
    progress = np.clip((prior[:, None] + actual) / budget[:, None] * 100, 0, 100)
    start = rng.integers(-6, MONTHS, size=PROJECTS).astype(float)
    slipped = start + rng.integers(0, 5, size=PROJECTS)
    completion = rng.integers(6, 30, size=PROJECTS).astype(float)
    return {
        "planned_monthly": plan,
        "actual_cumulative": actual,
        "physical_progress": progress,
        "reported": rng.random((PROJECTS, MONTHS)) > 0.03,
        "exempt": rng.random((PROJECTS, MONTHS)) < 0.005,
        "planned_start": start,
        "actual_start": np.where(slipped < MONTHS, slipped, np.nan),
        "planned_completion": completion,
        "actual_completion": np.where(completion < MONTHS - 1, completion + 1, np.nan),
        "budget": budget,
        "prior_investment": prior,
    }


def median_seconds(fn: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    arrays = synthetic_inputs()
    rules = preset("yinchuan")
    months = ProjectMonths.build(**arrays)
    lights = compute_lights(months, rules.lights)
    ratings = rate_quarter(months, lights, rules.ratings, quarter=3)
    counts = np.bincount(lights.light[:, -1], minlength=4)
    print(f"lights December: green={counts[0]} yellow={counts[1]} red={counts[2]} grey={counts[3]}")
    print(f"Q4: red_flags={int(ratings.red_flag.sum())} snails={int(ratings.snail.sum())}")
    lights_s = median_seconds(lambda: compute_lights(ProjectMonths.build(**arrays), rules.lights))
    ratings_s = median_seconds(lambda: rate_quarter(months, lights, rules.ratings, quarter=3))
    print(f"RESULT projects={PROJECTS} lights_s={lights_s:.3f} ratings_s={ratings_s:.3f}")


if __name__ == "__main__":
    main()
