"""Golden digests: published results must re-verify (docs/engine.md, "The digest").

A result published by the web app stores `ENGINE_VERSION` and `result_digest`; anyone re-runs
the verification kit (`saima rank --scheme … --data … [--explain] [--robustness N --seed K]`,
whose last stderr line is `sha256=…`) and must get the same hash. These tests run the kit on a
fixed Zhejiang-style race (tests/engine/data/zhejiang.toml and zhejiang.csv: 3 sections,
11 indicators, 11 cities with quota 4 and 30 counties with quota 10) and compare with pinned
digests, so any change of outputs is caught and must come with a new ENGINE_VERSION.

What is pinned is what is stable across NumPy/BLAS builds: scores, section scores,
contributions and effective weights (min-max and weighted sums, then the digest's 10 significant digits),
ranks, selections, closed-form gaps and their kinds, and robustness from a fixed seed (ranks
and frequencies). `test_pinned_outputs_are_not_at_a_rounding_edge` checks that no
pinned float sits within a few ulps of a rounding edge of the digest's 10 significant digits, where float noise could flip
the digest. Gaps from the numeric search (here: winsorised) are exact only to the search
tolerance, so they are pinned by value, to 1e-7 relative, rather than by digest.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from saima.engine import ENGINE_VERSION, Scheme, rank, scheme_to_toml
from saima.engine.digest import canonical_number
from saima.rank_cli import main, read_scheme, read_table

DATA = Path(__file__).parent / "data"
SCHEME = DATA / "zhejiang.toml"
CSV = DATA / "zhejiang.csv"
SEED = "20240101"
DRAWS = "2000"
WINSORISE = 0.05

PINNED_VERSION = "2.0.0"
PINNED = {
    "plain": "336798981e24dad61b45ef581fb6e60b89299133184ba0e023479517e98e1886",
    "explain": "d323976afedf8612786fc7123c510104d32593c48d201181d48a5692cf30e14f",
    "robustness": "573dc1562addb83efdf694c1606cbbae8696433b66a5b5afc5c98af68b5eba7a",
    "kit": "ce79e31ecd0065ee2b96eef9c38e281937dc72f3aaf82ecad3f8e09b7eb766fb",
    "winsorised": "60f4514d356378d46ff6fb460988169cbb91d017f2b4f409ca8e440496570520",
}
RUNS = {
    "plain": (),
    "explain": ("--explain",),
    "robustness": ("--robustness", DRAWS, "--seed", SEED),
    "kit": ("--explain", "--robustness", DRAWS, "--seed", SEED),
    "winsorised": (),
}
WINSORISED_GAPS = DATA / "zhejiang_winsorised_gaps.json"
WHAT_TO_DO = (
    "outputs changed: bump ENGINE_VERSION in saima/engine/__init__.py (defined in "
    "saima/engine/digest.py) and re-pin PINNED_VERSION, PINNED and the winsorised gaps, "
    "and say so in the commit"
)


def winsorised_scheme() -> Scheme:
    base = read_scheme(SCHEME)
    return replace(base, method=replace(base.method, winsorise=WINSORISE))


def kit_digest(scheme_path: Path, *extra: str) -> str:
    """The verification kit's `sha256=…` (last stderr line of `saima rank`)."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["--scheme", str(scheme_path), "--data", str(CSV), *extra])
    assert code == 0, err.getvalue()
    last = err.getvalue().strip().splitlines()[-1]
    assert last.startswith("sha256=")
    return last.removeprefix("sha256=")


def scheme_path(name: str, tmp_path: Path) -> Path:
    if name != "winsorised":
        return SCHEME
    path = tmp_path / "winsorised.toml"
    path.write_text(scheme_to_toml(winsorised_scheme()), encoding="utf-8")
    return path


@pytest.mark.parametrize("name", list(PINNED))
def test_kit_digest_is_pinned(name: str, tmp_path: Path) -> None:
    digest = kit_digest(scheme_path(name, tmp_path), *RUNS[name])
    assert (ENGINE_VERSION, digest) == (PINNED_VERSION, PINNED[name]), WHAT_TO_DO


def test_winsorised_gaps_are_pinned_to_the_search_tolerance() -> None:
    scheme = winsorised_scheme()
    result = rank(scheme, read_table(CSV, scheme).data, explain=True)
    assert result.gaps is not None
    pinned = json.loads(WINSORISED_GAPS.read_text(encoding="utf-8"))
    assert ENGINE_VERSION == PINNED_VERSION, WHAT_TO_DO
    for code, values in pinned.items():
        expected = np.array([np.nan if v is None else v for v in values])
        np.testing.assert_allclose(
            result.gaps[code], expected, rtol=1e-7, atol=1e-9, err_msg=f"{code}: {WHAT_TO_DO}"
        )


def at_rounding_edge(x: float, ulps: int = 64) -> bool:
    """True when moving x by `ulps` ulps could change its canonical (digest) form.

    >>> at_rounding_edge(0.1), at_rounding_edge(0.12345678905000000)
    (False, True)
    """
    if x == 0 or not math.isfinite(x):
        return False
    step = math.ulp(x) * ulps
    return len({canonical_number(y) for y in (x - step, x, x + step)}) > 1


@pytest.mark.parametrize("name", ["kit", "winsorised"])
def test_pinned_outputs_are_not_at_a_rounding_edge(name: str) -> None:
    """Float noise (another BLAS, another summation order) of a few ulps cannot flip a digit
    of the pinned digests. If this fails after a change of the fixture, change the fixture."""
    scheme = winsorised_scheme() if name == "winsorised" else read_scheme(SCHEME)
    data = read_table(CSV, scheme).data
    if name == "kit":
        result = rank(scheme, data, explain=True, robustness=int(DRAWS), seed=int(SEED))
    else:
        result = rank(scheme, data)
    outputs = [result.score, *(result.gaps or {}).values()]
    outputs += [*result.section_scores.values(), *result.contributions.values()]
    outputs += [np.array(list(w.values())) for w in result.weights.values()]
    if result.robustness is not None:
        r = result.robustness
        outputs += [r.rank_median, r.rank_p05, r.rank_p95, r.p_selected]
    edges = [x for x in np.concatenate(outputs).tolist() if at_rounding_edge(x)]
    assert not edges, edges
