from django.http import HttpResponse
from django.urls import path

app_name = "organisation"
urlpatterns = [
    path("work/registry/", lambda request: HttpResponse("registry"), name="registry"),
]
