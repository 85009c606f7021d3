from django.urls import path

from lianxin.demo import views

app_name = "demo"
urlpatterns = [path("demo/messages/", views.messages, name="messages")]
