"""Start-up with a bad configuration stops with one line naming the setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "SAIMA_MODE": "production",
    "SECRET_KEY": "test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGH",
    "ALLOWED_HOSTS": "saima.example.org",
    "DATABASE_URL": "sqlite:///var/test/deploy-check.sqlite3",
}


SCRUBBED = {
    "DATABASE_URL",
    "SECRET_KEY",
    "SAIMA_MODE",
    "DEBUG",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_SETTINGS_MODULE",
}


def clean_env(env: dict[str, str]) -> dict[str, str]:
    """This process's environment without Saima's settings, plus ``env``."""
    base = {k: v for k, v in os.environ.items() if k not in SCRUBBED}
    return {**base, "SAIMA_VAR_DIR": str(ROOT / "var" / "test"), **env}


def run_manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean_env(env),
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"DATABASE_URL": "mysql-ish:nonsense"},
            "saima: configuration error: DATABASE_URL: cannot parse 'mysql-ish:nonsense'",
        ),
        (
            {"DATABASE_URL": "postgres://postgres@127.0.0.1:1/nowhere"},
            "saima: configuration error: DATABASE_URL: cannot connect to the database",
        ),
        (
            {"SAIMA_MODE": "production", "SECRET_KEY": "", "ALLOWED_HOSTS": "x"},
            "saima: configuration error: SECRET_KEY: required in production",
        ),
        (
            {**PRODUCTION, "ALLOWED_HOSTS": ""},
            "saima: configuration error: ALLOWED_HOSTS: required in production",
        ),
        ({"DEBUG": "perhaps"}, "saima: configuration error: DEBUG: expected true/false"),
        (
            {**PRODUCTION, "DEBUG": "1"},
            "saima: configuration error: DEBUG: must be off in production",
        ),
        (
            {"SAIMA_MODE": "staging"},
            "saima: configuration error: SAIMA_MODE: expected 'embedded' or 'production'",
        ),
        (
            {"SECRET_KEY_FILE": "/nonexistent/secret"},
            "saima: configuration error: SECRET_KEY_FILE: cannot read '/nonexistent/secret'",
        ),
    ],
)
def test_a_bad_setting_stops_start_up_with_one_clear_line(env, message):
    result = run_manage("migrate", "--check", env=env)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()], (
        "exactly one line, no traceback"
    )
    assert result.stderr.startswith(message), result.stderr


def test_production_settings_pass_the_deploy_checks():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_secret_key_can_come_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    env = {**PRODUCTION, "SECRET_KEY": "", "SECRET_KEY_FILE": str(secret)}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stderr


def test_database_url_parsing_makes_relative_sqlite_paths_absolute(tmp_path):
    from saima.config.env import database_from_url

    config = database_from_url("sqlite:///var/x.sqlite3", base_dir=tmp_path)
    assert config["NAME"] == str(tmp_path / "var" / "x.sqlite3")
    pg = database_from_url("postgres://saima:pw@db.internal:5433/saima", base_dir=tmp_path)
    assert (pg["HOST"], pg["PORT"], pg["NAME"], pg["USER"]) == (
        "db.internal",
        5433,
        "saima",
        "saima",
    )


def test_the_asgi_server_refuses_to_start_on_an_unreachable_database():
    env = clean_env({"DATABASE_URL": "postgres://postgres@127.0.0.1:1/x"})
    result = subprocess.run(
        [sys.executable, "-c", "import saima.config.asgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(
        "saima: configuration error: DATABASE_URL: cannot connect to the database"
    )
