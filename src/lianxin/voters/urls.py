from django.urls import path

from lianxin.voters import views, views_public

app_name = "voters"
urlpatterns = [
    # Public, phone-first
    path("deputies/<slug:code>/contacts/", views_public.deputy_contacts, name="public_contacts"),
    path("reports/<int:report_id>/", views_public.report_page, name="public_report"),
    path("reports/<int:report_id>/rate", views_public.report_rate, name="public_report_rate"),
    # Work screens
    path("work/voters/", views.contacts, name="contacts"),
    path("work/voters/deputies/<int:deputy_id>/", views.deputy_detail, name="deputy"),
    path("work/voters/deputies/<int:deputy_id>/households", views.household_add, name="household_add"),
    path("work/voters/deputies/<int:deputy_id>/contacts", views.contact_add, name="contact_add"),
    path("work/voters/households/<int:household_id>/end", views.household_end, name="household_end"),
    path("work/voters/samples/", views.samples, name="samples"),
    path("work/voters/samples/draw", views.sample_draw, name="sample_draw"),
    path("work/voters/checks/<int:check_id>/", views.check_record, name="check_record"),
    path("work/voters/checks/<int:check_id>/reveal", views.check_reveal, name="check_reveal"),
    path("work/voters/reports/", views.reports, name="reports"),
    path("work/voters/reports/new", views.report_new, name="report_new"),
    path("work/voters/reports/<int:report_id>/", views.report_detail, name="report"),
    path("work/voters/reports/<int:report_id>/publish", views.report_publish, name="report_publish"),
    path("work/voters/reports/<int:report_id>/result", views.report_result, name="report_result"),
]
