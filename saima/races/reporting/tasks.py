"""Background work of the races app (django-tasks; immediate in the embedded default).

The import task lives beside the import it runs (``saima.races.reporting.imports.run_import``); it is
re-exported here so that every task of the app can be found in one place. The arrows go one
way: tasks → imports, tasks → services.
"""

from __future__ import annotations

from django_tasks import task

from saima.races.reporting.imports import run_import
from saima.races.reporting.services import reminders_send_due

__all__ = ["run_import", "send_due_reminders"]


@task()
def send_due_reminders() -> int:
    """Automatic 催办 before deadlines; also run hourly by ``manage.py races_remind``."""
    return reminders_send_due()
