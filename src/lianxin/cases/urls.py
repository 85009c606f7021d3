from django.urls import path

from lianxin.cases import views_public, views_work

app_name = "cases"
urlpatterns = [
    # Public, phone-first (the URLs QR codes point to)
    path("report/", views_public.report, name="report"),
    path("s/<slug:code>", views_public.report_station, name="report_station"),
    path("d/<slug:code>", views_public.report_deputy, name="report_deputy"),
    path("track/", views_public.track_lookup, name="track_lookup"),
    path("track/<str:tracking_code>", views_public.track, name="track"),
    # Work screens
    path("work/cases/", views_work.queue, name="queue"),
    path("work/cases/<int:case_id>/", views_work.detail, name="detail"),
    path("work/walk-in/", views_work.walk_in, name="walk_in"),
    path("work/visit/", views_work.visit, name="visit"),
]
