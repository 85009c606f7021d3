from django.urls import path

from lianxin.cases import views_files, views_public, views_recover, views_work

app_name = "cases"
urlpatterns = [
    # Public, phone-first (the URLs QR codes point to)
    path("report/", views_public.report, name="report"),
    path("s/<slug:code>", views_public.report_station, name="report_station"),
    path("d/<slug:code>", views_public.report_deputy, name="report_deputy"),
    path("report/done/<str:tracking_code>", views_public.report_done, name="report_done"),
    path("report/divisions", views_public.division_options, name="division_options"),
    path("report/categories", views_public.category_options, name="category_options"),
    path("report/grids", views_public.grid_shapes, name="grid_shapes"),
    path("report/basemap", views_public.base_shapes, name="base_shapes"),
    path("track/", views_public.track_lookup, name="track_lookup"),
    path("track/recover", views_recover.track_recover, name="track_recover"),  # before track/<code>
    path("track/<str:tracking_code>", views_public.track, name="track"),
    path("track/<str:tracking_code>/rate", views_public.track_rate, name="track_rate"),
    path("track/<str:tracking_code>/erase-contact", views_public.track_erase_contact, name="track_erase_contact"),
    path("track/<str:tracking_code>/photos/<int:photo_id>", views_public.track_photo, name="track_photo"),
    # Work screens
    path("work/cases/", views_work.queue, name="queue"),
    path("work/cases/<int:case_id>/", views_work.detail, name="detail"),
    path("work/cases/<int:case_id>/action/<slug:action>", views_work.act, name="act"),
    path("work/cases/<int:case_id>/reveal", views_work.reveal, name="reveal"),
    path("work/cases/<int:case_id>/reveal-text", views_work.reveal_text, name="reveal_text"),
    path("work/cases/<int:case_id>/spam", views_work.spam_mark, name="spam_mark"),
    path("work/cases/spam/decline", views_work.spam_decline, name="spam_decline"),
    path("work/walk-in/", views_work.walk_in, name="walk_in"),
    path("work/visit/", views_work.visit, name="visit"),
    path("work/cases/<int:case_id>/photos/<int:photo_id>", views_files.case_photo, name="photo"),
    path("work/cases/<int:case_id>/attachments/<int:attachment_id>", views_files.case_attachment, name="attachment"),
]
