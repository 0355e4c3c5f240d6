"""Who may do what in an arena contest, built on ``saima.org.permissions``; the one place the
status enum and the release switch decide visibility.

- setting up and running a contest (rubric, contestants, judges, links, host console, reveal,
  release, pledges' delivered values): an organiser of the contest's owning unit (or above);
- watching a contest's non-public pages read-only (setup, progress, results before release):
  its managers, and viewers and discipline officers over the owning unit;
- scoring: a judge, through their seat's link or as the seat's signed-in user, only their own
  scores, and never where a conflict (own unit or declared) stands;
- results: managers and watchers once revealed; a contestant's own line (its unit's people or
  the presenter) once revealed; everyone once revealed and released.
"""

from __future__ import annotations

from typing import Any

from saima.arena.models import Contest, Contestant, ContestStatus, JudgeSeat
from saima.org.permissions import (
    AnyUser,
    is_superuser,
    may_observe_unit,
    may_organise,
    may_view_unit_data,
    units_organised_by,
)


def may_create_contest(user: AnyUser) -> bool:
    return is_superuser(user) or units_organised_by(user).exists()


def may_manage_contest(user: AnyUser, contest: Contest) -> bool:
    """Set up and host the contest (the host console's actions included)."""
    return may_organise(user, contest.owner)


def may_watch_contest(user: AnyUser, contest: Contest) -> bool:
    """Read everything of the contest (but act on nothing)."""
    return may_manage_contest(user, contest) or may_observe_unit(user, contest.owner)


def is_revealed(contest: Contest) -> bool:
    return contest.status == ContestStatus.REVEALED


def is_public(contest: Contest) -> bool:
    """The one test of the release switch: revealed and released."""
    return is_revealed(contest) and contest.released


def may_view_contest(user: AnyUser, contest: Contest) -> bool:
    """Open the contest's page at all (what it shows depends on the finer predicates)."""
    return (
        is_public(contest)
        or may_watch_contest(user, contest)
        or is_contestant_user(user, contest)
        or seat_of(user, contest) is not None
    )


def may_view_results(user: AnyUser, contest: Contest) -> bool:
    """See every contestant's result: public once released, the contest's people once revealed."""
    if is_public(contest):
        return True
    return is_revealed(contest) and may_watch_contest(user, contest)


def may_view_own_result(user: AnyUser, contestant: Contestant) -> bool:
    """A contestant's own line, after reveal: its unit's people, or the presenter."""
    if may_view_results(user, contestant.contest):
        return True
    return is_revealed(contestant.contest) and speaks_for(user, contestant)


def may_view_board(user: AnyUser, contest: Contest) -> bool:
    """The projector board: the contest's people at any time, everyone once released."""
    return is_public(contest) or may_watch_contest(user, contest)


def may_view_judge_scores(user: AnyUser, contest: Contest) -> bool:
    """Each judge's sheet (names beside numbers): the managers, and watchers after reveal."""
    if may_manage_contest(user, contest):
        return True
    return is_revealed(contest) and may_watch_contest(user, contest)


def speaks_for(user: AnyUser, contestant: Contestant) -> bool:
    """The user is the presenter, or may see the contestant unit's unpublished data."""
    if not getattr(user, "is_authenticated", False):
        return False
    person_id = getattr(user, "person_id", None)
    if person_id is not None and person_id == contestant.person_id:
        return True
    return may_view_unit_data(user, contestant.unit)


def is_contestant_user(user: AnyUser, contest: Contest) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return any(speaks_for(user, c) for c in contest.contestants.select_related("unit"))


def seat_of(user: Any, contest: Contest) -> JudgeSeat | None:
    """The seat a signed-in user holds at the contest (the demo judge login), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return contest.seats.filter(user_id=user.pk).select_related("panel", "unit").first()
