from django.urls import path

from lianxin.bench import views

app_name = "bench"
urlpatterns = [
    path("baseline", views.baseline, name="baseline"),
]
