"""Benchmark of the anonymous clue intake, served as in production.

    PG_URL=postgres://postgres@127.0.0.1:5432 python -m benchmarks.conduct

Creates a fresh PostgreSQL database ``saima_bench_conduct``, migrates it, adds a province of
101 units, and serves Saima with daphne on loopback through ``saima.config.serve`` (the entry
point ``make demo`` uses) under production settings (``SAIMA_MODE=production``,
``TRUSTED_PROXY_COUNT=1``: the benchmark plays the TLS-terminating reverse proxy, so it sends
``X-Forwarded-For`` and ``X-Forwarded-Proto: https``). Then:

1. 1,000 anonymous submissions, each from its own scripted address (``X-Forwarded-For``) and
   user agent: the form is fetched, then posted with one small JPEG; the receipt is read from
   the page (timed: the POST);
2. every receipt checks its status once, from the same address and agent (timed);
3. the server is stopped, the whole database is dumped (``pg_dump``), and the dump and the
   server's log (daphne's access log and Django's log) are searched for every one of those
   addresses and user agents.

The last line printed is exactly:

    RESULT clues=1000 submit_p99_ms=<ms> receipt_p99_ms=<ms> ip_hits=<count> ua_hits=<count> errors=<count>

Targets: ip_hits=0, ua_hits=0, errors=0, submit_p99_ms <= 300.
"""

from __future__ import annotations

import io
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import psycopg
from PIL import Image

CLUES = int(os.environ.get("BENCH_CLUES", "1000"))  # fewer only to try the script out
UNITS = 100
DB_NAME = "saima_bench_conduct"
RECEIPT = re.compile(r"data-receipt>([^<]+)<")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
UNIT_OPTION = re.compile(r'<option value="(\d+)"')


def _address(i: int) -> str:
    return f"100.{64 + i // 250}.{i % 250}.{(i * 7) % 250 + 1}"


def _agent(i: int) -> str:
    return f"BenchBrowser/{i:04d}.{secrets.token_hex(3)} (Saima conduct benchmark)"


def _base_url() -> str:
    url = (
        os.environ.get("PG_URL")
        or os.environ.get("DATABASE_URL")
        or ("postgres://postgres@127.0.0.1:5432/saima")
    )
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _fresh_database(base: str) -> str:
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DB_NAME}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DB_NAME}"')
    return f"{base}/{DB_NAME}"


def _environment(db_url: str, var_dir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "saima.config.settings",
            "SAIMA_MODE": "production",
            "SAIMA_VAR_DIR": str(var_dir),
            "SECRET_KEY": secrets.token_urlsafe(64),
            "DATABASE_URL": db_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "TRUSTED_PROXY_COUNT": "1",
            "LOG_LEVEL": "INFO",
            "TASK_BACKEND": "immediate",
        }
    )
    return env


def _prepare(env: dict[str, str]) -> None:
    """Migrate, collect the static files (production's manifest storage names every asset a
    page links, so a page cannot render without the manifest) and add the units, in a child
    process with the production settings."""
    script = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from saima.org.models import Unit, UnitLevel
