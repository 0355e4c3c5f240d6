from django.urls import path

from saima.projects import report_views, views
from saima.projects.urls_progress import urlpatterns as progress_urlpatterns

app_name = "projects"
urlpatterns = [
    *progress_urlpatterns,  # lights: ratings/, cards/, supervision/ and <code>/progress/ …
    path("", views.index, name="index"),
    path("new/", views.list_new, name="list_new"),
    path("p/<str:code>/", views.project_detail, name="project"),
    path("p/<str:code>/edit/", views.project_edit, name="project_edit"),
    path("p/<str:code>/<int:year>/<int:month>/", report_views.report_edit, name="report"),
    path("photos/<int:pk>/", views.photo, name="photo"),
    path("photos/<int:pk>/public/", views.photo_public, name="photo_public"),
    path("imports/<int:pk>/", report_views.import_detail, name="import"),
    path("imports/<int:pk>/<slug:action>/", report_views.import_decide, name="import_decide"),
    path("<slug:code>/", views.list_detail, name="list"),
    path("<slug:code>/board/", views.board, name="board"),
    path("<slug:code>/do/<slug:action>/", views.list_action, name="list_action"),
    path("<slug:code>/import/<slug:kind>/", report_views.import_new, name="import_new"),
    path(
        "<slug:code>/template/<slug:kind>.<str:fmt>",
        report_views.import_template,
        name="import_template",
    ),
]
