from django.urls import path

from lianxin.consultations import views_public, views_work

app_name = "consultations"
urlpatterns = [
    # Public, phone-first
    path("consultations/", views_public.consultation_list, name="list"),
    path("consultations/<int:consultation_id>/", views_public.consultation_detail, name="public_detail"),
    path(
        "consultations/<int:consultation_id>/articles/<int:article_id>/comment",
        views_public.comment,
        name="comment",
    ),
    # Work screens
    path("work/consultations/", views_work.manage, name="manage"),
    path("work/consultations/new/", views_work.create, name="create"),
    path("work/consultations/<int:consultation_id>/", views_work.detail, name="detail"),
    path("work/consultations/<int:consultation_id>/publish", views_work.publish, name="publish"),
    path("work/consultations/<int:consultation_id>/close", views_work.close, name="close"),
    path("work/consultations/comments/<int:comment_id>/moderate", views_work.moderate, name="moderate"),
    path("work/consultations/<int:consultation_id>/export.xlsx", views_work.export_xlsx, name="export_xlsx"),
    path("work/consultations/<int:consultation_id>/report", views_work.report, name="report"),
]
