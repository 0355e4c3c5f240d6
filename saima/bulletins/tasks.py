"""Background work of the bulletins app (django-tasks; immediate in the embedded default)."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django_tasks import task


@task()
def generate(bulletin_id: int, actor_id: int | None) -> int | None:
    """Build, render and store a new version of the bulletin; its number, or None."""
    from saima.bulletins.generation import run_generation

    actor = get_user_model().objects.filter(pk=actor_id).first() if actor_id else None
    version = run_generation(bulletin_id, actor)
    return version.number if version is not None else None
