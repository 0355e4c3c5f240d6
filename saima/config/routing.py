"""WebSocket routes; each live feature (the arena board, …) adds its consumer here."""

from django.urls import URLPattern

from saima.arena.live.routing import websocket_urlpatterns as arena_live

websocket_urlpatterns: list[URLPattern] = [
    *arena_live,
]
