from django.urls import path

from lianxin.notifications import views

app_name = "notifications"
urlpatterns = [
    path("work/notifications/", views.outbox, name="outbox"),
]
