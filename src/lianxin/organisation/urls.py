from django.urls import path

from lianxin.organisation import views
from lianxin.workdays import views as workdays_views

app_name = "organisation"
urlpatterns = [
    path("work/registry/", views.registry, name="registry"),
    path("work/registry/template.xlsx", views.registry_template_download, name="registry_template"),
    path("work/registry/calendar/", workdays_views.calendar_import_view, name="calendar_import"),
]
