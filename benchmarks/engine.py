"""Benchmark of the race engine against pymcdm, scikit-criteria and pyDecision.

    python -m benchmarks.engine

Synthetic data: 1,400 units × 11 indicators in two peer groups, TOPSIS (vector normalisation).
(a) one ranking with explanations (and an EXPLAIN line per weighting method: fixed, entropy,
CRITIC on min-max/arithmetic, TOPSIS, and min-max/arithmetic/fixed with winsorise = 0.05); (b) 10,000 robustness draws (group ranks, percentiles,
selection probabilities). Each peer does (b)'s work the way its user would — a Python loop
over draws calling its TOPSIS, then ranking within groups — timed on a few hundred draws and
compared per draw. The last line printed is the RESULT line.
"""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
import time
import warnings
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import numpy as np

from saima.engine import Dataset, Scheme, load_scheme, rank

UNITS = 1400
INDICATORS = 11
DRAWS = 10_000
PEAK_DRAWS = 100_000
SEED = 20240101


def bench_scheme() -> Scheme:
    """Two groups (quotas 4 and 11, as Zhejiang's cities and counties), 3 sections, TOPSIS."""
    lines = [
        'name = "benchmark"',
        "[method]",
        'normalise = "vector"',
        'scope = "group"',
        'weighting = "fixed"',
        'aggregate = "topsis"',
        "[robustness]",
        "concentration = 50",
        '[[groups]]\ncode = "a"\nquota = 4',
        '[[groups]]\ncode = "b"\nquota = 11',
    ]
    for s in ("scale", "structure", "projects"):
        lines.append(f'[[sections]]\ncode = "{s}"')
    rng = np.random.default_rng(1)
    for j in range(INDICATORS):
        section = ("scale", "structure", "projects")[j % 3]
        direction = "lower" if j % 4 == 3 else "higher"
        weight = float(rng.uniform(0.5, 2.0))
        lines.append(
            f'[[indicators]]\ncode = "i{j}"\nsection = "{section}"\n'
            f'direction = "{direction}"\nweight = {weight!r}'
        )
    return load_scheme("\n".join(lines))


