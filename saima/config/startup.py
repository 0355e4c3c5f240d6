"""Start-up checks that turn a bad configuration into one clear line, not a traceback."""

from __future__ import annotations

import sys

from django.core.exceptions import ImproperlyConfigured


def configuration_problem(*, check_database: bool) -> str | None:
    """Return one line naming the setting that is wrong, or None when all is well."""
    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        return str(exc)
    if check_database:
        from django.db import connection
        from django.db.utils import OperationalError

        try:
            connection.ensure_connection()
        except OperationalError as exc:
            detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            return f"DATABASE_URL: cannot connect to the database ({detail})"
    return None


def configured_or_exit(*, check_database: bool = True) -> None:
    problem = configuration_problem(check_database=check_database)
    if problem:
        print(f"saima: configuration error: {problem}", file=sys.stderr)
        raise SystemExit(2)
