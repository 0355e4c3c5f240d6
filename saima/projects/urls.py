from saima.projects.lights.urls import urlpatterns as progress_urlpatterns

app_name = "projects"
urlpatterns = [
    *progress_urlpatterns,
]