def bench_data() -> Dataset:
    """Strictly positive synthetic values; half the units in each group."""
    rng = np.random.default_rng(2)
    values = rng.lognormal(mean=2.0, sigma=0.6, size=(UNITS, INDICATORS))
    units = tuple(f"u{i:04d}" for i in range(UNITS))
    groups = tuple("a" if i < UNITS // 2 else "b" for i in range(UNITS))
    return Dataset(units, groups, values)


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def peer_loop(
    scheme: Scheme,
    data: Dataset,
    topsis: Callable[[np.ndarray, np.ndarray], np.ndarray],
    draws: int,
) -> float:
    """Seconds per draw for a peer: Dirichlet weights, TOPSIS per group, ranks, selections."""
    rng = np.random.default_rng(SEED)
    w0 = np.array([i.weight for i in scheme.indicators])
    w0 = w0 / w0.sum()
    c = scheme.robustness_concentration
    groups = np.asarray(data.groups)
    blocks = [(data.values[groups == g.code], g.quota) for g in scheme.groups]
    ranks_seen = [np.zeros((draws, len(b)), dtype=np.int64) for b, _ in blocks]
    start = time.perf_counter()
    for d in range(draws):
        for k, (block, quota) in enumerate(blocks):
            w = rng.dirichlet(c * w0)
            closeness = np.asarray(topsis(block, w), dtype=np.float64)
            order = np.argsort(-closeness, kind="stable")
            r = np.empty(len(order), dtype=np.int64)
            r[order] = np.arange(1, len(order) + 1)
            ranks_seen[k][d] = r
            del quota
    for seen, (_, quota) in zip(ranks_seen, blocks, strict=True):
        np.percentile(seen, [5, 50, 95], axis=0)
        (seen <= quota).mean(axis=0)
    return (time.perf_counter() - start) / draws


def pymcdm_topsis(
    validation: bool, types: np.ndarray
) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    from pymcdm.methods import TOPSIS
    from pymcdm.normalizations import vector_normalization

    method = TOPSIS(normalization_function=vector_normalization)
    return lambda m, w: method(m, w, types, validation=validation)


def skcriteria_topsis(types: np.ndarray) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    import skcriteria as skc
    from skcriteria.agg.similarity import TOPSIS
    from skcriteria.pipeline import mkpipe
    from skcriteria.preprocessing.scalers import VectorScaler

    pipe = mkpipe(VectorScaler(target="matrix"), TOPSIS())
    objectives = [max if t > 0 else min for t in types]

    def run(m: np.ndarray, w: np.ndarray) -> np.ndarray:
        dm = skc.mkdm(m, objectives, weights=w)
        return np.asarray(pipe.evaluate(dm).e_.similarity)

    return run


def pydecision_topsis(types: np.ndarray) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    from pyDecision.algorithm import topsis_method

    criteria = ["max" if t > 0 else "min" for t in types]

    def run(m: np.ndarray, w: np.ndarray) -> np.ndarray:
        with contextlib.redirect_stdout(io.StringIO()):
            return np.asarray(topsis_method(m, w, criteria, graph=False, verbose=False))

    return run


EXPLAIN_METHODS: dict[str, dict[str, Any]] = {
    "fixed": {"normalise": "minmax", "aggregate": "arithmetic", "weighting": "fixed"},
    "entropy": {"normalise": "minmax", "aggregate": "arithmetic", "weighting": "entropy"},
    "critic": {"normalise": "minmax", "aggregate": "arithmetic", "weighting": "critic"},
    "topsis": {"normalise": "vector", "aggregate": "topsis", "weighting": "fixed"},
    # the scheme editor's 缩尾比例: min-max/arithmetic/fixed with 5% winsorising
    "winsorise": {
        "normalise": "minmax",
        "aggregate": "arithmetic",
        "weighting": "fixed",
        "winsorise": 0.05,
    },
}


def median_explain(scheme: Scheme, data: Dataset, runs: int = 3) -> float:
    """Median seconds of `rank(..., explain=True)` over a few runs (the machine is shared)."""
    times = sorted(timed(lambda: rank(scheme, data, explain=True)) for _ in range(runs))
    return times[len(times) // 2]


def explain_line(scheme: Scheme, data: Dataset, name: str) -> str:
    """`EXPLAIN method=... normalise=... weighting=... aggregate=... explain_s=...` for the
    benchmark data under one method (minmax/arithmetic with fixed, entropy or CRITIC weights;
    vector/TOPSIS with fixed weights)."""
    options = EXPLAIN_METHODS[name]
    variant = replace(scheme, method=replace(scheme.method, **options))
    seconds = median_explain(variant, data)
    share = f"winsorise={options['winsorise']} " if "winsorise" in options else ""
    return (
        f"EXPLAIN method={name} units={UNITS} indicators={INDICATORS} "
        f"normalise={options['normalise']} weighting={options['weighting']} "
        f"aggregate={options['aggregate']} {share}explain_s={seconds:.3f}"
    )


def peak_mib(draws: int) -> float:
    """Peak resident memory (MiB) of a fresh process ranking with `draws` robustness draws."""
    code = (
        "import resource, json;"
        "from benchmarks.engine import bench_scheme, bench_data;"
        "from saima.engine import rank;"
        f"rank(bench_scheme(), bench_data(), robustness={draws}, seed={SEED});"
        "print(json.dumps(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(json.loads(out.stdout.strip().splitlines()[-1])) / 1024.0


def main() -> None:
    warnings.filterwarnings("ignore")
    scheme, data = bench_scheme(), bench_data()
    types = np.array([1 if i.direction == "higher" else -1 for i in scheme.indicators])
    rank(scheme, data, robustness=100, seed=SEED)  # warm-up
    explain_s = median_explain(scheme, data)
    print(
        f"(a) one ranking with explanations (gap:<indicator> for every unselected unit), "
        f"{UNITS} units x {INDICATORS} indicators, TOPSIS: median of 3 = {explain_s:.3f} s"
    )
    print(f"EXPLAIN units={UNITS} indicators={INDICATORS} explain_s={explain_s:.3f}")
    explain_lines = [explain_line(scheme, data, name) for name in EXPLAIN_METHODS]
    saima_s = min(timed(lambda: rank(scheme, data, robustness=DRAWS, seed=SEED)) for _ in range(3))
    per_draw = saima_s / DRAWS
    print(f"(b) saima: {DRAWS} draws in {saima_s:.3f} s ({per_draw * 1e6:.1f} us/draw)")
    peers = {
        "pymcdm": (lambda: pymcdm_topsis(True, types), 200),
        "pymcdm_noval": (lambda: pymcdm_topsis(False, types), 300),
        "skcriteria": (lambda: skcriteria_topsis(types), 50),
        "pydecision": (lambda: pydecision_topsis(types), 300),
    }
    ratios = {}
    for name, (make, draws) in peers.items():
        try:
            fn = make()
        except ImportError as exc:  # a peer missing from this environment is said, not fatal
            ratios[name] = float("nan")
            print(f"    {name}: not installed ({exc.name}), skipped")
            continue
        peer_s = peer_loop(scheme, data, fn, draws)
        ratios[name] = peer_s / per_draw
        print(
            f"    {name}: {peer_s * 1e6:.1f} us/draw over {draws} draws -> saima is {ratios[name]:.1f}x faster"
        )
    peak = peak_mib(PEAK_DRAWS)
    print(f"(c) peak resident memory with {PEAK_DRAWS} draws: {peak:.0f} MiB")
    for line in explain_lines:
        print(line)
    print(
        f"RESULT draws={DRAWS} saima_s={saima_s:.3f} vs_pymcdm={ratios['pymcdm']:.1f} "
        f"vs_pymcdm_noval={ratios['pymcdm_noval']:.1f} vs_skcriteria={ratios['skcriteria']:.1f} "
        f"vs_pydecision={ratios['pydecision']:.1f} peak_mib_100k={peak:.0f}"
    )


if __name__ == "__main__":
    main()
