"""``python -m saima.config.serve``: daphne, with an access log that keeps anonymous pages out.

Daphne writes its access log itself (not through Python logging), one line per request with
the client's address and the second it ended. For the pages registered as anonymous
(``saima.core.anonymity``: the clue intake) such a line would tell when someone submitted a
clue, so this entry point takes daphne's own command line unchanged and drops exactly those
lines. ``make demo`` and ``make serve`` use it; run it in production the same way
(``python -m saima.config.serve -b 0.0.0.0 -p 8000 saima.config.asgi:application``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from daphne.cli import CommandLineInterface
from daphne.server import Server

ActionLogger = Callable[[str, str, dict[str, Any]], None]


def without_anonymous_pages(logger: ActionLogger) -> ActionLogger:
    def log(protocol: str, action: str, details: dict[str, Any]) -> None:
        from saima.core.anonymity import is_anonymous_path  # Django is set up by then

        if not is_anonymous_path(str(details.get("path", ""))):
            logger(protocol, action, details)

    return log


class PrivateAccessLogServer(Server):  # type: ignore[misc]  # daphne ships no type hints
    def __init__(self, *args: Any, action_logger: ActionLogger | None = None, **kwargs: Any):
        wrapped = without_anonymous_pages(action_logger) if action_logger else None
        super().__init__(*args, action_logger=wrapped, **kwargs)


class PrivateAccessLogCommandLine(CommandLineInterface):  # type: ignore[misc]
    server_class = PrivateAccessLogServer


def main() -> None:
    PrivateAccessLogCommandLine().run(sys.argv[1:])


if __name__ == "__main__":
    main()
