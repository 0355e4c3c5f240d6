"""The host's and organiser's steps as action objects (``saima.core.workflow``).

Views, the host console and templates ask the same objects: ``why_not()`` beside a disabled
button, ``take(request, action, message)`` in a POST view. The services re-check the right and
the state under the contest's row lock.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from saima.arena import services
from saima.arena.models import Contest, Contestant, ContestStatus, JudgeLink, JudgeSeat
from saima.arena.permissions import may_manage_contest
from saima.core.workflow import Action


class ContestAction(Action[Any]):
    """An action on one contest by one of its managers."""

    def __init__(self, user: Any, contest: Contest) -> None:
        super().__init__(user)
        self.contest = contest

    def permitted(self) -> bool:
        return may_manage_contest(self.user, self.contest)


class MarkReady(ContestAction):
    label = _("设为待开始")

    def refusal(self) -> str | None:
        if self.contest.status != ContestStatus.DRAFT:
            return str(_("只有筹备中的擂台赛可以设为待开始"))
        problems = services.ready_problems(self.contest)
        return "；".join(problems) if problems else None

    def perform(self) -> Contest:
        return services.contest_ready(actor=self.user, contest=self.contest)


class BackToDraft(ContestAction):
    label = _("退回筹备")

    def refusal(self) -> str | None:
        if self.contest.status != ContestStatus.READY:
            return str(_("只有待开始的擂台赛可以退回筹备"))
        return None

    def perform(self) -> Contest:
        return services.contest_unready(actor=self.user, contest=self.contest)


class DrawOrder(ContestAction):
    label = _("抽签决定出场顺序")

    def refusal(self) -> str | None:
        return services.setup_refusal(self.contest)

    def perform(self) -> list[Contestant]:
        return services.order_draw(actor=self.user, contest=self.contest)


class ContestantAction(ContestAction):
    """An action on one contestant of the contest."""

    def __init__(self, user: Any, contest: Contest, contestant: Contestant) -> None:
        super().__init__(user, contest)
        self.contestant = contestant


class CallContestant(ContestantAction):
    label = _("请上台")

    def refusal(self) -> str | None:
        return services.host_refusal(self.contest)

    def perform(self) -> Contest:
        return services.contest_call(
            actor=self.user, contest=self.contest, contestant=self.contestant
        )


class TimerAction(ContestAction):
    verb = "start"

    def refusal(self) -> str | None:
        return services.timer_refusal(self.contest, self.verb)


class StartTimer(TimerAction):
    label = _("开始计时")
    verb = "start"

    def perform(self) -> Contest:
        return services.timer_start(actor=self.user, contest=self.contest)


class PauseTimer(TimerAction):
    label = _("暂停计时")
    verb = "pause"

    def perform(self) -> Contest:
        return services.timer_pause(actor=self.user, contest=self.contest)


class StopTimer(TimerAction):
    label = _("停止计时")
    verb = "stop"

    def perform(self) -> Contest:
        return services.timer_stop(actor=self.user, contest=self.contest)


class OpenScoring(ContestantAction):
    label = _("开始评分")

    def refusal(self) -> str | None:
        return services.scoring_refusal(self.contest, self.contestant, "open")

    def perform(self) -> Contestant:
        return services.scoring_open(
            actor=self.user, contest=self.contest, contestant=self.contestant
        )


class CloseScoring(ContestantAction):
    label = _("结束评分")

    def refusal(self) -> str | None:
        return services.scoring_refusal(self.contest, self.contestant, "close")

    def perform(self) -> Contestant:
        return services.scoring_close(
            actor=self.user, contest=self.contest, contestant=self.contestant
        )


class CloseContest(ContestAction):
    label = _("结束全部评分")

    def refusal(self) -> str | None:
        return services.close_refusal(self.contest)

    def perform(self) -> Contest:
        return services.contest_close(actor=self.user, contest=self.contest)


class Reveal(ContestAction):
    label = _("揭晓结果")

    def refusal(self) -> str | None:
        return services.reveal_refusal(self.contest)

    def perform(self) -> Contest:
        return services.contest_reveal(actor=self.user, contest=self.contest)


class Release(ContestAction):
    """The release switch: publish the revealed results to the public portal."""

    label = _("向社会公布")
    released = True

    def refusal(self) -> str | None:
        return services.release_refusal(self.contest, self.released)

    def perform(self) -> Contest:
        return services.contest_release(
            actor=self.user, contest=self.contest, released=self.released
        )


class Withdraw(Release):
    """The release switch turned off: the results leave the public portal."""

    label = _("撤回公布")
    released = False


class IssueLink(ContestAction):
    label = _("生成评委链接")

    def __init__(self, user: Any, seat: JudgeSeat) -> None:
        super().__init__(user, seat.contest)
        self.seat = seat

    def refusal(self) -> str | None:
        return services.seating_refusal(self.contest)

    def perform(self) -> tuple[JudgeLink, str]:
        return services.link_issue(actor=self.user, seat=self.seat)


class RevokeLink(ContestAction):
    label = _("撤销链接")

    def __init__(self, user: Any, link: JudgeLink) -> None:
        super().__init__(user, link.seat.contest)
        self.link = link

    def refusal(self) -> str | None:
        return str(_("此链接已撤销")) if self.link.revoked_at is not None else None

    def perform(self) -> JudgeLink:
        return services.link_revoke(actor=self.user, link=self.link)
