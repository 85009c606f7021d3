"""The citizen's report pages: general, a station's QR link and a deputy's QR link."""

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from lianxin.audit.models import AuditEntry
from lianxin.cases.models import Case, CasePhoto
from lianxin.organisation.enums import DeputyLevel
from lianxin.organisation.models import Category, Deputy, DeputyMandate
from tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db


def form_data(**overrides):
    data = {
        "title": "小区路灯不亮",
        "details": "春晖小区3栋门口路灯坏了两周，晚上出行不便。",
        "contact_name": "张三",
        "contact_phone": "13812341234",
        "consent": "on",
        "idempotency_key": "key-1",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def counts():
    return (Case.objects.count(), CasePhoto.objects.count(), AuditEntry.objects.count())


# --- The pages render ------------------------------------------------------------------------------


def test_general_page_renders_the_form_with_a_fresh_idempotency_key(district, client):
    first = client.get("/report/")
    second = client.get("/report/")
    assert first.status_code == 200
    body = first.content.decode()
    assert "有事找代表" in body
    assert 'accept="image/*" multiple capture' in body
    assert "仅用于办理您反映的问题；姓名和电话在办结 365 天后删除" in body
    assert 'name="consent"' in body
    keys = [re.search(r'name="idempotency_key" value="([^"]+)"', r.content.decode()).group(1) for r in (first, second)]
    assert keys[0] != keys[1]
    # Every street of the district is offered; the map draws the whole district (no "within").
    assert district.street.name in body
    assert district.other_street.name in body
    assert 'data-within=""' in body


def test_station_page_shows_the_station_and_its_public_deputies_only(district, client):
    station = district.station
    station.address = "东湖路1号"
    station.opening_hours = "工作日 9:00–17:00"
    station.reception_rule = "monthly"
    station.reception_monthday = 20
    station.save()
    DeputyMandate.objects.create(deputy=district.deputy, level=DeputyLevel.DISTRICT)
    hidden = Deputy.objects.create(code="d-zhao", name="赵代表", public=False)
    hidden.stations.add(station)

    response = client.get("/s/donghu")

    body = response.content.decode()
    assert response.status_code == 200
    for text in (
        "东湖街道代表联络站",
        "东湖路1号",
        "工作日 9:00–17:00",
        "每月20日为代表接待日",
        "王代表",
        "区/县人大代表",
    ):
        assert text in body
    assert "赵代表" not in body
    assert "李代表" not in body  # another station's deputy
    # The street is fixed to the station's; the map starts on its grids.
    assert f'data-within="{district.street.pk}"' in body
    assert district.other_street.name not in body


def test_deputy_page_shows_the_profile_only_when_the_deputy_agreed(district, client):
    district.deputy.sector = "教育界"
    district.deputy.bio = "长期关注社区养老。"
    district.deputy.save()
    public = client.get("/d/d-wang").content.decode()
    assert "王代表" in public and "教育界" in public and "长期关注社区养老。" in public

    district.deputy.public = False
    district.deputy.save()
    private = client.get("/d/d-wang")
    body = private.content.decode()
    assert private.status_code == 200
    assert "人大代表" in body
    for text in ("王代表", "教育界", "长期关注社区养老。", "东湖街道代表联络站"):
        assert text not in body


@pytest.mark.parametrize("url", ["/s/nope", "/d/nope", "/s/xishan-inactive"])
def test_unknown_or_inactive_codes_are_a_chinese_404(district, client, url):
    district.other_station.code = "xishan-inactive"
    district.other_station.active = False
    district.other_station.save()
    response = client.get(url)
    assert response.status_code == 404
    assert "找不到您要的页面" in response.content.decode()
    assert client.post(url, form_data()).status_code == 404
    assert counts()[0] == 0


def test_inactive_deputy_is_a_404(district, client):
    district.deputy.active = False
    district.deputy.save()
    assert client.get("/d/d-wang").status_code == 404


def test_station_page_query_count_does_not_grow_with_its_deputies(district, client, django_assert_max_num_queries):
    def measure():
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/s/donghu").status_code == 200
        return len(queries)

    few = measure()
    for index in range(6):
        deputy = Deputy.objects.create(code=f"d-{index}", name=f"代表{index}", public=True)
        deputy.stations.add(district.station)
        DeputyMandate.objects.create(deputy=deputy, level=DeputyLevel.CITY)
    many = measure()
    assert many == few
    with django_assert_max_num_queries(few):
        client.get("/s/donghu")


# --- A valid report --------------------------------------------------------------------------------


def test_station_report_creates_one_case_with_clean_photos_and_masked_phone(district, client):
    data = form_data(
        street=district.street.pk,
        community=district.community.pk,
        grid=district.grid.pk,
        lat="30.25",
        lng="120.16",
        address="春晖小区3栋",
        photos=[jpeg_upload(exif_gps=True), jpeg_upload("b.jpg")],
    )
    response = client.post("/s/donghu", data)

    assert response.status_code == 302
    case = Case.objects.get()
    assert response["Location"].startswith(f"/report/done/{case.tracking_code}?token=")
    assert (case.channel, case.station, case.deputy, case.division) == (
        "qr_station",
        district.station,
        None,
        district.grid,
    )
    assert (case.lat, case.lng, case.address) == (30.25, 120.16, "春晖小区3栋")
    assert case.contact_phone_masked == "138****1234"
    assert case.contact_name_masked == "张*"
    assert "13812341234" not in case.contact_phone_enc
    photos = list(case.photos.all())
    assert len(photos) == 2
    for photo in photos:
        with photo.image.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as image:
            assert image.format == "JPEG"
            assert dict(image.getexif()) == {}


def test_deputy_report_goes_to_the_deputy_and_their_grid(district, client):
    response = client.post("/d/d-wang", form_data())
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.station, case.deputy, case.division) == (
        "qr_deputy",
        None,
        district.deputy,
        district.grid,
    )


