"""Drop and create the PostgreSQL database named in the URL given (CI's demo check starts empty).

usage: python .ci/fresh_pg_database.py postgres://user@host:port/name
"""

from __future__ import annotations

import sys
from urllib.parse import urlsplit

import psycopg
from psycopg import sql


def main(url: str) -> int:
    name = urlsplit(url).path.lstrip("/")
    if not name or name in {"postgres", "template0", "template1"}:
        print(f"fresh_pg_database: refusing to recreate {name!r}", file=sys.stderr)
        return 2
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
