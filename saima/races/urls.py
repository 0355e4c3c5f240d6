from django.urls import URLPattern

app_name = "races"
urlpatterns: list[URLPattern] = []
