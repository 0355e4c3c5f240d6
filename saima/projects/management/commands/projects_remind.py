from typing import Any

from django.core.management.base import BaseCommand

from saima.projects.reporting import reminders_send_due


class Command(BaseCommand):
    help = (
        "Send the key projects' due reminders (催办) before each month's deadline and the "
        "chasers (督促) after it; run hourly from cron."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = reminders_send_due()
        self.stdout.write(f"reminded or chased {count} project(s)")
