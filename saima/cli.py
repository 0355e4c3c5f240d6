"""The ``saima`` command.

saima rank --scheme S.toml --data D.csv [...]   rank units (no database; see docs/engine.md)
saima audit verify                               walk the audit chain, name the first broken link
saima manage <django command> [...]              any Django management command
"""

from __future__ import annotations

import os
import sys

USAGE = """usage: saima <command> [...]

commands:
  rank          rank units from a scheme (TOML) and data (CSV/XLSX); no database needed
  audit verify  verify the hash chain of the audit log
  manage        run a Django management command (migrate, demo, ...)
"""


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saima.config.settings")
    from saima.config.startup import configured_or_exit

    configured_or_exit(check_database=True)


def audit_verify() -> int:
    _django()
    from saima.core.audit import verify_chain

    report = verify_chain()
    print(report.line(), file=sys.stdout if report.ok else sys.stderr)
    return 0 if report.ok else 1


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    command, rest = args[0], args[1:]
    if command == "rank":
        from saima.rank_cli import main as rank_main

        return rank_main(rest)
    if command == "audit":
        if rest == ["verify"]:
            return audit_verify()
        print("usage: saima audit verify", file=sys.stderr)
        return 2
    if command == "manage":
        _django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["saima manage", *rest])
        return 0
    print(f"saima: unknown command {command!r}\n\n{USAGE}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
