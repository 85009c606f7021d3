"""Public pages (find, grid QR page, deputy profile, QR images), the API, and the staff screens."""

from __future__ import annotations

import datetime as dt

import pytest
import segno

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case
from lianxin.finder import qr
from lianxin.finder.models import DeputyPublication
from lianxin.organisation.enums import DeputyLevel
from lianxin.organisation.models import Deputy, DeputyMandate
from tests.factories import submit_case

pytestmark = pytest.mark.django_db


# --- the find page ------------------------------------------------------------------------------------------


def test_the_find_page_works_without_a_map_through_the_pickers(mapped, client, settings):
    settings.MAP_TILE_URL = ""
    page = client.get("/find/").content.decode()
    assert 'data-tiles=""' in page and "东湖街道" in page and "西山镇" in page
    page = client.get(f"/find/?street={mapped.street.pk}").content.decode()
    assert "春晖社区" in page and 'id="id_community"' in page
    page = client.get(f"/find/?street={mapped.street.pk}&community={mapped.community.pk}").content.decode()
    assert 'id="id_grid"' in page and "春晖二网格" in page
    page = client.get(f"/find/?grid={mapped.grid.pk}").content.decode()  # a grid alone fills in the levels above
    assert 'id="grid-card"' in page and "陈网格" in page and "王代表" in page and 'href="/d/d-wang"' in page
    assert "东湖街道代表联络站" in page  # the nearest station to the grid


def test_a_broken_picker_chain_is_ignored(mapped, client):
    page = client.get(f"/find/?street={mapped.other_street.pk}&community={mapped.community.pk}&grid=abc")
    assert page.status_code == 200
    assert 'id="grid-card"' not in page.content.decode()


def test_the_tile_url_is_a_setting(mapped, client, settings):
    settings.MAP_TILE_URL = "https://tiles.example.gov.cn/{z}/{x}/{y}.png"
    assert 'data-tiles="https://tiles.example.gov.cn/{z}/{x}/{y}.png"' in client.get("/find/").content.decode()


@pytest.mark.parametrize("query", ["春晖", "chunhui", "chsq", "CHUN HUI", "chunhuiyi"])
def test_search_by_name_and_pinyin(mapped, client, query):
    page = client.get("/find/", {"q": query}).content.decode()
    assert 'id="search-results"' in page
    assert "春晖" in page.split('id="search-results"')[1]


def test_search_with_no_result_says_so(mapped, client):
    page = client.get("/find/", {"q": "不存在的地方"}).content.decode()
    assert "没有找到" in page


def test_the_map_fragment_for_a_point_and_for_bad_input(mapped, client):
    response = client.get("/find/at", {"lat": "30.002", "lng": "120.003"})
    assert response.status_code == 200
    assert "春晖一网格" in response.content.decode() and "有事找TA" in response.content.decode()
    outside = client.get("/find/at", {"lat": "40", "lng": "100"}).content.decode()
    assert "不在任何网格内" in outside
    bad = client.get("/find/at", {"lat": "x", "lng": "100"})
    assert bad.status_code == 422 and "经纬度" in bad.content.decode()


