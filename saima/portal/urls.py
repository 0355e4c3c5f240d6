"""The portal's pages, under /<language>/portal/ (config.urls wraps them in i18n_patterns)."""

from django.urls import include, path

from saima.portal import views
from saima.portal.sections import SECTIONS

app_name = "portal"
urlpatterns = [
    path("", views.front, name="front"),
    path("archive/", views.archive, name="archive"),
    path("data/", views.open_data, name="open_data"),
    path("verify/", views.verify, name="verify"),
    *(path(f"{s.code}/", include((list(s.pages), s.code))) for s in SECTIONS),
]
