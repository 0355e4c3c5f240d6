from django.apps import AppConfig


class ArenaLiveConfig(AppConfig):
    """The arena's live side: no models; an app of its own for its translations."""

    name = "saima.arena.live"
    label = "arena_live"
    verbose_name = "擂台赛现场"
