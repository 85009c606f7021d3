from django.urls import path

from lianxin.points import views

app_name = "points"
urlpatterns = [
    # Work screens (the paths of the performance app, kept)
    path("work/performance/", views.points, name="points"),
    path("work/performance/export.xlsx", views.points_export, name="points_export"),
    path("work/performance/deputies/<int:deputy_id>/", views.deputy, name="deputy"),
    path("work/performance/deputies/<int:deputy_id>/export.xlsx", views.deputy_export, name="deputy_export"),
    path("work/performance/deputies/<int:deputy_id>/manual", views.manual_add, name="manual_add"),
    path("work/performance/entries/<int:entry_id>/contest", views.entry_contest, name="contest"),
    path("work/performance/entries/<int:entry_id>/decide", views.entry_decide, name="entry_decide"),
    path("work/performance/review/", views.review, name="review"),
    path("work/performance/contests/<int:contest_id>/decide", views.contest_decide, name="contest_decide"),
    path("work/performance/publish", views.publish, name="publish"),
    path("work/performance/scan", views.scan, name="scan"),
    path("work/performance/assessment/", views.assessment, name="assessment"),
    path("work/performance/rules/", views.rules_page, name="rules"),
    path("work/performance/rules/change", views.rule_change, name="rule_change"),
]
