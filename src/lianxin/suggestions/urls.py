from django.urls import path

from lianxin.suggestions import views

app_name = "suggestions"
urlpatterns = [
    path("work/suggestions/", views.suggestion_list, name="list"),
    path("work/suggestions/new/", views.suggestion_new, name="new"),
    path("work/suggestions/metrics/", views.metrics_view, name="metrics"),
    path("work/suggestions/bulletin/", views.bulletin_view, name="bulletin"),
    path("work/suggestions/<int:suggestion_id>/", views.suggestion_detail, name="detail"),
    path("work/suggestions/<int:suggestion_id>/action/<slug:action>", views.suggestion_act, name="act"),
    path(
        "work/suggestions/<int:suggestion_id>/answers/<int:answer_id>/document",
        views.answer_document,
        name="answer_document",
    ),
    path("public/suggestions/", views.board, name="board"),
    path("public/suggestions/wall/", views.wall, name="wall"),
]
