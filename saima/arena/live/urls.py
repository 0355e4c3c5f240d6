"""The live pages, mounted at ``arena/live/`` by ``saima.config.urls``."""

from __future__ import annotations

from django.urls import path

from saima.arena.live import views

app_name = "arena_live"

urlpatterns = [
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/board/qr.svg", views.board_qr, name="board_qr"),
    path("<int:pk>/console/", views.console, name="console"),
    path("<int:pk>/console/<slug:name>/", views.console_action, name="console_action"),
]