def test_general_report_takes_the_finest_division_picked(district, client):
    category = Category.objects.filter(level=1).first()
    data = form_data(
        street=district.street.pk, community=district.community.pk, category1=category.pk, request_type="complaint"
    )
    response = client.post("/report/", data)
    assert response.status_code == 302
    case = Case.objects.get()
    assert (case.channel, case.station, case.deputy) == ("web", None, None)
    assert (case.division, case.category, case.request_type) == (district.community, category, "complaint")


def test_anonymous_report_stores_no_contact(district, client):
    client.post("/report/", form_data(anonymous="on"))
    case = Case.objects.get()
    assert (case.anonymous, case.contact_phone_masked, case.contact_phone_enc, case.contact_name_enc) == (
        True,
        "",
        "",
        "",
    )


def test_resubmitting_with_the_same_idempotency_key_returns_the_same_case(district, client):
    first = client.post("/s/donghu", form_data(idempotency_key="tap-twice"))
    second = client.post("/s/donghu", form_data(idempotency_key="tap-twice"))
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Case.objects.count() == 1
    assert AuditEntry.objects.filter(action="case.registered").count() == 1


def test_the_same_key_with_different_content_is_refused_and_a_new_key_is_issued(district, client):
    client.post("/report/", form_data(idempotency_key="reused"))
    before = counts()
    response = client.post("/report/", form_data(idempotency_key="reused", title="另一个问题"))
    body = response.content.decode()
    assert response.status_code == 422
    assert "此表单已提交过" in body
    assert 'name="idempotency_key" value="reused"' not in body
    assert counts() == before
    key = re.search(r'name="idempotency_key" value="([^"]+)"', body).group(1)
    again = client.post("/report/", form_data(idempotency_key=key, title="另一个问题"))
    assert again.status_code == 302
    assert Case.objects.count() == 2


# --- Bad input: a Chinese error, the form comes back filled in, nothing is stored --------------------


def _fake_image():
    return SimpleUploadedFile("x.jpg", b"this is text, not a picture", content_type="image/jpeg")


BAD_INPUT = {
    "empty title": (lambda d: {"title": "  "}, "请填写标题。"),
    "huge details": (lambda d: {"details": "长" * 5001}, "具体内容不能超过 5000 个字。"),
    "missing consent": (lambda d: {"consent": None}, "请阅读并同意个人信息告知。"),
    "bad phone": (lambda d: {"contact_phone": "12345"}, "请填写正确的手机号码或固定电话。"),
    "fake image": (lambda d: {"photos": [_fake_image()]}, "只能上传 JPEG、PNG、WebP 或 GIF 格式的图片。"),
    "ten photos": (lambda d: {"photos": [jpeg_upload(f"{i}.jpg") for i in range(10)]}, "最多上传 9 张照片。"),
    "unknown grid": (
        lambda d: {"street": d.street.pk, "community": d.community.pk, "grid": "999999"},
        "找不到该网格。",
    ),
    "grid not under the community": (
        lambda d: {"street": d.street.pk, "community": d.community.pk, "grid": d.other_grid.pk},
        "所选的街道、社区和网格不一致，请重新选择。",
    ),
    "grid outside the station": (lambda d: {"grid": d.other_grid.pk}, "所选网格不在本联络站的范围内。"),
    "street id that is a grid": (lambda d: {"street": d.grid.pk}, "找不到该街道/乡镇。"),
    "lat without lng": (lambda d: {"lat": "30.1"}, "位置需要同时提供纬度和经度。"),
    "lat out of range": (lambda d: {"lat": "999", "lng": "120"}, "位置坐标无效。"),
    "lat not a number": (lambda d: {"lat": "abc", "lng": "120"}, "位置坐标无效。"),
    "lat is nan": (lambda d: {"lat": "nan", "lng": "120"}, "位置坐标无效。"),
    "unknown category": (lambda d: {"category1": "999999"}, "分类无效。"),
    "bad request type": (lambda d: {"request_type": "bribe"}, "诉求类型无效。"),
    "huge address": (lambda d: {"address": "路" * 201}, "地址不能超过 200 个字。"),
}


