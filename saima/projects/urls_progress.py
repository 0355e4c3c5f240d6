"""The lights branch's URLs (lights, ratings, cards, supervision, incentives), added to
``saima.projects.urls`` (namespace ``projects``)."""

from django.urls import path

from saima.projects import progress_steps
from saima.projects.cards import views as card_views
from saima.projects.incentives import views as incentive_views
from saima.projects.lights import views as light_views
from saima.projects.ratings import views as rating_views
from saima.projects.supervision import views as supervision_views

urlpatterns = [
    path("<slug:code>/progress/", light_views.progress, name="progress"),
    path(
        "<slug:code>/progress/<slug:action>/",
        progress_steps.progress_action,
        name="progress_action",
    ),
    path(
        "<slug:code>/localities/<str:unit_code>/",
        light_views.locality,
        name="locality",
    ),
    path("<slug:code>/rules/", light_views.rules, name="rules"),
    path("<slug:code>/commendations/", rating_views.commendations, name="commendations"),
    path("<slug:code>/cards/", card_views.cards, name="cards"),
    path("<slug:code>/supervision/", supervision_views.supervision, name="supervision"),
    path("<slug:code>/incentives/", incentive_views.incentives, name="incentives"),
    path("ratings/<int:pk>/", rating_views.rating, name="rating"),
    path("ratings/<int:pk>/<slug:action>/", rating_views.rating_action, name="rating_action"),
    path("cards/<int:pk>/", card_views.card, name="card"),
    path("cards/<int:pk>/<slug:action>/", card_views.card_action, name="card_action"),
    path("supervision/<int:pk>/", supervision_views.item, name="supervision_item"),
    path("supervision/<int:pk>/letter/", supervision_views.letter, name="supervision_letter"),
    path(
        "supervision/<int:pk>/<slug:action>/",
        supervision_views.item_action,
        name="supervision_action",
    ),
]
