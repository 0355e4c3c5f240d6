"""The host console's buttons (主持人控制台): which of ``saima.arena.actions`` each one takes.

The console asks the arena's own action objects (ADR 0006) for every button: ``why_not()`` is
the reason shown beside a disabled one, and the POST view runs the same object with ``take``;
the service behind it re-checks under the row lock, audits the step and announces it to the
screens after commit. This module only names the buttons, their keyboard shortcuts, and
whether a button acts on the contest or on one contestant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from saima.arena import actions
from saima.arena.models import Contest, Contestant
from saima.core.workflow import Action


@dataclass(frozen=True)
class Button:
    name: str  # in the URL: /arena/live/<contest>/console/<name>/
    action: type[Action[Any]]
    key: str = ""  # the console's keyboard shortcut
    per_contestant: bool = False

    def build(self, user: Any, contest: Contest, contestant: Contestant | None) -> Action[Any]:
        if self.per_contestant:
            assert contestant is not None, f"{self.name} acts on a contestant"
            return self.action(user, contest, contestant)  # type: ignore[call-arg]
        return self.action(user, contest)  # type: ignore[call-arg]


CONTEST_BUTTONS = (
    Button("timer-start", actions.StartTimer, key=" "),
    Button("timer-pause", actions.PauseTimer, key=" "),
    Button("timer-stop", actions.StopTimer, key="s"),
    Button("close", actions.CloseContest),
    Button("reveal", actions.Reveal),
    Button("release", actions.Release),
    Button("withdraw", actions.Withdraw),
)
CONTESTANT_BUTTONS = (
    Button("call", actions.CallContestant, per_contestant=True),
    Button("scoring-open", actions.OpenScoring, key="o", per_contestant=True),
    Button("scoring-close", actions.CloseScoring, key="c", per_contestant=True),
)
BUTTONS = {b.name: b for b in (*CONTEST_BUTTONS, *CONTESTANT_BUTTONS)}


def _described(button: Button, action: Action[Any]) -> dict[str, Any]:
    return {"label": str(action.label), "why_not": action.why_not(), "key": button.key}


def actions_state(user: Any, contest: Contest) -> dict[str, Any]:
    """Every button of the console: its label and, when it is disabled, why."""
    contestants = list(contest.contestants.select_related("unit").order_by("position", "pk"))
    return {
        "contest": {b.name: _described(b, b.build(user, contest, None)) for b in CONTEST_BUTTONS},
        "contestants": {
            str(c.pk): {
                b.name: _described(b, b.build(user, contest, c)) for b in CONTESTANT_BUTTONS
            }
            for c in contestants
        },
    }