@pytest.mark.parametrize("case_name", list(BAD_INPUT))
def test_bad_input_is_refused_in_chinese_and_stores_nothing(district, client, case_name):
    make, message = BAD_INPUT[case_name]
    overrides = make(district)
    before = counts()

    response = client.post("/s/donghu", form_data(title=overrides.pop("title", "路灯坏了XYZ"), **overrides))

    body = response.content.decode()
    assert response.status_code == 422
    assert message in body
    assert "提交未成功，请修改以下内容：" in body
    assert counts() == before
    if case_name != "empty title":
        assert 'value="路灯坏了XYZ"' in body  # what the citizen typed comes back
    if "photos" in overrides:
        assert "请重新选择照片" in body


def test_every_problem_is_reported_at_once(district, client):
    response = client.post("/report/", form_data(title="", consent=None, contact_phone="1", photos=[_fake_image()]))
    body = response.content.decode()
    for message in ("请填写标题。", "请阅读并同意个人信息告知。", "请填写正确的手机号码或固定电话。", "只能上传"):
        assert message in body
    assert counts() == (0, 0, 0)


# --- The pickers and the map layer -----------------------------------------------------------------


def test_division_options_list_children_and_reset_the_grid(district, client):
    communities = client.get("/report/divisions", {"street": district.street.pk}).content.decode()
    assert f'<option value="{district.community.pk}">春晖社区</option>' in communities
    assert 'id="id_grid" hx-swap-oob="innerHTML"' in communities
    assert "西山村" not in communities

    grids = client.get("/report/divisions", {"community": district.community.pk}).content.decode()
    assert f'<option value="{district.grid.pk}">春晖一网格</option>' in grids
    assert "hx-swap-oob" not in grids

    for junk in ({"street": "abc"}, {"community": "-1"}, {}, {"street": district.grid.pk}):
        body = client.get("/report/divisions", junk).content.decode()
        assert re.findall(r'<option value="\d+"', body) == []  # only placeholders


def test_category_options_list_level_two(district, client):
    parent = Category.objects.filter(level=1, children__isnull=False).first()
    child = parent.children.first()
    body = client.get("/report/categories", {"category1": parent.pk}).content.decode()
    assert f'<option value="{child.pk}">{child.name}</option>' in body
    assert (
        re.findall(r'<option value="\d+"', client.get("/report/categories", {"category1": "x"}).content.decode()) == []
    )


def test_grid_shapes_draw_the_grids_of_the_area(district, client):
    square = {"type": "Polygon", "coordinates": [[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.2]]]}
    district.grid.polygon = square
    district.grid.save()
    district.other_grid.polygon = {"type": "Feature", "geometry": square, "properties": {}}
    district.other_grid.save()

    everything = client.get("/report/grids").json()
    assert sorted(f["properties"]["name"] for f in everything["features"]) == ["春晖一网格", "西山一网格"]
    street = client.get("/report/grids", {"within": district.street.pk}).json()
    assert [f["properties"]["id"] for f in street["features"]] == [district.grid.pk]
    assert street["features"][0]["geometry"] == square
    assert client.get("/report/grids", {"within": "nope"}).json()["features"] == []


def test_report_page_loads_leaflet_only_with_the_map_and_no_tiles_by_default(district, client, settings):
    body = client.get("/report/").content.decode()
    assert '<script src="/static/vendor/leaflet/leaflet.js"' not in body  # fetched by report.js when the map opens
    assert 'data-leaflet-js="/static/vendor/leaflet/leaflet.js"' in body
    assert 'id="show-map"' not in body  # nothing to draw: no polygon in the registry, no tiles
    assert 'data-tiles=""' in body
    settings.MAP_TILE_URL = "https://tiles.intranet/{z}/{x}/{y}.png"
    with_tiles = client.get("/report/").content.decode()
    assert 'data-tiles="https://tiles.intranet/{z}/{x}/{y}.png"' in with_tiles
    assert 'id="show-map"' in with_tiles
    assert "leaflet" not in client.get("/track/").content.decode()


def test_base_shapes_draw_the_outlines_above_the_grids(district, client):
    square = {"type": "Polygon", "coordinates": [[[120.1, 30.2], [120.2, 30.2], [120.2, 30.3], [120.1, 30.2]]]}
    for division in (district.district, district.street, district.community, district.grid):
        division.polygon = square
        division.save()
    district.other_street.polygon = {"type": "Feature", "geometry": square, "properties": {}}
    district.other_street.save()

    everything = client.get("/report/basemap").json()
    kinds = sorted((f["properties"]["kind"], f["properties"]["name"]) for f in everything["features"])
    assert kinds == sorted(
        [
            ("district", district.district.name),
            ("street", district.street.name),
            ("street", district.other_street.name),
            ("community", district.community.name),
        ]
    )  # never a grid: the grids come from /report/grids
    street = client.get("/report/basemap", {"within": district.street.pk}).json()
    assert sorted(f["properties"]["id"] for f in street["features"]) == sorted(
        [district.district.pk, district.street.pk, district.community.pk]
    )  # the district's outline around the street, not the other street
    assert client.get("/report/basemap", {"within": "nope"}).json()["features"] == []
    assert 'id="show-map"' in client.get("/s/donghu").content.decode()
