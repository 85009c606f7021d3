from django.urls import path

from lianxin.topics import views_public, views_work

app_name = "topics"

urlpatterns = [
    path("report/similar", views_public.similar, name="similar"),
    path("report/similar/<int:case_id>/support", views_public.support, name="support"),
    path("work/cases/<int:case_id>/duplicates", views_work.case_duplicates, name="case_duplicates"),
    path("work/cases/<int:case_id>/merge", views_work.merge, name="merge"),
    path("work/topics/monthly/", views_work.monthly, name="monthly"),
    path("work/topics/monthly/<int:topic_id>/take-up", views_work.take_up, name="take_up"),
]
