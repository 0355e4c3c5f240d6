"""The SHA-256 digest that lets anyone re-verify a published result (公开可验证).

Canonical JSON: sorted keys, no whitespace, every float rounded to 12 significant digits and
written with `repr`, NaN as null. The digest depends only on (scheme, data, result).
"""

from __future__ import annotations

import hashlib
import json
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from .model import Dataset
from .scheme import Scheme, scheme_to_dict

if TYPE_CHECKING:
    from .race import RankResult

ENGINE_VERSION = "1.0.0"


def canonical(value: Any) -> Any:
    """Plain JSON data with floats rounded to 12 significant digits and NaN as None.

    >>> canonical({"a": [0.1 + 0.2, float("nan"), np.int64(3), True]})
    {'a': [0.3, None, 3, True]}
    """
    if isinstance(value, dict):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    if isinstance(value, np.ndarray):
        return [canonical(v) for v in value.tolist()]
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        if math.isnan(f) or math.isinf(f):
            return None
        return float(f"{f:.12g}")
    return value


def canonical_json(value: Any) -> str:
    """Sorted keys, no whitespace, floats as canonical() leaves them."""
    return json.dumps(
        canonical(value), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )


def digest_payload(scheme: Scheme, data: Dataset, result: RankResult) -> dict[str, Any]:
    """What the digest covers: engine version, scheme, inputs and outputs."""
    outputs: dict[str, Any] = {
        "score": result.score,
        "rank": result.rank,
        "selected": result.selected,
    }
    if result.gaps is not None:
        outputs["gaps"] = result.gaps
    if result.robustness is not None:
        r = result.robustness
        outputs["robustness"] = {
            "rank_median": r.rank_median,
            "rank_p05": r.rank_p05,
            "rank_p95": r.rank_p95,
            "p_selected": r.p_selected,
            "draws": r.draws,
            "seed": r.seed,
        }
    return {
        "engine_version": ENGINE_VERSION,
        "scheme": scheme_to_dict(scheme),
        "inputs": {"units": data.units, "groups": data.groups, "values": data.values},
        "outputs": outputs,
    }


def result_digest(scheme: Scheme, data: Dataset, result: RankResult) -> str:
    """SHA-256 hex digest of the canonical JSON of `digest_payload`."""
    text = canonical_json(digest_payload(scheme, data, result))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
