"""Start-up checks that turn a bad configuration into one clear line, not a traceback."""

from __future__ import annotations

import sys
import threading

from django.core.exceptions import ImproperlyConfigured


def configuration_problem(*, check_database: bool) -> str | None:
    """Return one line naming the setting that is wrong, or None when all is well."""
    try:
        import django

        django.setup()
    except ImproperlyConfigured as exc:
        return str(exc)
    if check_database:
        return _database_problem_in_own_thread()
    return None


def _database_problem() -> str | None:
    from django.db import connection
    from django.db.utils import OperationalError

    try:
        connection.ensure_connection()
    except OperationalError as exc:
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return f"DATABASE_URL: cannot connect to the database ({detail})"
    finally:
        connection.close()
    return None


def _database_problem_in_own_thread() -> str | None:
    """Try the database from a thread of its own, and close that connection.

    ASGI servers import the application differently: daphne before its event loop starts,
    uvicorn's workers inside a running loop, where Django refuses a blocking connection
    (``SynchronousOnlyOperation``) and every worker died at import. A plain thread has no loop
    in either case, and its connection is closed, so no worker starts holding one.
    """
    found: list[str | None] = [None]

    def probe() -> None:
        found[0] = _database_problem()

    thread = threading.Thread(target=probe, name="saima-startup-database-check")
    thread.start()
    thread.join()
    return found[0]


def configured_or_exit(*, check_database: bool = True) -> None:
    problem = configuration_problem(check_database=check_database)
    if problem:
        print(f"saima: configuration error: {problem}", file=sys.stderr)
        raise SystemExit(2)
