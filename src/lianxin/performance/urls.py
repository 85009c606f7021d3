from django.urls import path

from lianxin.performance import views_appraisal, views_points, views_public

app_name = "performance"
urlpatterns = [
    # Public: the leaderboard anyone can check, its details, the citizens' opinion form
    path("appraisal/", views_public.index, name="public_index"),
    path("appraisal/<int:year>/", views_public.leaderboard, name="leaderboard"),
    path("appraisal/<int:year>/export.xlsx", views_public.leaderboard_export, name="leaderboard_export"),
    path("appraisal/<int:year>/opinion", views_public.opinion, name="public_opinion"),
    path("appraisal/<int:year>/<slug:unit_code>/<int:item_id>/", views_public.detail, name="detail"),
    # Work screens: points
    path("work/performance/", views_points.points, name="points"),
    path("work/performance/export.xlsx", views_points.points_export, name="points_export"),
    path("work/performance/deputies/<int:deputy_id>/", views_points.deputy, name="deputy"),
    path("work/performance/deputies/<int:deputy_id>/export.xlsx", views_points.deputy_export, name="deputy_export"),
    path("work/performance/deputies/<int:deputy_id>/manual", views_points.manual_add, name="manual_add"),
    path("work/performance/entries/<int:entry_id>/contest", views_points.entry_contest, name="contest"),
    path("work/performance/entries/<int:entry_id>/decide", views_points.entry_decide, name="entry_decide"),
    path("work/performance/review/", views_points.review, name="review"),
    path("work/performance/contests/<int:contest_id>/decide", views_points.contest_decide, name="contest_decide"),
    path("work/performance/publish", views_points.publish, name="publish"),
    path("work/performance/scan", views_points.scan, name="scan"),
    path("work/performance/assessment/", views_points.assessment, name="assessment"),
    path("work/performance/rules/", views_points.rules_page, name="rules"),
    path("work/performance/rules/change", views_points.rule_change, name="rule_change"),
    # Work screens: department appraisal
    path("work/performance/appraisal/", views_appraisal.appraisal, name="appraisal"),
    path("work/performance/appraisal/new", views_appraisal.round_create, name="round_create"),
    path("work/performance/appraisal/<int:year>/", views_appraisal.round_detail, name="round"),
    path("work/performance/appraisal/<int:year>/state", views_appraisal.round_state, name="round_state"),
    path(
        "work/performance/appraisal/<int:year>/items/<int:item_id>/weight",
        views_appraisal.item_weight,
        name="item_weight",
    ),
    path("work/performance/appraisal/<int:year>/items/<int:item_id>/scores", views_appraisal.scores, name="scores"),
    path("work/performance/appraisal/<int:year>/opinions/", views_appraisal.opinions, name="opinions"),
    path("work/performance/appraisal/<int:year>/rate", views_appraisal.rate, name="rate"),
]
