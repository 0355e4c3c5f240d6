"""The production entry points, started as README's "Running in production" documents them.

``uvicorn saima.config.asgi:application --workers 2`` once served nothing: every worker died at
import (the start-up check opened a database connection inside uvicorn's event loop). Here each
documented server is started as its own process with production settings, after ``migrate`` and
``collectstatic``, and asked for pages through a TLS proxy's headers.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
SERVERS = {
    "daphne": ["daphne", "-b", "127.0.0.1", "-p", "{port}", "saima.config.asgi:application"],
    "uvicorn": [
        "uvicorn",
        "saima.config.asgi:application",
        "--host",
        "127.0.0.1",
        "--port",
        "{port}",
        "--workers",
        "2",
    ],
}
HTTPS = {"X-Forwarded-Proto": "https"}  # what the TLS-terminating proxy in front adds


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with OPENER.open(request, timeout=20) as response:
            return response.status, _lower(response.headers.items()), response.read()
    except urllib.error.HTTPError as error:
        return error.code, _lower(error.headers.items()), error.read()


def _lower(items) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {name.lower(): value for name, value in items}


def _postgres_database(url: str) -> tuple[str, str]:
    """A fresh database beside the test run's: (its URL, the maintenance URL to drop it)."""
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    name = f"{name}_entry_points"
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"{base}/{name}", f"{base}/postgres"


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> Iterator[dict[str, str]]:
    var = tmp_path_factory.mktemp("production")
    test_url = os.environ.get("DATABASE_URL", "")
    maintenance = ""
    if test_url.startswith("postgres"):
        database_url, maintenance = _postgres_database(test_url)
    else:
        database_url = f"sqlite:///{var}/saima.sqlite3"
    env = dict(os.environ)
    env.update(
        SAIMA_MODE="production",
        SECRET_KEY="entry-points-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        SAIMA_VAR_DIR=str(var),
        LOG_LEVEL="ERROR",
    )
    env.pop("REDIS_URL", None)
    for command in (
        ["migrate", "--no-input", "-v", "0"],
        ["collectstatic", "--no-input", "-v", "0"],
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    yield env
    if maintenance:
        import psycopg
        from psycopg import sql

        name = database_url.rsplit("/", 1)[1]
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(params=sorted(SERVERS))
def server(request, production) -> Iterator[str]:
    port = _free_port()
    command = [str(BIN / SERVERS[request.param][0])] + [
        part.format(port=port) for part in SERVERS[request.param][1:]
    ]
    process = subprocess.Popen(
        command,
        cwd=ROOT,
        env=production,
        start_new_session=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if process.poll() is not None:
                output = process.stdout.read().decode(errors="replace") if process.stdout else ""
                pytest.fail(f"{request.param} exited with {process.returncode}:\n{output[-3000:]}")
            try:
                if get(f"{base}/healthz", HTTPS)[0] == 200:
                    break
            except OSError:
                time.sleep(0.3)
        else:
            pytest.fail(f"{request.param} did not answer within 60 s")
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def test_the_server_answers_behind_a_tls_proxy(server):
    status, _headers, body = get(f"{server}/healthz", HTTPS)
    assert status == 200 and b'"status": "ok"' in body


def test_plain_http_is_sent_to_https_even_for_a_kept_page(server):
    assert get(f"{server}/zh-hans/portal/", HTTPS)[0] == 200
    status, headers, _body = get(f"{server}/zh-hans/portal/")
    assert status == 301 and headers["location"].startswith("https://")


def test_a_visitor_gets_the_portal_without_a_cookie_and_cacheable(server):
    status, headers, _body = get(f"{server}/", HTTPS)
    assert status == 302 and headers["location"] == "/zh-hans/portal/"
    seen = set()
    for _ in range(6):  # two workers: each renders once, then answers from its copy
        status, headers, body = get(f"{server}/zh-hans/portal/", HTTPS)
        assert status == 200
        assert "set-cookie" not in headers
        assert "cookie" not in headers.get("vary", "").lower()
        assert headers["cache-control"] == "public, max-age=300"
        assert "content-security-policy" in headers
        seen.add(headers.get("x-saima-cache"))
    assert "kept" in seen


def test_static_files_have_hashed_names_compression_and_a_far_future_cache(server):
    _status, _headers, body = get(f"{server}/zh-hans/portal/", HTTPS)
    match = re.search(rb'href="(/static/css/saima\.[0-9a-f]{12}\.css)"', body)
    assert match, "the page links the hashed name from the manifest"
    script = re.search(rb'src="(/static/vendor/echarts/echarts\.min\.[0-9a-f]{12}\.js)"', body)
    assert script
    status, headers, _css = get(
        server + match.group(1).decode(), {**HTTPS, "Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers["content-encoding"] == "gzip"
    assert (
        "immutable" in headers["cache-control"] and "max-age=315360000" in headers["cache-control"]
    )
    status, headers, _js = get(
        server + script.group(1).decode(), {**HTTPS, "Accept-Encoding": "br"}
    )
    assert status == 200 and headers["content-encoding"] == "br"
    assert int(headers["content-length"]) < 400_000  # 1.03 MB uncompressed
