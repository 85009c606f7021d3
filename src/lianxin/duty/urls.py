from django.urls import path

from lianxin.duty import views_public, views_reception, views_work

app_name = "duty"
urlpatterns = [
    # Public, phone-first
    path("stations/", views_public.directory, name="directory"),
    path("stations/<slug:code>/", views_public.station_page, name="station"),
    path("stations/<slug:code>/duty.ics", views_public.station_ics, name="station_ics"),
    path("stations/<slug:code>/check-in", views_public.check_in, name="check_in"),
    path("deputies/<slug:code>/duty.ics", views_public.deputy_ics, name="deputy_ics"),
    # Work screens
    path("work/duty/", views_work.roster, name="roster"),
    path("work/duty/year/", views_work.roster_year, name="roster_year"),
    path("work/duty/generate", views_work.generate, name="generate"),
    path("work/duty/shifts/", views_reception.shift_list, name="shifts"),
    path("work/duty/shifts/add", views_work.shift_add, name="shift_add"),
    path("work/duty/shifts/<int:shift_id>/", views_work.shift_detail, name="shift"),
    path("work/duty/shifts/<int:shift_id>/edit", views_work.shift_edit, name="shift_edit"),
    path("work/duty/shifts/<int:shift_id>/delete", views_work.shift_delete, name="shift_delete"),
    path("work/duty/shifts/<int:shift_id>/confirm", views_work.shift_confirm, name="shift_confirm"),
    path("work/duty/shifts/<int:shift_id>/swap", views_work.swap_request, name="swap_request"),
    path("work/duty/swaps/<int:swap_id>/decide", views_work.swap_decide, name="swap_decide"),
    path("work/duty/swaps/<int:swap_id>/withdraw", views_work.swap_withdraw, name="swap_withdraw"),
    path("work/duty/mine/", views_work.mine, name="mine"),
    path("work/duty/unavailability", views_work.unavailability_add, name="unavailability_add"),
    path(
        "work/duty/unavailability/<int:item_id>/withdraw",
        views_work.unavailability_withdraw,
        name="unavailability_withdraw",
    ),
    path("work/duty/stations/<int:station_id>/check-in-code", views_work.check_in_code, name="check_in_code"),
    path("work/duty/receptions/", views_reception.reception_list, name="receptions"),
    path("work/duty/receptions/open", views_reception.reception_open, name="reception_open"),
    path("work/duty/receptions/print", views_reception.reception_print, name="reception_print"),
    path("work/duty/receptions/<int:reception_id>/", views_reception.reception_detail, name="reception"),
    path("work/duty/receptions/<int:reception_id>/matters", views_reception.reception_matter, name="reception_matter"),
    path(
        "work/duty/receptions/<int:reception_id>/matters/<int:case_id>/slip",
        views_reception.reception_slip,
        name="reception_slip",
    ),
]
