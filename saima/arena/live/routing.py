"""The arena's WebSocket routes (mounted by ``saima.config.routing``)."""

from __future__ import annotations

from django.urls import path

from saima.arena.live.consumers import BoardConsumer, ConsoleConsumer, JudgeConsumer

websocket_urlpatterns = [
    path("ws/arena/<int:contest_id>/board/", BoardConsumer.as_asgi()),
    path("ws/arena/<int:contest_id>/console/", ConsoleConsumer.as_asgi()),
    path("ws/arena/judge/<str:token>/", JudgeConsumer.as_asgi()),
]
