from django.contrib.auth import views as auth_views
from django.urls import path

from saima.core import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("language/<str:code>/", views.language_switch, name="language-switch"),
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="core/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/open/", views.notice_open, name="notice-open"),
    path("audit/", views.audit_log, name="audit-log"),
    path("audit/verify/", views.audit_verify, name="audit-verify"),
    path("audit/head/", views.audit_head, name="audit-head"),
    path("audit/checkpoint.json", views.audit_checkpoint, name="audit-checkpoint"),
]
