from django.urls import path

from lianxin.triage import views

app_name = "triage"

urlpatterns = [path("work/triage/", views.overview, name="overview")]
