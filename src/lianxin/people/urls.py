from django.urls import path

from lianxin.people import views_work

app_name = "people"
urlpatterns = [
    path("work/people/", views_work.people, name="list"),
    path("work/people/new/", views_work.create, name="create"),
    path("work/people/print/", views_work.print_sheet, name="print"),
    path("work/people/<int:user_id>/", views_work.detail, name="detail"),
    path("work/people/<int:user_id>/deactivate/", views_work.deactivate, name="deactivate"),
    path("work/people/<int:user_id>/reactivate/", views_work.reactivate, name="reactivate"),
    path("work/people/<int:user_id>/reset/", views_work.reset, name="reset"),
    path("work/people/<int:user_id>/send/", views_work.send, name="send"),
    path("work/people/<int:user_id>/memberships/", views_work.membership_add, name="membership_add"),
    path(
        "work/people/<int:user_id>/memberships/<int:membership_id>/end/",
        views_work.membership_end,
        name="membership_end",
    ),
]
