"""Benchmark of the public portal served as in production.

    python -m benchmarks.portal            (PG_URL=postgres://postgres@127.0.0.1:5432 by default)

Builds the PostgreSQL database ``saima_bench_portal`` afresh, loads the demo province into it
(90 counties, eight published quarters), runs ``collectstatic``, then starts the documented
production server: ``uvicorn saima.config.asgi:application --workers 2`` with
``SAIMA_MODE=production``, the connection pool and the Redis cache (``REDIS_URL``, default
``redis://127.0.0.1:6379/7``). On loopback, ``wrk`` (Debian's, installed by ``make
system-deps``) puts a bounded load on

- the public leaderboard page of the 90 counties (``/zh-hans/portal/races/results/<pk>/…``),
- an API list endpoint: ``/api/v1/…`` when the API app is installed, else the board's JSON
  open data (``/data/races/results/<pk>/<group>.json``), and says which it measured,

and, for comparison, the signed-out board of the races app (not kept whole: rendered for every
request) with and without the connection pool. Before the servers start (nothing else running),
it times the generation of the province's bulletin for its latest published quarter, as the
background task does it (content from the published results, PDF, DOCX, stored version), in a
transaction rolled back afterwards, and prints on its own line before the last:

    bulletin_generation_s=<seconds> pages=<PDF pages> (target ≤ 20 s)

The last line printed is exactly:

    RESULT portal_rps=<requests/s> portal_p99_ms=<ms> api_rps=<requests/s> api_p99_ms=<ms> errors=<count>

Targets on a 2-core machine: portal_rps >= 500, portal_p99_ms <= 100, api_rps >= 300, errors=0.
The machine's other work changes the figures; run it a few times and report the spread.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB_NAME = os.environ.get("BENCH_DATABASE", "saima_bench_portal")  # one per engineer when shared
WORKERS = int(os.environ.get("BENCH_WORKERS", "2"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "16"))
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))


def server_url(pg_url: str) -> str:
    """``postgres://user@host:port`` of a URL with or without a database name."""
    base = pg_url.rstrip("/")
    return base.rsplit("/", 1)[0] if urlsplit(base).path.strip("/") else base


def fresh_database(pg_url: str) -> str:
    import psycopg
    from psycopg import sql

    base = server_url(pg_url)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(DB_NAME))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DB_NAME)))
    return f"{base}/{DB_NAME}"


