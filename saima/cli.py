"""The ``saima`` command.

saima rank --scheme S.toml --data D.csv [...]   rank units (no database; see docs/engine.md)
saima audit verify [--checkpoint FILE]           walk the audit chain, name the first broken link;
                                                 with a saved checkpoint, prove the chain extends it
saima audit checkpoint                           print a signed checkpoint of the chain head (JSON)
saima verify [--checkpoint FILE]                 the chain check plus every registered verifier
                                                 (frozen results against digests and re-runs …)
saima manage <django command> [...]              any Django management command

Exit status: 0 all verified, 1 a problem found, 2 a usage error or an unreadable checkpoint.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

USAGE = """usage: saima <command> [...]

commands:
  rank              rank units from a scheme (TOML) and data (CSV/XLSX); no database needed
  audit verify      verify the hash chain of the audit log [--checkpoint FILE]
  audit checkpoint  print a signed checkpoint of the chain head, to keep outside
  verify            the audit chain plus every registered verifier [--checkpoint FILE]
  manage            run a Django management command (migrate, demo, ...)
"""


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saima.config.settings")
    from saima.config.startup import configured_or_exit

    configured_or_exit(check_database=True)


class UsageError(Exception):
    pass


def _checkpoint_option(args: list[str], usage: str) -> Path | None:
    if not args:
        return None
    if len(args) == 2 and args[0] == "--checkpoint":
        return Path(args[1])
    if len(args) == 1 and args[0].startswith("--checkpoint="):
        return Path(args[0].split("=", 1)[1])
    raise UsageError(usage)


def _read_checkpoint(path: Path) -> dict[str, Any]:
    from saima.core.checkpoints import CheckpointError, checkpoint_parse

    try:
        return checkpoint_parse(path.read_text(encoding="utf-8"), source=str(path))
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"saima: cannot read checkpoint {str(path)!r} ({exc})") from None
    except CheckpointError as exc:
        raise UsageError(f"saima: {exc}") from None


def _emit(lines: list[str], ok: bool) -> int:
    """Print the findings; a failed run says so on its first line, so no "OK" line that comes
    first (the chain may be intact while a checkpoint or a result is not) reads as a pass."""
    if not ok:
        failed = [line for line in lines if not line.startswith(("OK", "  "))]
        lines = [f"FAILED ({len(failed)}): {'; '.join(failed)}", *lines]
    print("\n".join(lines), file=sys.stdout if ok else sys.stderr)
    return 0 if ok else 1


def audit_verify(args: list[str]) -> int:
    path = _checkpoint_option(args, "usage: saima audit verify [--checkpoint FILE]")
    _django()
    from saima.core.audit import verify_chain
    from saima.core.checkpoints import checkpoint_verify

    checkpoint = _read_checkpoint(path) if path else None
    chain = verify_chain()
    lines, ok = [chain.line()], chain.ok
    if checkpoint is not None:
        report = checkpoint_verify(checkpoint, chain)
        lines.append(report.line())
        ok = ok and report.ok
    return _emit(lines, ok)


def audit_checkpoint() -> int:
    _django()
    from saima.core.checkpoints import checkpoint_issue

    print(json.dumps(checkpoint_issue(), indent=2))
    return 0


def verify(args: list[str]) -> int:
    path = _checkpoint_option(args, "usage: saima verify [--checkpoint FILE]")
    _django()
    from saima.core.verification import verification_run

    report = verification_run(_read_checkpoint(path) if path else None)
    return _emit(report.lines(), report.ok)


def _audit(rest: list[str]) -> int:
    if rest[:1] == ["verify"]:
        return audit_verify(rest[1:])
    if rest == ["checkpoint"]:
        return audit_checkpoint()
    raise UsageError("usage: saima audit verify [--checkpoint FILE] | saima audit checkpoint")


def _dispatch(command: str, rest: list[str]) -> int:
    if command == "rank":
        from saima.rank_cli import main as rank_main

        return rank_main(rest)
    if command == "audit":
        return _audit(rest)
    if command == "verify":
        return verify(rest)
    if command == "manage":
        _django()
        from django.core.management import execute_from_command_line

        execute_from_command_line(["saima manage", *rest])
        return 0
    raise UsageError(f"saima: unknown command {command!r}\n\n{USAGE}")


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(USAGE)
        return 0
    try:
        return _dispatch(args[0], args[1:])
    except UsageError as exc:
        print(str(exc), file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
