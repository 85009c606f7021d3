from django.urls import path

from lianxin.finder import views_public, views_work

app_name = "finder"
urlpatterns = [
    # Public, phone-first
    path("find/", views_public.find, name="find"),
    path("find/at", views_public.find_at, name="find_at"),
    path("find/map.json", views_public.map_data, name="map_data"),
    path("g/<slug:code>", views_public.grid, name="grid"),
    path("deputies/<slug:code>/", views_public.deputy, name="deputy"),
    path("qr/<str:kind>/<slug:code>.<str:fmt>", views_public.qr_image, name="qr"),
    # Staff
    path("work/finder/", views_work.manage, name="manage"),
    path("work/finder/import", views_work.grids_import, name="import"),
    path("work/finder/export/<int:division_id>.geojson", views_work.grids_export_view, name="export"),
    path("work/finder/grids/<int:grid_id>/", views_work.grid_edit, name="grid_edit"),
    path("work/finder/posters/", views_work.poster_list, name="posters"),
    path("work/finder/posters/s/<slug:code>.pdf", views_work.poster_station, name="poster_station"),
    path("work/finder/posters/d/<slug:code>.pdf", views_work.poster_deputy, name="poster_deputy"),
    path("work/finder/posters/street/<int:street_id>.pdf", views_work.poster_street, name="poster_street"),
    path("work/finder/deputies/<int:deputy_id>/publication", views_work.publication_edit, name="publication"),
]
