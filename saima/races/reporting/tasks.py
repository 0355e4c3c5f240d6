"""Background work of the races app (django-tasks; immediate in the embedded default)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import(batch_id: int) -> None:
    """Validate and apply one uploaded file (imports.import_run)."""
    from saima.races.reporting.imports import import_run

    import_run(batch_id)


@task()
def send_due_reminders() -> int:
    """Automatic 催办 before deadlines; also run hourly by ``manage.py races_remind``."""
    from saima.races.reporting.services import reminders_send_due

    return reminders_send_due()
