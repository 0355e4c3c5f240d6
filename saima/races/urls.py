from django.urls import path

from saima.races.objections import views as objection_views
from saima.races.reporting import views as reporting_views
from saima.races.results import views as result_views
from saima.races.schemes import views as scheme_views

app_name = "races"
urlpatterns = [
    path("", reporting_views.index, name="index"),
    path("new/", scheme_views.race_new, name="race_new"),
    path("periods/<int:pk>/", reporting_views.period_detail, name="period"),
    path("periods/<int:pk>/do/<slug:action>/", reporting_views.period_action, name="period_action"),
    path("periods/<int:pk>/import/", reporting_views.import_new, name="import_new"),
    path(
        "periods/<int:pk>/template.<str:fmt>",
        reporting_views.import_template,
        name="import_template",
    ),
    path("periods/<int:pk>/report/<str:unit_code>/", reporting_views.report_edit, name="report"),
    path("periods/<int:pk>/review/<str:unit_code>/", reporting_views.report_review, name="review"),
    path("imports/<int:pk>/", reporting_views.import_detail, name="import"),
    path("imports/<int:pk>/<str:action>/", reporting_views.import_decide, name="import_decide"),
    path("evidence/<int:pk>/", reporting_views.evidence_download, name="evidence"),
    path("results/<int:pk>/", result_views.board, name="board"),
    path("results/<int:pk>/kit.zip", result_views.kit, name="kit"),
    path("results/<int:pk>/units/<str:unit_code>/", result_views.unit_detail, name="unit"),
    path(
        "results/<int:pk>/units/<str:unit_code>/history",
        result_views.unit_history_export,
        name="unit_history",
    ),
    path(
        "results/<int:pk>/units/<str:unit_code>/object/",
        objection_views.objection_new,
        name="objection_new",
    ),
    path("objections/<int:pk>/", objection_views.objection_detail, name="objection"),
    path(
        "objections/<int:pk>/evidence/",
        objection_views.objection_evidence,
        name="objection_evidence",
    ),
    path("<slug:code>/", reporting_views.race_detail, name="race"),
    path("<slug:code>/edit/", scheme_views.race_edit, name="race_edit"),
    path("<slug:code>/periods/new/", reporting_views.period_new, name="period_new"),
    path("<slug:code>/incentives/", result_views.incentives, name="incentives"),
    path("<slug:code>/objections/", objection_views.objection_list, name="objections"),
]
