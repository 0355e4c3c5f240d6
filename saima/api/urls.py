from django.urls import path

from saima.api import views

app_name = "api"
urlpatterns = [
    path("", views.token_list, name="tokens"),
    path("new/", views.token_new, name="token_new"),
    path("<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
