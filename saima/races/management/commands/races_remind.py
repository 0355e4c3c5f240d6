from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from saima.races.reporting.services import reminders_send_due


class Command(BaseCommand):
    help = "Send the automatic reminders (催办) of periods whose deadline is near. Run it hourly (cron)."

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send_due()
        self.stdout.write(f"reminded {count} units")
