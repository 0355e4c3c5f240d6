"""The live sockets: the projector board, the host console and a judge's phone.

The protocol (docs/arena-live.md):

- On every (re)connect the consumer checks who may see the contest (``saima.arena.permissions``,
  the one place), joins the contest's channel group and sends a full **snapshot**
  ``{"type": "snapshot", "seq": 1, "state": {...}}``. A refused socket gets
  ``{"type": "denied", "reason": ...}`` and is closed with code 4403; it never joins the group.
- Each ``contest.event`` message from ``saima.arena.broadcast`` (sent after commit by the arena
  services) makes the consumer read the changed sections afresh from the database and send a
  **delta** ``{"type": "delta", "seq": N, "events": [...], "state": {section: value}}`` —
  never the message's own data, so nothing reaches a screen that its viewer may not see.
  Events that can change what a viewer may see (``contest_changed``, ``revealed``,
  ``released``, and any unknown one) bring a fresh snapshot instead, built after the access
  check is asked again (grants re-read): a board whose contest is withdrawn is closed.
- ``seq`` rises by one per frame on a connection. A client ignores a frame whose ``seq`` it
  has seen, asks ``{"type": "resync"}`` on a gap, and takes the snapshot it gets; a new
  connection starts again from a snapshot. Events arriving while a frame is being built are
  folded into the next frame (a burst of 100 submissions costs a few reads, not 100).
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, ClassVar

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from saima.arena import permissions
from saima.arena.broadcast import group_name
from saima.arena.live import state
from saima.arena.live.judges import live_link, seat_for_token
from saima.arena.models import Contest, JudgeSeat
from saima.org.permissions import forget_grants

logger = logging.getLogger(__name__)

DENIED = 4403
RESYNC_INTERVAL = 1.0  # seconds; a client may ask for a snapshot at most this often

Frame = dict[str, Any]


class Refused(Exception):
    """The viewer may not (or may no longer) see this contest."""


class LiveConsumer(AsyncJsonWebsocketConsumer):  # type: ignore[misc]
    """One screen watching one contest; subclasses say who may watch and what they see."""

    audience: ClassVar[str]

    async def connect(self) -> None:
        self.seq = 0
        self.pending: set[str] = set()
        self.worker: asyncio.Task[None] | None = None
        self.last_resync = 0.0
        self.joined: str | None = None
        self.language = self._language()
        await self.accept()
        try:
            contest_id = await database_sync_to_async(self.authorise)()
        except Refused as refused:
            await self.deny(str(refused))
            return
        self.joined = group_name(contest_id)
        await self.channel_layer.group_add(self.joined, self.channel_name)
        await self.send_frame(state.FULL, ["connect"])

    async def disconnect(self, code: int) -> None:
        if self.worker is not None and not self.worker.done():
            self.worker.cancel()
        await self.leave()

    async def leave(self) -> None:
        """Stop following the contest (nothing more is sent on this socket)."""
        self.pending.clear()
        if self.joined is not None:
            await self.channel_layer.group_discard(self.joined, self.channel_name)
            self.joined = None

    async def deny(self, reason: str) -> None:
        await self.send_json({"type": "denied", "reason": reason})
        await self.close(code=DENIED)

    # ------------------------------------------------------------ from the client

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        if kind == "resync" and self.joined is not None:
            now = time.monotonic()
            if now - self.last_resync >= RESYNC_INTERVAL:
                self.last_resync = now
                self.queue("resync")  # not a known event: a snapshot, in turn with the deltas
        elif kind == "ping":
            await self.send_json({"type": "pong"})

    # ------------------------------------------------------------ from the arena services

    async def contest_event(self, message: dict[str, Any]) -> None:
        if self.joined is None or not self.concerns_me(message):
            return
        self.queue(str(message.get("event", "")))

    def queue(self, event: str) -> None:
        """Note ``event``; one worker per socket builds and sends the frames, in order."""
        self.pending.add(event)
        if self.worker is None or self.worker.done():
            self.worker = asyncio.ensure_future(self.drain())

    async def drain(self) -> None:
        while self.pending and self.joined is not None:
            events, self.pending = sorted(self.pending), set()
            try:
                await self.send_frame(state.sections_for(events), events)
            except Exception:  # a frame that cannot be built: close; the client reconnects
                logger.exception("arena live: no frame for %s on contest %s", events, self.joined)
                await self.leave()
                await self.close(code=1011)

    def concerns_me(self, message: dict[str, Any]) -> bool:
        return True

    # ------------------------------------------------------------ frames

    async def send_frame(self, wanted: frozenset[str], events: list[str]) -> None:
        try:
            built = await database_sync_to_async(self.build)(wanted)
        except Refused as refused:
            await self.leave()
            await self.deny(str(refused))
            return
        self.seq += 1
        kind = "snapshot" if wanted == state.FULL else "delta"
        await self.send_json({"type": kind, "seq": self.seq, "events": events, "state": built})

    def build(self, wanted: frozenset[str]) -> state.State:
        """The sections ``wanted`` for this viewer, after asking again whether they may see
        the contest (a snapshot, a reveal or a release may change the answer)."""
        with translation.override(self.language):
            contest = self.contest_or_refuse()
            return self.state(contest, wanted)

    def contest_or_refuse(self) -> Contest:
        contest = state.load_contest(self.contest_id)
        if contest is None:
            raise Refused(_("没有这场擂台赛"))
        forget_grants(self.scope.get("user"))
        if not self.may_see(contest):
            raise Refused(_("你没有查看这场擂台赛的权限"))
        return contest

    def authorise(self) -> int:
        """Who is watching which contest; raises ``Refused`` for a socket that may not."""
        with translation.override(self.language):
            self.contest_id = int(self.scope["url_route"]["kwargs"]["contest_id"])
            self.contest_or_refuse()
        return self.contest_id

    def may_see(self, contest: Contest) -> bool:
        raise NotImplementedError

    def state(self, contest: Contest, wanted: frozenset[str]) -> state.State:
        raise NotImplementedError

    def _language(self) -> str:
        query = self.scope.get("query_string", b"").decode("latin1")
        asked = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("lang", "")
        codes = {code for code, _name in settings.LANGUAGES}
        return asked if asked in codes else settings.LANGUAGE_CODE


class BoardConsumer(LiveConsumer):
    """The projector board: the contest's people at any time, everyone once released."""

    audience = "board"

    def may_see(self, contest: Contest) -> bool:
        return permissions.may_view_board(self.scope["user"], contest)

    def state(self, contest: Contest, wanted: frozenset[str]) -> state.State:
        return state.board_state(contest, self.scope["user"], wanted)


