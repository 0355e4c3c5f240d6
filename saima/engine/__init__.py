"""saima.engine — the race engine (赛马引擎): pure Python + NumPy, no Django.

Schemes (TOML) → normalise → weigh → aggregate → rank within peer groups with quotas, plus
explanations (gaps) and Monte-Carlo robustness, and a digest to re-verify published results.
"""

from .bounds import Violation, value_violations
from .digest import ENGINE_VERSION, canonical_json, outputs_digest, published_outputs, result_digest
from .errors import DataError, SchemeError
from .feasible import GapKind
from .model import Dataset, data_errors, validate_dataset
from .pipeline import scheme_weights
from .race import RankResult, rank
from .robustness import Robustness
from .scheme import (
    Group,
    Indicator,
    Method,
    Scheme,
    Section,
    load_scheme,
    scheme_from_dict,
    scheme_to_dict,
    scheme_to_toml,
)

__all__ = [
    "ENGINE_VERSION",
    "DataError",
    "Dataset",
    "GapKind",
    "Group",
    "Indicator",
    "Method",
    "RankResult",
    "Robustness",
    "Scheme",
    "SchemeError",
    "Section",
    "Violation",
    "canonical_json",
    "data_errors",
    "load_scheme",
    "outputs_digest",
    "published_outputs",
    "rank",
    "result_digest",
    "scheme_from_dict",
    "scheme_to_dict",
    "scheme_to_toml",
    "scheme_weights",
    "validate_dataset",
    "value_violations",
]
