from django.urls import path

from lianxin.cockpit import views

app_name = "cockpit"
urlpatterns = [
    path("work/cockpit/", views.overview, name="overview"),
    path("work/cockpit/data", views.data, name="data"),
    path("work/cockpit/wall/", views.wall, name="wall"),
    path("work/cockpit/cases/", views.cases, name="cases"),
    path("work/cockpit/lists/", views.four_lists, name="lists"),
    path("work/cockpit/reports/", views.reports, name="reports"),
    path("work/cockpit/reports/<int:report_id>/<slug:kind>", views.report_file, name="report_file"),
    path("work/cockpit/refresh", views.refresh_now, name="refresh"),
]
