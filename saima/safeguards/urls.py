from django.urls import path

from saima.safeguards.clarification import views as clarification
from saima.safeguards.record import views as record
from saima.safeguards.tolerance import views as tolerance

app_name = "safeguards"
urlpatterns = [
    path("", record.index, name="index"),
    path("people/", record.people, name="people"),
    path("people/<int:pk>/", record.person_record, name="person"),
    path("people/<int:pk>/record.xlsx", record.person_record_export, name="person_export"),
    path("items/", tolerance.item_list, name="items"),
    path("items/<int:pk>/", tolerance.item_detail, name="item"),
    path("checklist/", tolerance.default_checklist, name="checklist"),
    path("people/<int:pk>/tolerance/", tolerance.application_new, name="application_new"),
    path("applications/<int:pk>/", tolerance.application_detail, name="application"),
    path(
        "applications/<int:pk>/do/<slug:action>/",
        tolerance.application_action,
        name="application_action",
    ),
    path("cases/", clarification.case_list, name="cases"),
    path("people/<int:pk>/clarification/", clarification.case_new, name="case_new"),
    path("cases/<int:pk>/", clarification.case_detail, name="case"),
    path("cases/<int:pk>/do/<slug:action>/", clarification.case_action, name="case_action"),
    path("notices/", clarification.notice_list, name="notices"),
    path("notices/<int:pk>/", clarification.notice_detail, name="notice"),
]
