"""Background work of the lights (django-tasks; immediate in the embedded default)."""

from __future__ import annotations

from django_tasks import task

from saima.projects.lights.services import lights_compute
from saima.projects.models import ProjectList


@task()
def compute_month(list_id: int, month: int, reason: str = "") -> int:
    """Compute and store one month's lights of a list (as the system); the run's id."""
    plist = ProjectList.objects.get(pk=list_id)
    return lights_compute(actor=None, project_list=plist, month=month, reason=reason).pk