def production_env(database_url: str, var_dir: str, *, pool: bool) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        SAIMA_MODE="production",
        SECRET_KEY="bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DATABASE_URL=database_url,
        REDIS_URL=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/7"),
        SAIMA_VAR_DIR=var_dir,
        SECURE_SSL_REDIRECT="0",  # loopback, no TLS proxy in front
        TASK_BACKEND="immediate",
        DATABASE_POOL_SIZE="4" if pool else "0",
        LOG_LEVEL="ERROR",
    )
    return env


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run(
        [PY, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    command = [
        str(Path(PY).parent / "uvicorn"),
        "saima.config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
        "--workers",
        str(WORKERS),
        "--no-access-log",
        "--log-level",
        "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise SystemExit("benchmarks.portal: the server did not answer within 60 s")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


def get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=30) as r:
        return r.status, r.read()


def wrk(url: str, connections: int = CONNECTIONS) -> dict[str, float]:
    """Requests per second, p50/p99 latency (ms) and errors (socket errors and non-2xx/3xx)."""
    out = subprocess.run(
        ["wrk", f"-t{min(2, connections)}", f"-c{connections}", f"-d{SECONDS}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    latency = {
        p: _ms(v, unit) for p, v, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)", out, re.M)
    }
    errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors += int(bad.group(1)) if bad else 0
    return {"rps": rps, "p50": latency["50"], "p99": latency["99"], "errors": errors}


def _ms(value: str, unit: str) -> float:
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def targets(base: str) -> dict[str, str]:
    """The 90 counties' board in the portal and the races app, and its JSON open data."""
    _status, body = get(f"{base}/data/catalogue.json")
    tables = json.loads(body)["tables"]
    county = next(t for t in tables if t["json"].endswith("/county.json"))
    pk = int(county["json"].split("/results/")[1].split("/")[0])
    return {
        "portal": f"{base}/zh-hans/portal/races/results/{pk}/groups/county/",
        "data": f"{base}/data/races/results/{pk}/county.json",
        "app_board": f"{base}/races/results/{pk}/?group=county",
    }


def api_list_url(base: str) -> str | None:
    """An /api/v1/ list endpoint, when the API app is there."""
    for path in ("/api/v1/units", "/api/v1/units/", "/api/v1/results", "/api/v1/results/"):
        try:
            status, _body = get(base + path)
        except OSError:
            continue
        if status == 200:
            return base + path
    return None


BULLETIN_TARGET_S = 20.0


def bulletin_generation(env: dict[str, str]) -> str:
    """The bulletin line, measured in a process of its own with the production settings."""
    done = subprocess.run(
        [PY, "-m", "benchmarks.portal", "--time-bulletin"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    figures = done.stdout.strip().splitlines()[-1:] if done.returncode == 0 else []
    if not figures:
        sys.stderr.write(done.stderr[-2000:])
        return f"bulletin_generation_s=failed pages=0 (target ≤ {BULLETIN_TARGET_S:.0f} s)"
    measured = json.loads(figures[0])
    return (
        f"bulletin_generation_s={measured['seconds']:.1f} pages={measured['pages']} "
        f"(target ≤ {BULLETIN_TARGET_S:.0f} s)"
    )


def pdf_pages(pdf: bytes) -> int:
    """Pages of a PDF: ``pdfinfo`` (poppler-utils) when there, else the page objects counted."""
    if shutil.which("pdfinfo"):
        with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
            handle.write(pdf)
            handle.flush()
            info = subprocess.run(
                ["pdfinfo", handle.name], capture_output=True, text=True, check=False
            ).stdout
        found = re.search(r"^Pages:\s+(\d+)", info, re.M)
        if found:
            return int(found.group(1))
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


def time_bulletin() -> int:
    """(In the benchmark's child process.) Generate the province's bulletin for its latest
    published quarter the way the task does, print ``{"seconds", "pages"}``, and roll back."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saima.config.settings")
    django.setup()
    from django.db import transaction

    from saima.bulletins import services
    from saima.bulletins.models import Bulletin, BulletinKind
    from saima.org.models import Unit, UnitLevel, User
    from saima.races.models import Result

    province = Unit.objects.filter(level=UnitLevel.PROVINCE).order_by("pk").first()
    actor = User.objects.filter(is_superuser=True).order_by("pk").first()
    latest = (
        Result.objects.filter(
            period__race__owner=province, is_current=True, published_at__isnull=False
        )
        .select_related("period")
        .order_by("-period__year", "-period__number")
        .first()
    )
    if province is None or actor is None or latest is None:
        raise SystemExit("benchmarks.portal: no province with a published quarter")
    year, quarter = latest.period.year, latest.period.number
    with transaction.atomic():
        # the demo published this quarter's bulletin already: make it again, then roll back
        Bulletin.objects.filter(
            owner=province, kind=BulletinKind.QUARTERLY, year=year, quarter=quarter
        ).delete()
        bulletin = services.bulletin_create(
            actor=actor,
            owner=province,
            kind=BulletinKind.QUARTERLY,
            year=year,
            quarter=quarter,
            issuer="浙江省发展和改革委员会",
            doc_number=f"浙发改〔{year}〕999号",
        )
        services.bulletin_generate(actor=actor, bulletin=bulletin)  # queued after commit: never
        started = time.perf_counter()
        version = services.run_generation(bulletin.pk, actor)
        seconds = time.perf_counter() - started
        if version is None:
            bulletin.refresh_from_db()
            raise SystemExit(f"benchmarks.portal: the generation failed: {bulletin.error}")
        with version.pdf.open("rb") as handle:
            pages = pdf_pages(handle.read())
        transaction.set_rollback(True)
    print(json.dumps({"seconds": seconds, "pages": pages}))
    return 0


def line(name: str, figures: dict[str, float]) -> None:
    print(
        f"  {name:<44} {figures['rps']:8.1f} req/s   p50 {figures['p50']:7.1f} ms"
        f"   p99 {figures['p99']:7.1f} ms   errors {int(figures['errors'])}",
        flush=True,
    )


def main() -> int:
    if shutil.which("wrk") is None:
        raise SystemExit("benchmarks.portal: wrk is not installed (make system-deps)")
    pg_url = os.environ.get("PG_URL", "postgres://postgres@127.0.0.1:5432")
    var_dir = tempfile.mkdtemp(prefix="saima-bench-portal-")
    if os.environ.get("BENCH_REUSE_DATABASE"):  # a second run on the database of the first
        database_url = f"{server_url(pg_url)}/{DB_NAME}"
        env = production_env(database_url, var_dir, pool=True)
    else:
        database_url = fresh_database(pg_url)
        env = production_env(database_url, var_dir, pool=True)
        started = time.monotonic()
        manage(env, "migrate", "--no-input", "-v", "0")
        manage(env, "demo")
        print(f"database {DB_NAME}: demo province loaded in {time.monotonic() - started:.1f} s")
    manage(env, "collectstatic", "--no-input", "-v", "0")
    bulletin_line = bulletin_generation(env)
    print(f"bulletin for the province's quarter: {bulletin_line}", flush=True)
    print(f"uvicorn --workers {WORKERS}, wrk -t2 -c{CONNECTIONS} -d{SECONDS}s on loopback")

    results: dict[str, dict[str, float]] = {}

    def measure(name: str, url: str, connections: int = CONNECTIONS) -> str:
        results[name] = wrk(url, connections)
        line(name, results[name])
        return name

    for pool in (False, True):
        port = free_port()
        server = start_server(production_env(database_url, var_dir, pool=pool), port)
        base = f"http://127.0.0.1:{port}"
        try:
            urls = targets(base)
            label = "pool" if pool else "no pool"
            get(urls["app_board"])
            measure(f"app board, rendered each time ({label})", urls["app_board"])
            if pool:
                api = api_list_url(base)
                get(urls["portal"])
                get(urls["data"])
                measure("portal board, kept whole", urls["portal"])
                measure("portal board, kept whole, one client", urls["portal"], 1)
                if api:
                    get(api)
                    api_key = measure(f"API list {api.removeprefix(base)}", api)
                else:
                    api_key = measure("open data JSON (no /api/v1/ list endpoint)", urls["data"])
        finally:
            stop_server(server)
    portal, api_figures = results["portal board, kept whole"], results[api_key]
    errors = int(portal["errors"] + api_figures["errors"])
    shutil.rmtree(var_dir, ignore_errors=True)
    print(bulletin_line)
    print(
        f"RESULT portal_rps={portal['rps']:.0f} portal_p99_ms={portal['p99']:.1f} "
        f"api_rps={api_figures['rps']:.0f} api_p99_ms={api_figures['p99']:.1f} errors={errors}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(time_bulletin() if sys.argv[1:] == ["--time-bulletin"] else main())
