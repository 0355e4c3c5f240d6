"""The digest of a published contest (公开可验证): SHA-256 over the engine's canonical JSON
(`saima.engine.canonical_json`: sorted keys, numbers to 10 significant digits, NaN as null) of
the engine and judging versions, the contest's inputs (rubric, panels, judges, every score,
rules) and its published outputs. Anyone holding the inputs can re-run `judge_contest` and
compare; anyone holding the stored outputs can re-hash them without re-running.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from ..digest import ENGINE_VERSION, canonical_json
from .contest import Contest
from .result import JudgingResult

JUDGING_VERSION = "1.0.0"  # MAJOR when the same inputs may give other outputs or digest


def contest_to_dict(contest: Contest) -> dict[str, Any]:
    """The contest's inputs as plain data (scores nested judges → contestants → criteria,
    NaN for not scored)."""
    r = contest.rules
    return {
        "contestants": list(contest.contestants),
        "judges": list(contest.judges),
        "judge_panels": list(contest.judge_panels),
        "criteria": [
            {"code": c.code, "name": c.name, "maximum": c.maximum, "weight": c.weight}
            for c in contest.criteria
        ],
        "panels": [{"code": p.code, "name": p.name, "weight": p.weight} for p in contest.panels],
        "rules": {
            "method": r.method,
            "trim": r.trim,
            "min_kept": r.min_kept,
            "tiebreak": r.tiebreak,
            "outlier_below": r.outlier_below,
        },
        "scores": contest.scores.tolist(),
    }


def published_contest(result: JudgingResult) -> dict[str, Any]:
    """Every number a contest board publishes: official method, per-contestant rows (all
    methods, each panel's figure), per-judge agreement rows, per-panel Kendall's W."""
    return {
        "official": result.contest.rules.method,
        "contestants": result.contestant_rows(),
        "judges": result.judge_rows(),
        "panels": result.panel_rows(),
    }


def contest_digest(contest: Contest, outputs: Mapping[str, Any]) -> str:
    """SHA-256 hex of (versions, inputs, `outputs`) for outputs as `published_contest` gives
    them or as stored from it (a JSON round trip does not change the digest)."""
    payload = {
        "engine_version": ENGINE_VERSION,
        "judging_version": JUDGING_VERSION,
        "contest": contest_to_dict(contest),
        "outputs": outputs,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
