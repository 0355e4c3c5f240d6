#!/usr/bin/env python
"""Django's command-line utility for administrative tasks."""

import os
import sys

# Commands that need no database connection at start-up.
NO_DATABASE = {
    "makemessages",
    "compilemessages",
    "collectstatic",
    "help",
    "version",
    "check",
    "makemigrations",
    "shell",
}


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "saima.config.settings")
    from saima.config.startup import configured_or_exit

    command = sys.argv[1] if len(sys.argv) > 1 else "help"
    configured_or_exit(check_database=command not in NO_DATABASE)
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
