"""Every write of the arena app: setup, judge links, the host's actions, scoring, reveal,
release and pledges' delivered values, one module per concern (``setup``, ``links``,
``conflicts``, ``host``, ``scoring``, ``pledges``; what they share in ``common``). Callers
import this package and use ``services.<name>``: every public name is re-exported here.

Each service runs in one transaction, re-checks the right and the state under a row lock,
records one audit event (on the contest, so the event's scope is the organising unit) and,
when a screen shows what changed, calls ``broadcast.announce`` (sent after commit).

Host actions (the console, built by ``saima.arena.live``):
``contest_call`` (put a contestant on stage), ``timer_start`` / ``timer_pause`` /
``timer_stop``, ``scoring_open`` / ``scoring_close`` (one contestant), ``contest_close``,
``contest_reveal``, ``contest_release``.

Broadcast events and their data (the live screens' contract; a score's value is never sent):
``contest_changed`` {status, released, current}; ``timer`` {state, elapsed, started_at,
slot_seconds, contestant}; ``scoring_opened`` / ``scoring_closed`` {contestant, scoring};
``score_saved`` {contestant, seat, scored, seats}; ``revealed`` {result}; ``released``
{released}.
"""

from __future__ import annotations

from saima.arena.errors import ArenaError  # callers catch it here
from saima.arena.services.common import EDITABLE, contest_state, seating_refusal, setup_refusal
from saima.arena.services.conflicts import conflict_declare, conflict_withdraw
from saima.arena.services.host import (
    close_refusal,
    contest_call,
    contest_close,
    contest_release,
    contest_reveal,
    host_refusal,
    release_refusal,
    reveal_refusal,
    scoring_close,
    scoring_open,
    scoring_refusal,
    timer_elapsed,
    timer_pause,
    timer_refusal,
    timer_start,
    timer_state,
    timer_stop,
)
from saima.arena.services.links import (
    link_expiry,
    link_issue,
    link_revoke,
    link_touch,
    links_issue_all,
    token_hash,
)
from saima.arena.services.pledges import pledge_deliver
from saima.arena.services.scoring import (
    SubmitOutcome,
    score_refusal,
    score_submit,
    scores_enter_paper,
    sheet_progress,
)
from saima.arena.services.setup import (
    CONTEST_FIELDS,
    CONTEST_RULE_FIELDS,
    SetupObject,
    contest_create,
    contest_ready,
    contest_unready,
    contest_update,
    draw_permutation,
    draw_seed_new,
    order_draw,
    order_fix,
    ready_problems,
    series_create,
    setup_bulk,
    setup_delete,
    setup_save,
)

__all__ = [
    "ArenaError",
    "CONTEST_FIELDS",
    "CONTEST_RULE_FIELDS",
    "EDITABLE",
    "SetupObject",
    "SubmitOutcome",
    "close_refusal",
    "conflict_declare",
    "conflict_withdraw",
    "contest_call",
    "contest_close",
    "contest_create",
    "contest_ready",
    "contest_release",
    "contest_reveal",
    "contest_state",
    "contest_unready",
    "contest_update",
    "draw_permutation",
    "draw_seed_new",
    "host_refusal",
    "link_expiry",
    "link_issue",
    "link_revoke",
    "link_touch",
    "links_issue_all",
    "order_draw",
    "order_fix",
    "pledge_deliver",
    "ready_problems",
    "release_refusal",
    "reveal_refusal",
    "score_refusal",
    "score_submit",
    "scores_enter_paper",
    "scoring_close",
    "scoring_open",
    "scoring_refusal",
    "seating_refusal",
    "series_create",
    "setup_bulk",
    "setup_delete",
    "setup_refusal",
    "setup_save",
    "sheet_progress",
    "timer_elapsed",
    "timer_pause",
    "timer_refusal",
    "timer_start",
    "timer_state",
    "timer_stop",
    "token_hash",
]