class ConsoleConsumer(LiveConsumer):
    """The host console: the contest's managers only."""

    audience = "console"

    def may_see(self, contest: Contest) -> bool:
        return permissions.may_manage_contest(self.scope["user"], contest)

    def state(self, contest: Contest, wanted: frozenset[str]) -> state.State:
        return state.console_state(contest, self.scope["user"], wanted)


class JudgeConsumer(LiveConsumer):
    """A judge's phone, reached through the judge's link token (no login): the contestant on
    stage and the judge's own sheet, never another judge's."""

    audience = "judge"
    seat: JudgeSeat

    def authorise(self) -> int:
        with translation.override(self.language):
            self.token = str(self.scope["url_route"]["kwargs"]["token"])
            seat = seat_for_token(self.token, client=self._client())
            if seat is None:
                raise Refused(_("评委链接无效、已撤销或已过期"))
            self.seat, self.contest_id = seat, seat.contest_id
        return self.contest_id

    def contest_or_refuse(self) -> Contest:
        """The link is asked again for every frame: a revoked link closes the socket."""
        link = live_link(self.token)
        contest = state.load_contest(self.contest_id)
        if link is None or link.seat_id != self.seat.pk or contest is None:
            raise Refused(_("评委链接无效、已撤销或已过期"))
        return contest

    def concerns_me(self, message: dict[str, Any]) -> bool:
        if message.get("event") != "score_saved":
            return True
        data = message.get("data") or {}
        return data.get("seat") == self.seat.pk

    def state(self, contest: Contest, wanted: frozenset[str]) -> state.State:
        return state.judge_state(contest, self.seat, wanted)

    def _client(self) -> str:
        client = self.scope.get("client") or ("", 0)
        return str(client[0] or "")
