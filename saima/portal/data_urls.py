"""Open data under /data/: the same address in every language (tables are language-neutral)."""

from django.urls import include, path

from saima.portal import views
from saima.portal.sections import SECTIONS

app_name = "data"
urlpatterns = [
    path("catalogue.json", views.catalogue, name="catalogue"),
    path("feed.atom", views.feed, name="feed"),
    *(path(f"{s.code}/", include((list(s.data), s.code))) for s in SECTIONS),
]
