from django.urls import path

from saima.races import public_views, views

app_name = "races"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.race_new, name="race_new"),
    path("periods/<int:pk>/", views.period_detail, name="period"),
    path("periods/<int:pk>/do/<slug:action>/", views.period_action, name="period_action"),
    path("periods/<int:pk>/import/", views.import_new, name="import_new"),
    path("periods/<int:pk>/template.<str:fmt>", views.import_template, name="import_template"),
    path("periods/<int:pk>/report/<str:unit_code>/", views.report_edit, name="report"),
    path("periods/<int:pk>/review/<str:unit_code>/", views.report_review, name="review"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/<str:action>/", views.import_decide, name="import_decide"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("results/<int:pk>/", public_views.board, name="board"),
    path("results/<int:pk>/kit.zip", public_views.kit, name="kit"),
    path("results/<int:pk>/units/<str:unit_code>/", public_views.unit_detail, name="unit"),
    path(
        "results/<int:pk>/units/<str:unit_code>/history",
        public_views.unit_history_export,
        name="unit_history",
    ),
    path(
        "results/<int:pk>/units/<str:unit_code>/object/",
        public_views.objection_new,
        name="objection_new",
    ),
    path("objections/<int:pk>/", public_views.objection_detail, name="objection"),
    path(
        "objections/<int:pk>/evidence/", public_views.objection_evidence, name="objection_evidence"
    ),
    path("<slug:code>/", views.race_detail, name="race"),
    path("<slug:code>/edit/", views.race_edit, name="race_edit"),
    path("<slug:code>/periods/new/", views.period_new, name="period_new"),
    path("<slug:code>/incentives/", public_views.incentives, name="incentives"),
    path("<slug:code>/objections/", public_views.objection_list, name="objections"),
]
