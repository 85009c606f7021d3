"""Public endpoints: stations, case intake (JSON and multipart), tracking and rating."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from lianxin.audit.models import AuditEntry
from lianxin.cases import services
from lianxin.cases.codes import follow_up_token
from lianxin.cases.enums import Channel, Status
from lianxin.cases.models import Case, CasePhoto
from tests.api.helpers import BASE, assert_error, post_json, row_counts
from tests.factories import jpeg_bytes, jpeg_upload, submit_case

pytestmark = pytest.mark.django_db

VALID = {
    "title": "小区路灯不亮",
    "details": "春晖小区3栋门口路灯坏了两周。",
    "station_code": "donghu",
    "contact_name": "张三",
    "contact_phone": "13812341234",
    "consent": True,
}


def _submit(client, data, **extra):
    return post_json(client, f"{BASE}/cases", data, **extra)


# --- stations -----------------------------------------------------------------------------------------


def test_stations_lists_active_stations_with_their_division(client, district, django_assert_num_queries):
    district.other_station.active = False
    district.other_station.save()
    with django_assert_num_queries(1):
        response = client.get(f"{BASE}/stations")
    assert response.status_code == 200
    assert response.json() == [
        {
            "code": "donghu",
            "kind": "station",
            "kind_label": "联络站",
            "name": "东湖街道代表联络站",
            "division": {"id": district.street.pk, "name": "东湖街道"},
        }
    ]


# --- intake: happy paths ------------------------------------------------------------------------------


def test_json_submission_by_station_code_creates_a_qr_station_case(client, district):
    response = _submit(client, {**VALID, "location": {"lat": 30.1, "lng": 120.2}, "request_type": "complaint"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert sorted(body) == ["follow_up_token", "status", "tracking_code"]
    case = Case.objects.get()
    assert body == {
        "tracking_code": case.tracking_code,
        "follow_up_token": follow_up_token(case.tracking_code),
        "status": "registered",
    }
    assert (case.channel, case.station, case.request_type) == (Channel.QR_STATION, district.station, "complaint")
    assert (case.lat, case.lng) == (30.1, 120.2)
    assert case.contact_phone_masked == "138****1234"


def test_deputy_code_gives_qr_deputy_and_no_code_gives_web(client, district):
    data = {key: value for key, value in VALID.items() if key != "station_code"}
    assert _submit(client, {**data, "deputy_code": "d-wang"}).status_code == 201
    assert _submit(client, {**data, "grid_code": "G0001", "title": "另一件"}).status_code == 201
    channels = list(Case.objects.order_by("id").values_list("channel", flat=True))
    assert channels == [Channel.QR_DEPUTY, Channel.WEB]


def test_multipart_submission_with_photos(client, district):
    data = {
        **{key: str(value) for key, value in VALID.items() if key != "consent"},
        "consent": "true",
        "lat": "30.5",
        "lng": "120.5",
        "photos": [jpeg_upload("a.jpg"), jpeg_upload("b.jpg", exif_gps=True)],
    }
    response = client.post(f"{BASE}/cases", data)
    assert response.status_code == 201, response.content
    case = Case.objects.get(tracking_code=response.json()["tracking_code"])
    assert case.photos.count() == 2
    assert (case.lat, case.lng, case.channel) == (30.5, 120.5, Channel.QR_STATION)


def test_idempotent_retry_returns_the_same_case_with_200(client, district):
    first = _submit(client, VALID, HTTP_IDEMPOTENCY_KEY="key-123")
    again = _submit(client, VALID, HTTP_IDEMPOTENCY_KEY="key-123")
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json() == first.json()
    assert Case.objects.count() == 1
    assert AuditEntry.objects.filter(action="case.registered").count() == 1


def test_same_idempotency_key_with_another_body_is_422(client, district):
    assert _submit(client, VALID, HTTP_IDEMPOTENCY_KEY="key-9").status_code == 201
    before = row_counts()
    response = _submit(client, {**VALID, "title": "别的事情"}, HTTP_IDEMPOTENCY_KEY="key-9")
    assert_error(response, 422, "idempotency_key_reused")
    assert row_counts() == before


# --- intake: bad input stores nothing ------------------------------------------------------------------


def _json_case(body):
    return lambda client: client.post(f"{BASE}/cases", body, content_type="application/json")


BAD_JSON = [
    ("empty body", _json_case(b""), 422, "invalid_input", {"title", "details", "consent"}),
    ("empty object", _json_case("{}"), 422, "invalid_input", {"title", "details", "consent"}),
    ("malformed json", _json_case('{"title": "x",'), 400, "malformed_json", set()),
    ("json array", _json_case("[1, 2]"), 422, "invalid_input", {"__all__"}),
    ("title is a number", _json_case(json.dumps({**VALID, "title": 5})), 422, "invalid_input", {"title"}),
    ("title is null", _json_case(json.dumps({**VALID, "title": None})), 422, "invalid_input", {"title"}),
    ("location is a string", _json_case(json.dumps({**VALID, "location": "x"})), 422, "invalid_input", {"location"}),
    (
        "location without lng",
        _json_case(json.dumps({**VALID, "location": {"lat": 30}})),
        422,
        "invalid_input",
        {"location"},
    ),
    (
        "location out of range",
        _json_case(json.dumps({**VALID, "location": {"lat": 300, "lng": 0}})),
        422,
        "invalid_input",
        {"location"},
    ),
    ("huge title", _json_case(json.dumps({**VALID, "title": "长" * 5000})), 422, "invalid_input", {"title"}),
    ("blank title", _json_case(json.dumps({**VALID, "title": "   "})), 422, "invalid_input", {"title"}),
    (
        "missing consent",
        _json_case(json.dumps({k: v for k, v in VALID.items() if k != "consent"})),
        422,
        "invalid_input",
        {"consent"},
    ),
    ("consent false", _json_case(json.dumps({**VALID, "consent": False})), 422, "invalid_input", {"consent"}),
    (
        "unknown station code",
        _json_case(json.dumps({**VALID, "station_code": "nowhere"})),
        422,
        "invalid_input",
        {"station_code"},
    ),
    ("unknown category", _json_case(json.dumps({**VALID, "category": 999999})), 422, "invalid_input", {"category"}),
    ("category overflow", _json_case(json.dumps({**VALID, "category": 10**30})), 422, "invalid_input", {"category"}),
    ("category text", _json_case(json.dumps({**VALID, "category": "abc"})), 422, "invalid_input", {"category"}),
    (
        "bad request type",
        _json_case(json.dumps({**VALID, "request_type": "bribe"})),
        422,
        "invalid_input",
        {"request_type"},
    ),
    ("bad phone", _json_case(json.dumps({**VALID, "contact_phone": "12"})), 422, "invalid_input", {"contact_phone"}),
    (
        "wrong content type",
        lambda client: client.post(f"{BASE}/cases", json.dumps(VALID), content_type="text/plain"),
        415,
        "unsupported_media_type",
        set(),
    ),
]


@pytest.mark.parametrize(("name", "send", "status", "code", "fields"), BAD_JSON, ids=[b[0] for b in BAD_JSON])
def test_bad_submission_is_rejected_and_stores_nothing(client, district, name, send, status, code, fields):
    before = row_counts()
    error = assert_error(send(client), status, code)
    assert set(error["fields"]) == fields
    assert all(isinstance(m, str) and m for messages in error["fields"].values() for m in messages)
    assert row_counts() == before


@pytest.mark.parametrize(
    ("language", "title", "station"),
    [("en", "Please enter a title.", "Liaison station not found."), ("zh-hans", "请填写标题。", "找不到该联络站。")],
)
def test_a_rejected_submission_is_explained_in_the_callers_language(client, district, language, title, station):
    before = row_counts()
    body = {**VALID, "title": " ", "station_code": "no-such-station"}
    error = assert_error(_submit(client, body, headers={"Accept-Language": language}), 422, "invalid_input")
    assert error["message"] == title
    assert error["fields"] == {"title": [title], "station_code": [station]}
    assert row_counts() == before


def test_fake_image_in_multipart_is_rejected(client, district):
    fake = SimpleUploadedFile("photo.jpg", b"this is not an image at all", content_type="image/jpeg")
    before = row_counts()
    response = client.post(f"{BASE}/cases", {**VALID, "consent": "true", "photos": [jpeg_upload(), fake]})
    error = assert_error(response, 422, "invalid_input")
    assert list(error["fields"]) == ["photos"]
    assert row_counts() == before


def test_ten_photos_are_too_many(client, district, settings):
    assert settings.PHOTO_MAX_COUNT == 9
    before = row_counts()
    photos = [jpeg_upload(f"p{i}.jpg") for i in range(10)]
    response = client.post(f"{BASE}/cases", {**VALID, "consent": "true", "photos": photos})
    error = assert_error(response, 422, "invalid_input")
    assert list(error["fields"]) == ["photos"]
    assert row_counts() == before
    assert CasePhoto.objects.count() == 0


def test_oversized_photo_is_refused_before_reading(client, district, settings):
    settings.PHOTO_MAX_BYTES = 1000
    big = SimpleUploadedFile("big.jpg", jpeg_bytes(size=(400, 400)) + b"\0" * 2000, content_type="image/jpeg")
    before = row_counts()
    response = client.post(f"{BASE}/cases", {**VALID, "consent": "true", "photos": [big]})
    assert_error(response, 422, "invalid_input")
    assert row_counts() == before


def test_multipart_with_wrong_types_is_422(client, district):
    before = row_counts()
    response = client.post(f"{BASE}/cases", {**VALID, "consent": "maybe", "lat": "north", "lng": "1"})
    error = assert_error(response, 422, "invalid_input")
    assert set(error["fields"]) == {"consent", "location"}
    assert row_counts() == before


def test_huge_body_is_413_in_the_error_shape(client, district, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 2048
    before = row_counts()
    response = _submit(client, {**VALID, "details": "很" * 4000})
    assert_error(response, 413, "too_large")
    assert row_counts() == before


def test_bad_idempotency_key_is_422(client, district):
    before = row_counts()
    response = _submit(client, VALID, HTTP_IDEMPOTENCY_KEY="k" * 101)
    error = assert_error(response, 422, "invalid_input")
    assert list(error["fields"]) == ["idempotency_key"]
    assert row_counts() == before


# --- tracking and rating ------------------------------------------------------------------------------


def _fed_back_case(district):
    case = submit_case()
    services.case_acknowledge(actor=district.deputy_user, case_id=case.pk, message="收到，马上联系。")
    services.case_add_note(actor=district.station_staff, case_id=case.pk, message="内部：张三是老住户")
    services.case_resolve_on_spot(actor=district.station_staff, case_id=case.pk, message="已换灯泡。")
    services.case_feedback(actor=district.station_staff, case_id=case.pk, message="路灯已修好。")
    return case


def test_track_shows_the_public_view_without_names_or_internal_entries(client, district, django_assert_num_queries):
    case = _fed_back_case(district)
    token = follow_up_token(case.tracking_code)
    # 2 reads, and the rate limits' 2 counters (address, tracking code) in the shared database cache: an
    # upsert, a locked read and an update each.
    with django_assert_num_queries(8):
        response = client.get(f"{BASE}/cases/track/{case.tracking_code}", {"token": token})
    assert response.status_code == 200
    body = response.json()
    assert body["tracking_code"] == case.tracking_code
    assert (body["status"], body["status_label"], body["can_rate"]) == ("fed_back", "已反馈，待评价", True)
    assert body["station"] == "东湖街道代表联络站"
    assert body["rating"] is None
    assert [entry["action"] for entry in body["timeline"]] == [
        "case.registered",
        "case.acknowledged",
        "case.resolved",
        "case.fed_back",
    ]
    assert body["timeline"][1]["label"] == "代表回应"
    assert all(sorted(entry) == ["action", "label", "message", "time"] for entry in body["timeline"])
    text = response.content.decode()
    for secret in ("张三", "张*", "13812341234", "138****1234", "内部", "王代表", "actor"):
        assert secret not in text


@pytest.mark.parametrize("token", ["", "wrong-token", "x" * 101])
def test_track_with_a_wrong_token_is_404(client, district, token):
    case = submit_case()
    response = client.get(f"{BASE}/cases/track/{case.tracking_code}", {"token": token})
    expected = 422 if len(token) > 100 else 404
    assert_error(response, expected)


def test_unknown_code_and_wrong_token_give_the_same_answer(client, district):
    case = submit_case()
    wrong_token = client.get(f"{BASE}/cases/track/{case.tracking_code}", {"token": "nope"})
    unknown = client.get(f"{BASE}/cases/track/LXNOPE2345", {"token": follow_up_token("LXNOPE2345")})
    assert wrong_token.status_code == unknown.status_code == 404
    assert wrong_token.json() == unknown.json()


def test_rating_closes_the_loop_for_the_citizen(client, district):
    case = _fed_back_case(district)
    token = follow_up_token(case.tracking_code)
    response = post_json(
        client, f"{BASE}/cases/track/{case.tracking_code}/rating", {"token": token, "rating": "satisfied"}
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["can_rate"]) == ("rated", False)
    assert body["rating"]["rating"] == "satisfied"
    assert body["rating"]["label"] == "满意"
    case.refresh_from_db()
    assert case.status == Status.RATED


BAD_RATINGS = [
    ("empty body", b"", 422, None),
    ("malformed json", b'{"token": ', 400, "malformed_json"),
    ("rating is a number", json.dumps({"rating": 3}), 422, "invalid_input"),
    ("unknown rating", json.dumps({"rating": "great"}), 422, "invalid_input"),
    ("unsatisfied without comment", json.dumps({"rating": "unsatisfied"}), 422, "invalid_input"),
    ("wrong token", json.dumps({"rating": "satisfied", "token": "bad"}), 404, "not_found"),
]


@pytest.mark.parametrize(("name", "body", "status", "code"), BAD_RATINGS, ids=[b[0] for b in BAD_RATINGS])
def test_bad_rating_changes_nothing(client, district, name, body, status, code):
    case = _fed_back_case(district)
    if isinstance(body, str) and '"token"' not in body:
        body = json.dumps({**json.loads(body), "token": follow_up_token(case.tracking_code)})
    before = row_counts()
    response = client.post(f"{BASE}/cases/track/{case.tracking_code}/rating", body, content_type="application/json")
    assert_error(response, status, code)
    assert row_counts() == before
    case.refresh_from_db()
    assert case.status == Status.FED_BACK


def test_rating_a_case_not_yet_fed_back_is_409(client, district):
    case = submit_case()
    before = row_counts()
    response = post_json(
        client,
        f"{BASE}/cases/track/{case.tracking_code}/rating",
        {"token": follow_up_token(case.tracking_code), "rating": "satisfied"},
    )
    assert_error(response, 409, "not_ratable")
    assert row_counts() == before


def test_more_files_than_django_accepts_is_413(client, district, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 3
    before = row_counts()
    photos = [jpeg_upload(f"p{i}.jpg") for i in range(4)]
    response = client.post(f"{BASE}/cases", {**VALID, "consent": "true", "photos": photos})
    assert_error(response, 413, "too_large")
    assert row_counts() == before
