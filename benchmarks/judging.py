"""Benchmark of the arena contest maths (saima.engine.judging).

    python -m benchmarks.judging

100 judges (20 county leaders at 60%, 80 other attendees at 40%) × 10 contestants × 5 criteria,
scores in half points, 5% of judge × contestant pairs unscored (conflicts of interest); one `judge_contest` call computes
validation, all three methods, the tie rule, Kendall's W and every judge's Spearman. Reported:
the best and the median of 7 rounds of 200 calls each. The last line printed is the RESULT line.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from saima.engine.judging import Contest, Criterion, Panel, Rules, judge_contest

JUDGES, CONTESTANTS, CRITERIA = 100, 10, 5
ROUNDS, CALLS = 7, 200


def bench_contest(seed: int = 20220111) -> Contest:
    rng = np.random.default_rng(seed)
    quality = rng.uniform(0.4, 0.9, CONTESTANTS)
    leniency = rng.normal(0, 0.05, JUDGES)
    share = (
        quality[None, :, None]
        + leniency[:, None, None]
        + rng.normal(0, 0.08, (JUDGES, CONTESTANTS, CRITERIA))
    )
    scores = np.clip(np.round(share * 40) / 2, 0, 20)  # half points out of 20
    scores[rng.random((JUDGES, CONTESTANTS)) < 0.05] = np.nan
    scores[0] = scores[20] = np.clip(np.round(quality[:, None] * 40) / 2 * np.ones(CRITERIA), 0, 20)
    return Contest(
        contestants=tuple(f"部门{i + 1}" for i in range(CONTESTANTS)),
        judges=tuple(f"评委{j + 1}" for j in range(JUDGES)),
        criteria=tuple(Criterion(f"k{k}", f"指标{k + 1}", 20.0, 1.0 + k) for k in range(CRITERIA)),
        panels=(Panel("leaders", "县领导", 0.6), Panel("attendees", "其他参会人员", 0.4)),
        judge_panels=("leaders",) * 20 + ("attendees",) * (JUDGES - 20),
        scores=scores,
        rules=Rules(method="trimmed", trim=2, min_kept=3, tiebreak="k0"),
    )


def main() -> None:
    contest = bench_contest()
    judge_contest(contest)  # warm up
    per_call = []
    for _ in range(ROUNDS):
        start = time.perf_counter()
        for _ in range(CALLS):
            judge_contest(contest)
        per_call.append((time.perf_counter() - start) / CALLS * 1000)
    result = judge_contest(contest)
    print(f"official ranks: {result.official.ranks.tolist()}")
    print(
        f"Kendall's W by panel: {result.kendall_w.round(3).tolist()}; outliers: {int(result.outlier.sum())}"
    )
    print(
        f"RESULT judges={JUDGES} contestants={CONTESTANTS} criteria={CRITERIA} "
        f"best_ms={min(per_call):.3f} median_ms={statistics.median(per_call):.3f}"
    )


if __name__ == "__main__":
    main()
