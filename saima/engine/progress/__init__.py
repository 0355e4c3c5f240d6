"""saima.engine.progress — key-project supervision maths (重点项目红旗/蜗牛): pure Python + NumPy.

Rules as data (`rules`, `presets`), monthly lights (`lights`), quarterly red flags and snails
(`ratings`), the card state machine (`cards`) and incentive linkage (`incentives`).
docs/progress.md documents every formula with worked examples.
"""

from .cards import (
    CARD_EDGES,
    CardCheck,
    CardState,
    card_edge,
    check_card_transition,
    decide_yellow_cards,
)
from .incentives import IncentiveProposal, Term, YearCounts, propose_incentives
from .inputs import ProjectMonths
from .lights import Light, Lights, Reason, compute_lights, explain_light
from .presets import PRESETS, preset
from .ratings import Ineligible, QuarterRatings, SnailReason, explain_rating, rate_quarter
from .rules import (
    CardRules,
    IncentiveRules,
    LightRules,
    MilestoneRule,
    ProgressRules,
    RatingRules,
    RatingWeights,
    load_rules,
    rules_digest,
    rules_from_dict,
    rules_to_dict,
    rules_to_toml,
)

__all__ = [
    "CARD_EDGES",
    "PRESETS",
    "CardCheck",
    "CardState",
    "IncentiveProposal",
    "Ineligible",
    "QuarterRatings",
    "SnailReason",
    "Term",
    "YearCounts",
    "card_edge",
    "check_card_transition",
    "decide_yellow_cards",
    "explain_rating",
    "preset",
    "propose_incentives",
    "rate_quarter",
    "CardRules",
    "IncentiveRules",
    "Light",
    "LightRules",
    "Lights",
    "MilestoneRule",
    "ProgressRules",
    "ProjectMonths",
    "RatingRules",
    "RatingWeights",
    "Reason",
    "compute_lights",
    "explain_light",
    "load_rules",
    "rules_digest",
    "rules_from_dict",
    "rules_to_dict",
    "rules_to_toml",
]
