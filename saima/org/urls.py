from django.urls import path

from saima.org import views

app_name = "org"
urlpatterns = [
    path("units/", views.unit_directory, name="units"),
    path("units/<str:code>/", views.unit_detail, name="unit"),
]
