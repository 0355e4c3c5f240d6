"""Benchmark of a live arena contest: judges scoring over HTTP while a board listens.

    python -m benchmarks.arena [--judges 100] [--contestants 10] [--spread 5]

What runs, all on loopback:

- PostgreSQL: a fresh database ``saima_bench_arena`` (dropped and created; ``BENCH_PG`` names the
  server, default ``postgres://postgres@127.0.0.1:5432``), migrated, with one contest: 10
  contestants, 100 judges in two weighted panels, two criteria, a link per judge;
- Redis as the channel layer (``channels_redis``; ``BENCH_REDIS``, default
  ``redis://127.0.0.1:6379/15``, flushed first), as in production;
- the ASGI server ``make demo`` uses, daphne: ``--workers`` processes (default 2) accepting on one
  listening socket, as several workers behind a load balancer would;
- a board on a WebSocket (the ``websockets`` package) signed in as the contest's organiser.

For each contestant in turn the host opens scoring (the arena service, announced through
Redis like any worker's), then every judge submits a full sheet through their own link
(httpx, one client per judge, as a phone would: the judge page first, then the JSON POST),
at a random moment within ``--spread`` seconds (default 20: a hall's judges score in the half
minute after a speech, not all at the same millisecond; ``--spread 0`` fires them at once). One judge in ten amends their sheet
afterwards and one in ten sends the same sheet again (idempotent). Then scoring is closed.

Measured: each submission's response time; the **board lag** of each first submission — the
board must show a count of judges who have scored that contestant of at least k once the k-th
submission's response has arrived, and the lag is from that response to the board frame that
shows it (zero when the board was first); **lost** — a judge's final sheet not stored exactly as
last sent, or a submission the board never showed. The last line printed is exactly:

    RESULT judges=100 submit_p50_ms=<ms> submit_p99_ms=<ms> board_lag_p99_ms=<ms> lost=<count>

Targets: submit_p99_ms <= 200, board_lag_p99_ms <= 1000, lost = 0.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

DB_NAME = "saima_bench_arena"
SEED = 20260111


@dataclass
class Plan:
    judges: int
    contestants: int
    spread: float
    port: int = 0
    tokens: dict[int, str] = field(default_factory=dict)  # seat id → token
    contestant_ids: list[int] = field(default_factory=list)
    criteria: list[str] = field(default_factory=list)
    contest_id: int = 0
    organiser_id: int = 0


# ---------------------------------------------------------------- set-up (Django, sync)


def _fresh_database(server: str) -> str:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return f"{server}/{DB_NAME}"


def _setup_django(database_url: str, redis_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["REDIS_URL"] = redis_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saima.config.settings")
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)


def _build(plan: Plan) -> None:
    """The contest, through the arena services (as an organiser would set it up)."""
    from django.utils import timezone

    from saima.arena import services
    from saima.arena.models import Contestant, Criterion, JudgeSeat, Panel
    from saima.org.models import Role, Unit, UnitLevel, User
    from saima.org.services import role_grant

    city = Unit.objects.create(code="BA1", name="基准市", level=UnitLevel.CITY, path="/BA1/")
    departments = Unit.objects.bulk_create(
        Unit(
            code=f"BA1D{i:02d}",
            name=f"基准局{i:02d}",
            level=UnitLevel.DEPARTMENT,
            parent=city,
            path=f"/BA1/BA1D{i:02d}/",
        )
        for i in range(plan.contestants)
    )
    organiser = User.objects.create_user("bench-host", password=None)
    role_grant(actor=None, user=organiser, role=Role.ORGANISER, unit=city)
    contest = services.contest_create(
        actor=organiser, owner=city, title="基准擂台赛", date=timezone.localdate(), min_kept=3
    )
    save = lambda obj: services.setup_save(actor=organiser, contest=contest, obj=obj)  # noqa: E731
    save(Criterion(contest=contest, code="progress", name="项目进度", maximum=60, weight=60))
    save(Criterion(contest=contest, code="speech", name="现场表现", maximum=40, weight=40))
    panels = [
        save(Panel(contest=contest, code="leaders", name="市领导", weight=Decimal("0.6"))),
        save(Panel(contest=contest, code="others", name="部门负责人", weight=Decimal("0.4"))),
    ]
    for unit in departments:
        save(Contestant(contest=contest, unit=unit, topic=f"{unit.name}攻坚"))
    for j in range(plan.judges):
        panel = panels[0] if j < plan.judges // 5 else panels[1]
        save(JudgeSeat(contest=contest, panel=panel, name=f"评委{j:03d}", unit=city, position=j))
    services.order_draw(actor=organiser, contest=contest, seed=SEED)
    services.contest_ready(actor=organiser, contest=contest)
    plan.tokens = services.links_issue_all(actor=organiser, contest=contest)
    plan.contestant_ids = list(
        contest.contestants.order_by("position").values_list("pk", flat=True)
    )
    plan.criteria = ["progress", "speech"]
    plan.contest_id, plan.organiser_id = contest.pk, organiser.pk


def _session_cookie(user_id: int) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from saima.org.models import User

    user = User.objects.get(pk=user_id)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _host(plan: Plan, step: str, contestant_id: int) -> None:
    from django.db import close_old_connections

    from saima.arena import services
    from saima.arena.models import Contest, Contestant
    from saima.org.models import User

    close_old_connections()
    organiser = User.objects.get(pk=plan.organiser_id)
    contest = Contest.objects.get(pk=plan.contest_id)
    contestant = Contestant.objects.get(pk=contestant_id)
    service = services.scoring_open if step == "open" else services.scoring_close
    service(actor=organiser, contest=contest, contestant=contestant)


def _stored(plan: Plan) -> dict[tuple[int, int], dict[str, str]]:
    from django.db import close_old_connections

    from saima.arena.models import Score

    close_old_connections()
    sheets: dict[tuple[int, int], dict[str, str]] = {}
    rows = Score.objects.filter(contestant__contest_id=plan.contest_id).values_list(
        "seat_id", "contestant_id", "criterion__code", "value"
    )
    for seat, contestant, code, value in rows:
        sheets.setdefault((seat, contestant), {})[code] = f"{value:.2f}"
    return sheets


# ---------------------------------------------------------------- the server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start_servers(port: int, workers: int) -> list[subprocess.Popen[bytes]]:
    """``workers`` daphne processes accepting on one listening socket (bound here, inherited
    as a file descriptor): the kernel shares the connections out, as behind a load balancer."""
    daphne = os.path.join(os.path.dirname(sys.executable), "daphne")
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(512)
    fd = listener.fileno()
    servers = [
        subprocess.Popen(
            [daphne, "--fd", str(fd), "saima.config.asgi:application"],
            env={**os.environ, "DEBUG": "0"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            pass_fds=(fd,),
            start_new_session=True,
        )
        for _ in range(workers)
    ]
    listener.close()
    return servers


async def _wait_for_server(port: int, servers: list[subprocess.Popen[bytes]]) -> None:
    import httpx

    async with httpx.AsyncClient() as client:
        for _ in range(200):
            for server in servers:
                if server.poll() is not None:
                    detail = server.stderr.read().decode()[-2000:]  # type: ignore[union-attr]
                    raise SystemExit(f"daphne exited: {detail}")
            try:
                if (await client.get(f"http://127.0.0.1:{port}/healthz")).status_code == 200:
                    return
            except httpx.TransportError:
                pass
            await asyncio.sleep(0.1)
    raise SystemExit("daphne did not answer /healthz within 20 s")


# ---------------------------------------------------------------- the board


@dataclass
class Board:
    """What the board has shown: for each contestant, when each count was first reached."""

    reached: dict[int, dict[int, float]] = field(default_factory=dict)
    frames: int = 0
    snapshots: int = 0
    reconnects: int = 0
    counts: dict[int, int] = field(default_factory=dict)
    changed: asyncio.Event = field(default_factory=asyncio.Event)

    def take(self, frame: dict[str, Any], now: float) -> None:
        self.frames += 1
        self.snapshots += frame.get("type") == "snapshot"
        for cid, progress in (frame.get("state", {}).get("progress") or {}).items():
            n = int(progress["n"])
            seen = self.reached.setdefault(int(cid), {})
            for k in range(self.counts.get(int(cid), 0) + 1, n + 1):
                seen.setdefault(k, now)
            self.counts[int(cid)] = max(self.counts.get(int(cid), 0), n)
        self.changed.set()


async def _listen(plan: Plan, cookie: str, board: Board, ready: asyncio.Event) -> None:
    """The board's socket, reconnecting as the page's script does (a fresh snapshot each time);
    the library's own keep-alive pings are off, as a browser's are."""
    import websockets

    url = f"ws://127.0.0.1:{plan.port}/ws/arena/{plan.contest_id}/board/"
    headers = {"Cookie": cookie, "Origin": f"http://127.0.0.1:{plan.port}"}
    while True:
        try:
            async with websockets.connect(
                url, additional_headers=headers, max_size=2**22, ping_interval=None
            ) as ws:
                async for raw in ws:
                    frame = json.loads(raw)
                    if frame.get("type") == "denied":
                        raise SystemExit(f"the board was refused: {frame}")
                    board.take(frame, time.perf_counter())
                    ready.set()
        except (OSError, websockets.ConnectionClosed):
            board.reconnects += 1
            await asyncio.sleep(0.5)


# ---------------------------------------------------------------- the judges


@dataclass
class Judge:
    seat: int
    token: str
    client: Any = None
    csrf: str = ""
    sent: dict[int, dict[str, str]] = field(default_factory=dict)  # contestant → last sheet


@dataclass
class Submission:
    contestant: int
    first: bool
    ms: float
    answered_at: float
    ok: bool


async def _open_judge(plan: Plan, judge: Judge) -> None:
    import httpx

    judge.client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{plan.port}", timeout=30)
    page = await judge.client.get(f"/arena/j/{judge.token}/")
    page.raise_for_status()
    judge.csrf = judge.client.cookies.get("csrftoken", "")


async def _submit(
    judge: Judge, contestant: int, values: dict[str, str], delay: float, first: bool
) -> Submission:
    await asyncio.sleep(delay)
    body = {"contestant": contestant, "values": values}
    started = time.perf_counter()
    response = await judge.client.post(
        f"/arena/j/{judge.token}/score/",
        content=json.dumps(body),
        headers={"Content-Type": "application/json", "X-CSRFToken": judge.csrf},
    )
    answered = time.perf_counter()
    ok = response.status_code == 200 and response.json().get("ok") is True
    if ok:
        judge.sent[contestant] = values
    return Submission(contestant, first, (answered - started) * 1000, answered, ok)


def _sheet(rng: random.Random) -> dict[str, str]:
    return {"progress": f"{rng.randint(30, 60)}.00", "speech": f"{rng.randint(20, 40)}.00"}


async def _round(
    plan: Plan, judges: list[Judge], contestant: int, board: Board, rng: random.Random
) -> list[Submission]:
    await asyncio.to_thread(_host, plan, "open", contestant)
    firsts = [
        _submit(j, contestant, _sheet(rng), rng.uniform(0, plan.spread), True) for j in judges
    ]
    done = list(await asyncio.gather(*firsts))
    again = []
    for j in rng.sample(judges, len(judges) // 5):
        amend = len(again) % 2 == 0
        values = _sheet(rng) if amend else dict(j.sent.get(contestant) or _sheet(rng))
        again.append(_submit(j, contestant, values, rng.uniform(0, plan.spread / 4), False))
    done += await asyncio.gather(*again)
    expected = sum(1 for s in done if s.first and s.ok)
    deadline = time.perf_counter() + 5
    while board.counts.get(contestant, 0) < expected and time.perf_counter() < deadline:
        board.changed.clear()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(board.changed.wait(), timeout=0.5)
    await asyncio.to_thread(_host, plan, "close", contestant)
    return done


def _lags(submissions: list[Submission], board: Board) -> tuple[list[float], int]:
    """The board lag of each first submission (ms) and how many the board never showed."""
    lags: list[float] = []
    unseen = 0
    by_contestant: dict[int, list[Submission]] = {}
    for s in submissions:
        if s.first and s.ok:
            by_contestant.setdefault(s.contestant, []).append(s)
    for contestant, subs in by_contestant.items():
        reached = board.reached.get(contestant, {})
        for k, s in enumerate(sorted(subs, key=lambda x: x.answered_at), start=1):
            if k not in reached:
                unseen += 1
            else:
                lags.append(max(0.0, (reached[k] - s.answered_at) * 1000))
    return lags, unseen


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


async def _race(plan: Plan, cookie: str) -> tuple[list[Submission], Board, list[Judge]]:
    board = Board()
    ready = asyncio.Event()
    listener = asyncio.create_task(_listen(plan, cookie, board, ready))
    await asyncio.wait_for(ready.wait(), timeout=10)
    judges = [Judge(seat, token) for seat, token in sorted(plan.tokens.items())]
    await asyncio.gather(*(_open_judge(plan, j) for j in judges))
    rng = random.Random(SEED)
    submissions: list[Submission] = []
    for contestant in plan.contestant_ids:
        submissions += await _round(plan, judges, contestant, board, rng)
    if listener.done() and listener.exception() is not None:
        raise SystemExit(f"the board's socket failed: {listener.exception()!r}")
    listener.cancel()
    await asyncio.gather(*(j.client.aclose() for j in judges), return_exceptions=True)
    return submissions, board, judges


def _lost_in_database(plan: Plan, judges: list[Judge]) -> int:
    stored = _stored(plan)
    lost = 0
    for judge in judges:
        for contestant in plan.contestant_ids:
            if stored.get((judge.seat, contestant)) != judge.sent.get(contestant):
                lost += 1
    return lost


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--judges", type=int, default=100)
    parser.add_argument("--contestants", type=int, default=10)
    parser.add_argument(
        "--spread", type=float, default=20.0, help="seconds over which judges submit"
    )
    parser.add_argument("--workers", type=int, default=2, help="daphne processes")
    args = parser.parse_args()
    plan = Plan(args.judges, args.contestants, args.spread, port=_free_port())
    workers = args.workers
    server_url = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
    redis_url = os.environ.get("BENCH_REDIS", "redis://127.0.0.1:6379/15")
    import redis

    redis.Redis.from_url(redis_url).flushdb()
    database_url = _fresh_database(server_url)
    _setup_django(database_url, redis_url)
    started = time.perf_counter()
    _build(plan)
    print(
        f"set-up: {plan.judges} judges, {plan.contestants} contestants, "
        f"{time.perf_counter() - started:.1f} s; PostgreSQL {DB_NAME}, Redis channel layer "
        f"({redis_url}), daphne x{workers} on 127.0.0.1:{plan.port}; judges spread over "
        f"{plan.spread} s"
    )
    cookie = _session_cookie(plan.organiser_id)
    servers = _start_servers(plan.port, workers)
    try:
        asyncio.run(_wait_for_server(plan.port, servers))
        started = time.perf_counter()
        submissions, board, judges = asyncio.run(_race(plan, cookie))
        elapsed = time.perf_counter() - started
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGTERM)
        for server in servers:
            server.wait(timeout=10)
    print(
        "load average (1, 5, 15 min) after the run: "
        + ", ".join(f"{x:.1f}" for x in os.getloadavg())
        + f" on {os.cpu_count()} cores"
    )
    times = [s.ms for s in submissions]
    failed = sum(not s.ok for s in submissions)
    lags, unseen = _lags(submissions, board)
    lost = _lost_in_database(plan, judges) + unseen + failed
    print(
        f"submissions: {len(submissions)} in {elapsed:.1f} s ({failed} refused), "
        f"p50 {statistics.median(times):.1f} ms, p90 {_pct(times, 0.9):.1f} ms, "
        f"p99 {_pct(times, 0.99):.1f} ms, max {max(times):.1f} ms"
    )
    print(
        f"board: {board.frames} frames ({board.snapshots} snapshots) for "
        f"{sum(1 for s in submissions if s.first)} first submissions; lag p50 "
        f"{_pct(lags, 0.5):.1f} ms, p99 {_pct(lags, 0.99):.1f} ms, max {max(lags or [0]):.1f} ms; "
        f"never shown {unseen}; reconnects {board.reconnects}"
    )
    print(
        f"RESULT judges={plan.judges} submit_p50_ms={statistics.median(times):.1f} "
        f"submit_p99_ms={_pct(times, 0.99):.1f} board_lag_p99_ms={_pct(lags, 0.99):.1f} "
        f"lost={lost}"
    )


if __name__ == "__main__":
    main()
