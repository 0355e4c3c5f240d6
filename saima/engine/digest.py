"""The SHA-256 digest that lets anyone re-verify a published result (公开可验证).

Canonical JSON: sorted keys, no whitespace, every number rounded to 10 significant digits and
written as an integer when whole (else with `repr`), NaN as null. The digest depends only on
(scheme, data, robustness draws and seed, published outputs) and covers every published number.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from .model import Dataset
from .scheme import Scheme, scheme_to_dict

if TYPE_CHECKING:
    from .race import RankResult

ENGINE_VERSION = "2.0.0"
SIGNIFICANT_DIGITS = 10  # enough for any published figure, few enough that float noise of a
# few ulps (another BLAS, another summation order) rarely meets a rounding edge
# MAJOR: the same inputs may give other outputs or another digest (a published result then
# re-verifies only with the engine version it names); MINOR: new options whose absence leaves
# every output and digest as it was; PATCH: no output changes. 2.0.0: the digest covers every
# published number (section scores, contributions, effective weights, gap kinds, boundary
# ties) and numbers have one canonical form; robustness draws in logs (small concentrations).


def canonical(value: Any) -> Any:
    """Plain JSON data, every number in one canonical form: rounded to 10 significant digits,
    written as an integer when whole (so 3, 3.0 and -0.0 vs 0 do not differ, whatever a
    database's JSON storage makes of them), NaN and infinities as None.

    >>> canonical({"a": [0.1 + 0.2, float("nan"), np.int64(3), 3.0, -0.0, True, 1e20, 2 / 3]})
    {'a': [0.3, None, 3, 3, 0, True, 100000000000000000000, 0.6666666667]}
    """
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, np.ndarray):
        return [canonical(v) for v in value.tolist()]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | float | np.integer | np.floating):
        return canonical_number(float(value))
    if isinstance(value, np.str_):
        return str(value)
    return value


def canonical_number(f: float) -> int | float | None:
    """A number rounded to 10 significant digits; whole values as int; NaN/inf as None."""
    if math.isnan(f) or math.isinf(f):
        return None
    rounded = float(f"{f:.{SIGNIFICANT_DIGITS}g}")
    return int(rounded) if rounded.is_integer() else rounded


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, numbers as canonical() leaves them."""
    return json.dumps(
        canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def published_outputs(result: RankResult) -> dict[str, Any]:
    """Every number a board publishes, as plain data: one row per unit (`RankResult.to_rows`:
    score, rank, selected, section scores, contributions, gaps and their kinds when explained,
    rank interval and P(selected) when robustness ran), the boundary ties, and each group's
    effective weights. What the web app stores is this, so that stored outputs re-hash."""
    return {
        "rows": result.to_rows(),
        "tie_at_boundary": [bool(t) for t in result.tie_at_boundary.tolist()],
        "weights": result.weights,
    }


def outputs_digest(
    scheme: Scheme,
    data: Dataset,
    outputs: Mapping[str, Any],
    *,
    draws: int = 0,
    seed: int | None = None,
) -> str:
    """SHA-256 hex digest of (engine version, scheme, inputs, run options, `outputs`), for
    outputs as `published_outputs` gives them (or as stored from it): a stored result is
    checked against its digest without re-running it. `seed` counts only with draws."""
    payload = {
        "engine_version": ENGINE_VERSION,
        "scheme": scheme_to_dict(scheme),
        "inputs": {"units": data.units, "groups": data.groups, "values": data.values},
        "robustness": {"draws": draws, "seed": seed if draws else None},
        "outputs": outputs,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()


def result_digest(scheme: Scheme, data: Dataset, result: RankResult) -> str:
    """The digest `saima rank` prints and the web app freezes: `outputs_digest` of
    `published_outputs(result)`."""
    r = result.robustness
    draws, seed = (r.draws, r.seed) if r is not None else (0, None)
    return outputs_digest(scheme, data, published_outputs(result), draws=draws, seed=seed)