def test_the_map_data_has_grids_and_station_pins(mapped, client, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        data = client.get("/find/map.json").json()
    names = [f["properties"]["name"] for f in data["grids"]["features"]]
    assert names == ["春晖一网格", "春晖二网格", "春晖三网格", "湖心网格"]
    assert data["grids"]["features"][0]["properties"]["code"] == "G0001"
    assert [s["code"] for s in data["stations"]] == ["donghu", "xishan"]


# --- /g/<code> and deputy profiles ----------------------------------------------------------------------------


def test_a_grid_qr_page_lists_its_deputies_with_a_button_each(mapped, client):
    page = client.get("/g/G0001").content.decode()
    assert "春晖一网格" in page and "陈网格" in page and 'href="/d/d-wang"' in page and "有事找TA" in page
    second = client.get(f"/g/g{mapped.second_grid.pk}")
    assert second.status_code == 200 and "本网格暂未公布联系代表" in second.content.decode()
    assert client.get("/g/nope").status_code == 404
    assert client.get(f"/g/g{mapped.community.pk}").status_code == 404


def acknowledged_cases(deputy, hours, ratings):
    for n, hour in enumerate(hours):
        case = submit_case(channel="qr_deputy", station_code="", deputy_code=deputy.code, title=f"问题{n}")
        Case.objects.filter(pk=case.pk).update(
            acknowledged_at=case.created_at + dt.timedelta(hours=hour), rating=ratings[n] if n < len(ratings) else ""
        )


def test_a_deputy_profile_shows_levels_stations_and_statistics(mapped, client, settings):
    settings.FINDER_STATS_MIN_SAMPLE = 3
    deputy = mapped.deputy
    DeputyMandate.objects.create(deputy=deputy, level=DeputyLevel.DISTRICT)
    Deputy.objects.filter(pk=deputy.pk).update(constituency="第01选区", sector="教育", bio="中学教师。")
    acknowledged_cases(deputy, [1, 2, 3, 10], ["satisfied", "satisfied", "basically_satisfied", "unsatisfied"])
    page = client.get("/deputies/d-wang/").content.decode()
    for expected in (
        "王代表",
        "区/县人大代表",
        "第01选区",
        "教育",
        "中学教师",
        "东湖街道代表联络站",
        "每周周三为代表接待日",
    ):
        assert expected in page
    stats = page.split('id="deputy-stats"')[1]
    assert "4 件" in stats  # received and acknowledged
    assert "2.5 小时" in stats  # median of 1, 2, 3, 10
    assert "50%" in stats and "75%" in stats  # 2 of 4 satisfied; 3 of 4 with 基本满意
    assert 'href="/d/d-wang"' in page


def test_statistics_below_the_minimum_sample_are_not_turned_into_rates(mapped, client, settings):
    settings.FINDER_STATS_MIN_SAMPLE = 5
    acknowledged_cases(mapped.deputy, [1, 2], ["satisfied"])
    stats = client.get("/deputies/d-wang/").content.decode().split('id="deputy-stats"')[1]
    assert "样本不足 5 件" in stats and "评价不足 5 件" in stats and "100%" not in stats


def test_each_profile_item_is_shown_only_with_consent(mapped, client):
    deputy = mapped.deputy
    DeputyMandate.objects.create(deputy=deputy, level=DeputyLevel.CITY)
    Deputy.objects.filter(pk=deputy.pk).update(constituency="第01选区", sector="教育")
    DeputyPublication.objects.create(
        deputy=deputy,
        show_levels=False,
        show_constituency=False,
        show_sector=False,
        show_stats=False,
        show_stations=False,
        show_duty_days=False,
    )
    page = client.get("/deputies/d-wang/").content.decode()
    assert "王代表" in page
    for hidden in ("市人大代表", "第01选区", "教育", 'id="deputy-stats"', "东湖街道代表联络站", 'id="deputy-stations"'):
        assert hidden not in page
    Deputy.objects.filter(pk=deputy.pk).update(public=False)
    assert client.get("/deputies/d-wang/").status_code == 404
    assert client.get("/deputies/nobody/").status_code == 404


# --- QR codes ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "code", "path"), [("s", "donghu", "/s/donghu"), ("d", "d-wang", "/d/d-wang"), ("g", "G0001", "/g/G0001")]
)
def test_qr_codes_encode_the_public_url(mapped, client, settings, kind, code, path):
    settings.SITE_URL = "https://lianxin.example.gov.cn"
    assert qr.public_url(kind, code) == "https://lianxin.example.gov.cn" + path
    svg = client.get(f"/qr/{kind}/{code}.svg")
    assert svg.status_code == 200 and svg["Content-Type"] == "image/svg+xml"
    assert b"<svg" in svg.content
    png = client.get(f"/qr/{kind}/{code}.png?download=1")
    assert png["Content-Type"] == "image/png" and png.content.startswith(b"\x89PNG")
    assert f"qr-{kind}-{code}.png" in png["Content-Disposition"]
    assert png.content == qr.qr_png(settings.SITE_URL + path)
    assert segno.make(settings.SITE_URL + path, error="m").matrix  # the same payload segno encodes


@pytest.mark.parametrize("url", ["/qr/s/nope.svg", "/qr/x/donghu.svg", "/qr/s/donghu.gif", "/qr/g/g999999.png"])
def test_unknown_qr_codes_are_404(mapped, client, url):
    assert client.get(url).status_code == 404


# --- API --------------------------------------------------------------------------------------------------------


def test_api_lookup(mapped, client):
    body = client.get("/api/v1/lookup", {"lat": 30.002, "lng": 120.003}).json()
    assert body["found"] is True
    assert body["grid"]["name"] == "春晖一网格"
    assert body["grid"]["deputies"][0]["code"] == "d-wang"
    assert body["station"]["code"] == "donghu" and body["station"]["next_reception"]
    outside = client.get("/api/v1/lookup", {"lat": 40, "lng": 100})
    assert outside.status_code == 200 and outside.json()["found"] is False and outside.json()["grid"] is None


@pytest.mark.parametrize("params", [{"lat": 95, "lng": 120}, {"lat": "abc", "lng": 120}, {"lng": 120}])
def test_api_lookup_bad_input_has_the_error_shape(mapped, client, params):
    response = client.get("/api/v1/lookup", params)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] and error["message"] and "lat" in error["fields"]


def test_api_search(mapped, client):
    hits = client.get("/api/v1/finder/search", {"q": "chsq"}).json()
    assert [(h["name"], h["kind"]) for h in hits] == [("春晖社区", "community")]
    assert client.get("/api/v1/finder/search", {"q": ""}).json() == []
    assert client.get("/api/v1/finder/search", {"q": "x" * 41}).status_code == 422


# --- staff screens ------------------------------------------------------------------------------------------------


