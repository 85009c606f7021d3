from django.urls import path

from lianxin.events import views_public, views_work

app_name = "events"
urlpatterns = [
    # Public, phone-first
    path("events/", views_public.event_list, name="list"),
    path("events/<int:event_id>/", views_public.event_detail, name="public_detail"),
    path("events/signup/<str:code>/", views_public.signup, name="signup"),
    path("events/signup/<str:code>/cancel", views_public.signup_cancel, name="signup_cancel"),
    # Work screens
    path("work/events/", views_work.manage, name="manage"),
    path("work/events/new/", views_work.create, name="create"),
    path("work/events/<int:event_id>/", views_work.detail, name="detail"),
    path("work/events/<int:event_id>/publish", views_work.publish, name="publish"),
    path("work/events/<int:event_id>/cancel", views_work.cancel, name="cancel"),
    path("work/events/<int:event_id>/checkin", views_work.checkin, name="checkin"),
    path("work/events/<int:event_id>/cases", views_work.add_case, name="add_case"),
]
