"""WebSocket routes; each live feature (the arena board, …) adds its consumer here."""

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
