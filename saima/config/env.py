"""Reading settings from the environment, in one place.

Every setting Saima takes from the environment is parsed here, and a value that cannot be
parsed raises ``ImproperlyConfigured`` with a message that names the variable, so start-up
stops with one clear line instead of a traceback (see ``saima.config.startup``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import cast

from django.core.exceptions import ImproperlyConfigured

TRUE_WORDS = {"1", "true", "yes", "on"}
FALSE_WORDS = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    word = raw.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ImproperlyConfigured(f"{name}: expected true/false (1/0, yes/no), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}: expected a whole number, got {raw!r}") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_secret(name: str) -> str:
    """A secret from ``NAME`` or from the file named by ``NAME_FILE`` (Docker/K8s secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(
                f"{name}_FILE: cannot read {path!r} ({exc.strerror})"
            ) from None
    return os.environ.get(name, "")


def database_from_url(url: str, *, base_dir: Path, pool_size: int = 0) -> dict[str, object]:
    """Parse ``DATABASE_URL`` (sqlite:///relative/path, sqlite:////abs, postgres://…).

    ``pool_size`` > 0 keeps up to that many PostgreSQL connections open per process (Django
    5.2's psycopg pool) instead of opening one for every request; SQLite ignores it.
    """
    import dj_database_url

    if not url.strip():
        raise ImproperlyConfigured("DATABASE_URL: is empty")
    scheme = url.split(":", 1)[0].lower() if ":" in url else ""
    if scheme not in {"sqlite", "postgres", "postgresql", "pgsql"}:
        raise ImproperlyConfigured(
            f"DATABASE_URL: cannot parse {url!r}; expected sqlite:///path or postgres://user@host:port/name"
        )
    try:
        config = dict(dj_database_url.parse(url, conn_max_age=0))
    except Exception as exc:  # dj_database_url raises several kinds
        raise ImproperlyConfigured(f"DATABASE_URL: cannot parse {url!r} ({exc})") from None
    if config["ENGINE"] == "django.db.backends.sqlite3":
        name = str(config.get("NAME") or "")
        if not name:
            raise ImproperlyConfigured(f"DATABASE_URL: no file name in {url!r}")
        if name != ":memory:" and not Path(name).is_absolute():
            config["NAME"] = str(base_dir / name)
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    elif not config.get("NAME"):
        raise ImproperlyConfigured(f"DATABASE_URL: no database name in {url!r}")
    elif pool_size > 0:
        options: dict[str, object] = dict(cast(dict[str, object], config.get("OPTIONS") or {}))
        options["pool"] = {"min_size": 1, "max_size": pool_size, "timeout": 10}
        config["OPTIONS"] = options
    config["ATOMIC_REQUESTS"] = False
    return config
