from django.urls import path

from lianxin.appraisal import views, views_public

app_name = "appraisal"
urlpatterns = [
    # Public: the leaderboard anyone can check, its details, the citizens' opinion form
    path("appraisal/", views_public.index, name="public_index"),
    path("appraisal/<int:year>/", views_public.leaderboard, name="leaderboard"),
    path("appraisal/<int:year>/export.xlsx", views_public.leaderboard_export, name="leaderboard_export"),
    path("appraisal/<int:year>/opinion", views_public.opinion, name="public_opinion"),
    path("appraisal/<int:year>/<slug:unit_code>/<int:item_id>/", views_public.detail, name="detail"),
    # Work screens (the paths of the performance app, kept)
    path("work/performance/appraisal/", views.appraisal, name="appraisal"),
    path("work/performance/appraisal/new", views.round_create, name="round_create"),
    path("work/performance/appraisal/<int:year>/", views.round_detail, name="round"),
    path("work/performance/appraisal/<int:year>/state", views.round_state, name="round_state"),
    path("work/performance/appraisal/<int:year>/items/<int:item_id>/weight", views.item_weight, name="item_weight"),
    path("work/performance/appraisal/<int:year>/items/<int:item_id>/scores", views.scores, name="scores"),
    path("work/performance/appraisal/<int:year>/opinions/", views.opinions, name="opinions"),
    path("work/performance/appraisal/<int:year>/rate", views.rate, name="rate"),
]
