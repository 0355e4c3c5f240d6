from django.urls import path

from saima.bulletins import views

app_name = "bulletins"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.bulletin_new, name="new"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/generate/", views.generate, name="generate"),
    path("<int:pk>/publish/", views.publish, name="publish"),
    path("<int:pk>/<str:fmt>/", views.download, name="download"),
    path("<int:pk>/v<int:number>/<str:fmt>/", views.draft_download, name="draft_download"),
]