def test_the_grid_list_shows_only_the_users_area(mapped, client, django_assert_max_num_queries):
    client.force_login(mapped.station_staff)
    with django_assert_max_num_queries(12):
        page = client.get("/work/finder/").content.decode()
    assert "春晖一网格" in page and "湖心网格" in page and "西山一网格" not in page
    client.force_login(mapped.outsider)
    page = client.get("/work/finder/").content.decode()
    assert "西山一网格" in page and "春晖一网格" not in page
    for persona in ("deputy_user", "unit_user", "auditor", "leader"):
        client.force_login(mapped.persona(persona))
        assert client.get("/work/finder/").status_code == 404


def test_assigning_deputies_and_the_grid_worker(mapped, client):
    other = Deputy.objects.create(code="d-zhao", name="赵代表", public=True)
    other.stations.add(mapped.station)
    client.force_login(mapped.station_staff)
    form = client.get(f"/work/finder/grids/{mapped.grid.pk}/").content.decode()
    assert "赵代表" in form and "李代表" not in form  # only deputies of the user's area
    response = client.post(
        f"/work/finder/grids/{mapped.grid.pk}/", {"deputies": [mapped.deputy.pk, other.pk], "grid_worker": "周网格"}
    )
    assert response.status_code == 302
    mapped.grid.refresh_from_db()
    assert (sorted(mapped.grid.deputies.values_list("code", flat=True)), mapped.grid.grid_worker) == (
        ["d-wang", "d-zhao"],
        "周网格",
    )
    entry = AuditEntry.objects.get(action="finder.grid_deputies_set")
    assert entry.data == {"before": ["d-wang"], "after": ["d-wang", "d-zhao"]}
    bad = client.post(f"/work/finder/grids/{mapped.grid.pk}/", {"deputies": ["abc"], "grid_worker": "x"})
    assert bad.status_code == 422 and "代表选择无效" in bad.content.decode()
    bad = client.post(f"/work/finder/grids/{mapped.grid.pk}/", {"deputies": [], "grid_worker": "长" * 51})
    assert bad.status_code == 422
    mapped.grid.refresh_from_db()
    assert mapped.grid.deputies.count() == 2 and mapped.grid.grid_worker == "周网格"
    assert client.get(f"/work/finder/grids/{mapped.other_grid.pk}/").status_code == 404


def test_importing_through_the_screen_shows_errors_by_name(mapped, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(mapped.office)
    bad = b'{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {"name": "X"}, "geometry": null}]}'
    response = client.post(
        "/work/finder/import",
        {"within": mapped.street.pk, "file": SimpleUploadedFile("g.geojson", bad, content_type="application/geo+json")},
    )
    assert response.status_code == 422
    assert "第 1 个网格“X”" in response.content.decode()
    assert client.post("/work/finder/import", {"within": mapped.street.pk}).status_code == 400
    exported = client.get(f"/work/finder/export/{mapped.street.pk}.geojson")
    assert exported.status_code == 200 and "春晖一网格" in exported.content.decode()
    client.force_login(mapped.outsider)
    assert client.get(f"/work/finder/export/{mapped.street.pk}.geojson").status_code == 404


def test_recording_a_deputys_consent(mapped, client):
    client.force_login(mapped.station_staff)
    assert "公开照片" in client.get(f"/work/finder/deputies/{mapped.deputy.pk}/publication").content.decode()
    client.post(f"/work/finder/deputies/{mapped.deputy.pk}/publication", {"public": "on", "show_photo": "on"})
    publication = DeputyPublication.objects.get(deputy=mapped.deputy)
    assert (publication.show_photo, publication.show_stats) == (True, False)
    entry = AuditEntry.objects.get(action="finder.publication_set")
    assert entry.data["changed"]["show_stats"] == [True, False]
    assert client.get(f"/work/finder/deputies/{mapped.other_deputy.pk}/publication").status_code == 404
    page = client.get("/work/finder/posters/").content.decode()
    assert "东湖街道代表联络站" in page and "王代表" in page and "李代表" not in page


def test_the_poster_list_query_count(mapped, client, django_assert_max_num_queries):
    for n in range(5):
        extra = Deputy.objects.create(code=f"d-x{n}", name=f"代表{n}", public=True)
        extra.stations.add(mapped.station)
        DeputyMandate.objects.create(deputy=extra, level=DeputyLevel.DISTRICT)
    client.force_login(mapped.office)
    with django_assert_max_num_queries(12):
        page = client.get("/work/finder/posters/")
    assert page.status_code == 200 and "代表4" in page.content.decode()


def test_a_deputy_records_their_own_consent(mapped, client):
    client.force_login(mapped.deputy_user)
    url = f"/work/finder/deputies/{mapped.deputy.pk}/publication"
    assert client.get(url).status_code == 200
    response = client.post(url, {"public": "on", "show_photo": "on", "show_levels": "on"})
    assert response.status_code == 302
    publication = DeputyPublication.objects.get(deputy=mapped.deputy)
    assert (publication.show_photo, publication.show_levels, publication.show_stats) == (True, True, False)
    assert client.get(f"/work/finder/deputies/{mapped.other_deputy.pk}/publication").status_code == 404
