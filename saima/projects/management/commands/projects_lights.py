from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from saima.projects.errors import ProjectError
from saima.projects.lights.tasks import compute_month
from saima.projects.models import LightRun, ProjectList


class Command(BaseCommand):
    help = (
        "Recompute a month's lights (月亮灯) of a key-project list with the rules in force, "
        "as the system: python manage.py projects_lights LIST_CODE MONTH [--reason …] [--enqueue]"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("list_code")
        parser.add_argument("month", type=int)
        parser.add_argument("--reason", default="", help="required when the month is published")
        parser.add_argument(
            "--enqueue", action="store_true", help="queue the work (django-tasks) instead"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        plist = ProjectList.objects.filter(code=options["list_code"]).first()
        if plist is None:
            raise CommandError(f"no list with code {options['list_code']!r}")
        if options["enqueue"]:
            result = compute_month.enqueue(plist.pk, options["month"], options["reason"])
            self.stdout.write(f"queued: task {result.id}")
            return
        try:
            run_id = compute_month.call(plist.pk, options["month"], options["reason"])
        except ProjectError as exc:
            raise CommandError(str(exc)) from None
        run = LightRun.objects.get(pk=run_id)
        self.stdout.write(
            f"{plist.code} {plist.year}-{run.month:02d}: {run.projects} lights "
            f"(rules v{run.rule_version.version}, outputs {run.outputs_digest[:12]}…)"
        )
