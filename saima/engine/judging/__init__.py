"""saima.engine.judging — the maths of arena contests (擂台赛): judges score contestants on a
rubric, judges sit in weighted panels, and the panels' figures combine into one ranking.

Pure Python + NumPy, vectorised over judges × contestants × criteria. See docs/judging.md.
"""

from .agreement import average_ranks, kendall_w, leave_one_out_spearman
from .contest import (
    METHODS,
    Contest,
    ContestError,
    Criterion,
    Method,
    Panel,
    Rules,
    contest_errors,
    validate_contest,
)
from .digest import JUDGING_VERSION, contest_digest, contest_to_dict, published_contest
from .result import JudgingResult, MethodResult, judge_contest

__all__ = [
    "JUDGING_VERSION",
    "METHODS",
    "Contest",
    "ContestError",
    "Criterion",
    "JudgingResult",
    "Method",
    "MethodResult",
    "Panel",
    "Rules",
    "average_ranks",
    "contest_digest",
    "contest_errors",
    "contest_to_dict",
    "judge_contest",
    "kendall_w",
    "leave_one_out_spearman",
    "published_contest",
    "validate_contest",
]