province = Unit.objects.create(code="BC33", name="基准省", level=UnitLevel.PROVINCE, path="/BC33/")
Unit.objects.bulk_create(
    Unit(code=f"BC{{k:03d}}", name=f"基准县{{k:03d}}", level=UnitLevel.COUNTY, parent=province,
         path=f"/BC33/BC{{k:03d}}/")
    for k in range({UNITS})
)
"""
    subprocess.run([sys.executable, "-c", script], env=env, check=True)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serve(env: dict[str, str], port: int, log: Path) -> subprocess.Popen[bytes]:
    handle = log.open("wb")
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "saima.config.serve",
            "-b",
            "127.0.0.1",
            "-p",
            str(port),
            "saima.config.asgi:application",
        ],
        env=env,
        stdout=handle,
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("daphne did not start; see " + str(log))


def _jpeg(i: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (i % 256, (i * 7) % 256, (i * 13) % 256)).save(out, "JPEG")
    return out.getvalue()


def _headers(i: int, port: int) -> dict[str, str]:
    return {
        "X-Forwarded-For": _address(i),
        "X-Forwarded-Proto": "https",
        "User-Agent": _agent(i),
        "Origin": f"https://127.0.0.1:{port}",
        "Referer": f"https://127.0.0.1:{port}/conduct/report/",
    }


def _form(client: httpx.Client, url: str, headers: dict[str, str]) -> tuple[str, str, list[str]]:
    page = client.get(url, headers=headers)
    token = CSRF.search(page.text)
    cookie = page.cookies.get("csrftoken") or ""
    if page.status_code != 200 or token is None or not cookie:
        raise RuntimeError(f"form GET answered {page.status_code}")
    return token.group(1), cookie, UNIT_OPTION.findall(page.text)


def _submit(client: httpx.Client, port: int, i: int, units: list[str]) -> tuple[float, str]:
    base = f"http://127.0.0.1:{port}"
    headers = _headers(i, port)
    token, cookie, options = _form(client, f"{base}/conduct/report/", headers)
    units = units or options
    data = {
        "csrfmiddlewaretoken": token,
        "unit": units[i % len(units)],
        "summary": f"基准线索 {i}",
        "account": "办事拖延，材料交齐后长期无答复。",
        "anonymous": "1",
    }
    files = {"evidence": (f"IMG_{i:04d}.jpg", _jpeg(i), "image/jpeg")}
    start = time.perf_counter()
    response = client.post(
        f"{base}/conduct/report/",
        data=data,
        files=files,
        headers={**headers, "Cookie": f"csrftoken={cookie}"},
    )
    elapsed = (time.perf_counter() - start) * 1000
    found = RECEIPT.search(response.text)
    if response.status_code != 200 or found is None:
        raise RuntimeError(f"submission {i} answered {response.status_code}")
    return elapsed, found.group(1)


def _check(client: httpx.Client, port: int, i: int, code: str) -> float:
    base = f"http://127.0.0.1:{port}"
    headers = _headers(i, port)
    token, cookie, _units = _form(client, f"{base}/conduct/report/receipt/", headers)
    start = time.perf_counter()
    response = client.post(
        f"{base}/conduct/report/receipt/",
        data={"csrfmiddlewaretoken": token, "receipt": code},
        headers={**headers, "Cookie": f"csrftoken={cookie}"},
    )
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200 or "已受理" not in response.text:
        raise RuntimeError(f"receipt {i} answered {response.status_code}")
    return elapsed


def _hits(text: str, needles: list[str], *, address: bool) -> int:
    if address:
        return sum(len(re.findall(rf"(?<![\d.]){re.escape(n)}(?![\d.])", text)) for n in needles)
    return sum(text.count(n) for n in needles)


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))] if ordered else 0.0


def _hash_cost_ms() -> float:
    from saima.conduct import receipts

    secret = receipts.new_receipt().secret
    stored = receipts.hash_secret(secret)
    start = time.perf_counter()
    for _ in range(20):
        receipts.secret_matches(stored, secret)
    return (time.perf_counter() - start) * 1000 / 20


def main() -> None:
    base = _base_url()
    db_url = _fresh_database(base)
    work = Path(tempfile.mkdtemp(prefix="bench_conduct_"))
    (work / "static").mkdir()  # STATIC_ROOT (collected once; the assets are not timed)
    env = _environment(db_url, work)
    _prepare(env)
    port = _free_port()
    log = work / "server.log"
    server = _serve(env, port, log)
    submit_ms: list[float] = []
    receipt_ms: list[float] = []
    codes: dict[int, str] = {}
    errors = 0
    try:
        with httpx.Client(timeout=30, follow_redirects=False) as client:
            _token, _cookie, units = _form(
                client, f"http://127.0.0.1:{port}/conduct/report/", _headers(0, port)
            )
            units = units[1:]  # the province itself stays out: clues go to the counties
            for i in range(CLUES):
                try:
                    elapsed, codes[i] = _submit(client, port, i, units)
                    submit_ms.append(elapsed)
                except Exception as exc:  # counted, and the run goes on
                    errors += 1
                    print(f"error: {exc}", file=sys.stderr)
            for i, code in codes.items():
                try:
                    receipt_ms.append(_check(client, port, i, code))
                except Exception as exc:
                    errors += 1
                    print(f"error: {exc}", file=sys.stderr)
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
    dump = subprocess.run(
        ["pg_dump", "--no-owner", db_url], check=True, capture_output=True
    ).stdout.decode("utf-8", "replace")
    logs = log.read_text(encoding="utf-8", errors="replace")
    addresses = [_address(i) for i in range(CLUES)]
    ip_hits = _hits(dump, addresses, address=True) + _hits(logs, addresses, address=True)
    ua_hits = dump.count("BenchBrowser/") + logs.count("BenchBrowser/")
    print(
        f"server: daphne via saima.config.serve on 127.0.0.1:{port}, production settings, {db_url}"
    )
    print(
        f"submissions: {len(submit_ms)} ok, p50 {_p(submit_ms, 0.5):.1f} ms, "
        f"p95 {_p(submit_ms, 0.95):.1f} ms, p99 {_p(submit_ms, 0.99):.1f} ms "
        f"(form POST with one JPEG re-encoded, receipt hashed with Argon2id)"
    )
    print(
        f"receipts: {len(receipt_ms)} ok, p50 {_p(receipt_ms, 0.5):.1f} ms, "
        f"p99 {_p(receipt_ms, 0.99):.1f} ms"
    )
    print(f"argon2id verify alone (this process): {_hash_cost_ms():.1f} ms")
    print(
        f"pg_dump: {len(dump) / 1e6:.1f} MB; server log: {len(logs.splitlines())} lines "
        f"(access lines for /conduct/report/: {logs.count('/conduct/report/')})"
    )
    print(
        f"RESULT clues={len(codes)} submit_p99_ms={_p(submit_ms, 0.99):.0f} "
        f"receipt_p99_ms={_p(receipt_ms, 0.99):.0f} ip_hits={ip_hits} ua_hits={ua_hits} "
        f"errors={errors}"
    )


if __name__ == "__main__":
    main()
