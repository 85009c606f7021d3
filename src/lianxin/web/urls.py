from django.contrib.auth import views as auth_views
from django.urls import path

from lianxin.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(template_name="web/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(next_page="web:login"), name="logout"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/export.<str:fmt>", views.audit_export, name="audit_export"),
    path("healthz", views.healthz, name="healthz"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("large-text", views.large_text, name="large_text"),
]
