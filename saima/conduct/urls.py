from django.urls import path

from saima.conduct import public_views, views

app_name = "conduct"
# Everything under report/ is anonymous (saima.core.anonymity; registered in apps.py).
ANONYMOUS_PREFIX = "/conduct/report/"
urlpatterns = [
    path("report/", public_views.report, name="report"),
    path("report/receipt/", public_views.receipt, name="receipt"),
    path("report/answer/", public_views.answer, name="answer"),
    path("awards/", views.public_awards, name="public_awards"),
    path("", views.index, name="index"),
    path("clues/new/", views.clue_new, name="clue_new"),
    path("clues/<int:pk>/", views.clue_detail, name="clue"),
    path("clues/<int:pk>/do/<slug:action>/", views.clue_action, name="clue_action"),
    path("clues/<int:pk>/evidence/<int:number>/", views.clue_evidence, name="clue_evidence"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/do/<slug:action>/", views.round_action, name="round_action"),
    path("rectifications/<int:pk>/", views.rectification, name="rectification"),
]
